// `make bench`: the figures that matter at scale, measured against a real server holding the
// seed-large population (restored from its cached dump), each the median of several runs, printed
// as one table with the targets beside them. A report: a missed target does not fail the run.
//
//   npx tsx e2e/bench/run.ts [--runs 5] [--users 2000 --tokens 10000 ... as seed-large.ts]
//   (--tokens 0 skips the 10,000-token scenarios, --large-tokens 0 the 100,000-token one)
import {execFileSync} from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {parseArgs} from 'util';
import vm from 'vm';
import zlib from 'zlib';

import {Browser, Page} from 'playwright-core';

import {Api, DEFAULT_CONCURRENCY, getPolicy, inventoryRows, loadInventory, runPool, savePolicy, setApi} from '../../webapp/src/client';
import type {Inventory, LoadPhase} from '../../webapp/src/client';
import {SEEN_IDS_PER_REQUEST} from '../../webapp/src/engine';
import {policyToInput} from '../../webapp/src/engine/policy/policy';
import {WATCH_LIMITS} from '../../webapp/src/engine/policy/limits';
import {launchBrowser, openHost} from '../harness/browser';
import {FaultProxy} from '../harness/faults';
import {buildOutput, repoRoot} from '../harness/paths';
import {adminLogin, loggedIn} from '../harness/seed';

import {benchEnvironment, populationFrom, populationOptions} from './seed-large';
import type {Population} from './seed-large';

function median(values: number[]): number {
    const sorted = values.slice().sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function repeat<T>(runs: number, once: () => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < runs; i++) {
        out.push(await once());
    }
    return out;
}

const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

// Mattermost runs the server plugin as a child process (hashicorp go-plugin).
function pluginProcess(serverPid: number, pluginId: string): number {
    const executable = `plugins/${pluginId}/server/dist/plugin-linux-amd64`;
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
        try {
            const parent = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
            if (parent === serverPid && fs.readlinkSync(`/proc/${entry}/exe`).includes(executable)) {
                return Number(entry);
            }
        } catch {
            // exited meanwhile, or not ours to read
        }
    }
    throw new Error(`no ${executable} process under the server (pid ${serverPid})`);
}

function rss(pid: number): number {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

// The most the plugin process has held since it started (its start-up included).
function rssHighWater(pid: number): number {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

// Polled rather than read from VmHWM, which would include the plugin's start-up.
function sampleRss(pid: number, everyMs = 50) {
    let peak = rss(pid);
    const timer = setInterval(() => {
        peak = Math.max(peak, rss(pid));
    }, everyMs);
    return {
        peak: () => Math.max(peak, rss(pid)),
        stop: () => clearInterval(timer),
    };
}

// The client keeps only what the page needs from the /seen answers; their write counts are read on
// the wire and summed, since a large scan is reported in parts.
function watchSeenWrites(): () => number {
    const original = globalThis.fetch;
    let writes = 0;
    globalThis.fetch = async (input, init) => {
        const response = await original(input, init);
        if (String(input).endsWith('/api/v1/seen')) {
            writes += Number((await response.clone().json()).kv_writes);
        }
        return response;
    };
    return () => writes;
}

// The plugin's client, as the webapp runs it, with the admin's session as a bearer token.
function clientAt(baseURL: string, sessionToken: string) {
    const api = new Api({baseURL});
    api.client.setToken(sessionToken);
    setApi(api);
}

// What the console and /tokens do, in Node: load everything, then join and judge it.
async function inventoryScan() {
    const started = performance.now();
    // When each part of the load last moved on: where the time of a slow load goes.
    const phases: Partial<Record<LoadPhase, number>> = {};
    const inventory = await loadInventory({onProgress: ({phase}) => (phases[phase] = performance.now() - started)});
    const rows = inventoryRows(inventory);
    const elapsed = performance.now() - started;
    if (inventory.failures.length) {
        throw new Error(`the inventory loaded only in part: ${inventory.failures.map((f) => `${f.part}: ${f.message}`).join('; ')}`);
    }
    return {ms: elapsed, phases, requests: inventory.requests, rows: rows.length, owners: Object.keys(inventory.owners).length, used: Object.keys(inventory.usage).length, inventory};
}

function phaseTimeline(phases: Partial<Record<LoadPhase, number>>): string {
    return Object.entries(phases).map(([phase, at]) => `${phase} ${ms(at)}`).join(', ');
}

// What an admin's script does without the plugin: list every account, then read each one's tokens
// and sessions, a few requests at a time.
async function naiveScan(url: string, sessionToken: string) {
    let requests = 0;
    const get = async <T>(route: string): Promise<T> => {
        requests++;
        const response = await fetch(`${url}/api/v4${route}`, {headers: {Authorization: `Bearer ${sessionToken}`}});
        if (!response.ok) {
            throw new Error(`GET ${route}: ${response.status}`);
        }
        return response.json() as Promise<T>;
    };
    const started = performance.now();
    const users: Array<{id: string}> = [];
    for (let page = 0; ; page++) {
        const batch = await get<Array<{id: string}>>(`/users?page=${page}&per_page=200`);
        users.push(...batch);
        if (batch.length < 200) {
            break;
        }
    }
    const settled = await runPool(users, async (user) => {
        await get(`/users/${user.id}/tokens?per_page=200`);
        await get(`/users/${user.id}/sessions`);
    }, {concurrency: DEFAULT_CONCURRENCY});
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
        throw (failed as PromiseRejectedResult).reason;
    }
    return {ms: performance.now() - started, requests};
}

// Runs in every document the page opens: notes when the token table first shows rows, and when it
// shows them with the loading state gone, each one frame later so that they are painted.
function watchTable() {
    const w = window as unknown as {taFirstRowsAt: number; taTableAt: number};
    w.taFirstRowsAt = 0;
    w.taTableAt = 0;
    const observer = new MutationObserver(() => {
        // ta-table-partial while the rest of the inventory loads.
        if (!document.querySelector('[data-testid^="ta-table"] [data-testid^="ta-row-"]')) {
            return;
        }
        if (!w.taFirstRowsAt) {
            w.taFirstRowsAt = -1;
            requestAnimationFrame(() => {
                w.taFirstRowsAt = performance.now();
            });
        }
        if (document.querySelector('[data-testid="ta-table"]') && !document.querySelector('[data-testid="ta-loading"]')) {
            observer.disconnect();
            requestAnimationFrame(() => {
                w.taTableAt = performance.now();
            });
        }
    });
    observer.observe(document, {childList: true, subtree: true});
}

async function tableLoad(page: Page): Promise<{firstRows: number; full: number}> {
    await page.reload();
    const at = await page.waitForFunction(() => {
        const w = window as unknown as {taFirstRowsAt: number; taTableAt: number};
        return w.taTableAt && w.taFirstRowsAt > 0 ? {firstRows: w.taFirstRowsAt, full: w.taTableAt} : undefined;
    }, undefined, {timeout: 300000});
    return at.jsonValue() as Promise<{firstRows: number; full: number}>;
}

// The page's JavaScript heap after a garbage collection, as Chromium's devtools count it.
async function jsHeap(page: Page): Promise<number> {
    const cdp = await page.context().newCDPSession(page);
    try {
        await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    } finally {
        await cdp.detach();
    }
}

interface Trigger {
    // The element whose event starts the clock: every `input`, or the keydown of Enter.
    selector: string;
    event: 'input' | 'enter';

    // The clock stops one frame after the first DOM change under `watch` outside the trigger
    // element, or, with `added`, after an element matching `added` appears, or with `revised` too,
    // after that element's data-revision first moves (a placeholder post replaced by its answer).
    watch: string;
    added?: string;
    revised?: boolean;
    timeoutMs: number;
}

// Timed in the page, from the event's own timestamp, so the driver's round trips are not counted.
// Undefined when nothing changed within the time-out.
async function timeToRender(page: Page, trigger: Trigger, act: () => Promise<void>): Promise<number | undefined> {
    await page.evaluate((t) => {
        const w = window as unknown as {taSample: Promise<number | null>};
        w.taSample = new Promise((resolve) => {
            const source = document.querySelector(t.selector)!;
            let start = 0;
            const onEvent = (e: Event) => {
                if (source.contains(e.target as Node) && (t.event === 'input' || (e as KeyboardEvent).key === 'Enter')) {
                    start = e.timeStamp;
                    document.removeEventListener(type, onEvent, true);
                }
            };
            const type = t.event === 'input' ? 'input' : 'keydown';
            document.addEventListener(type, onEvent, true);
            let added: Element | undefined;
            const addedBy = (records: MutationRecord[]) => records.flatMap((r) => [...r.addedNodes]).
                flatMap((n) => (n instanceof Element ? [n.matches(t.added!) ? n : n.querySelector(t.added!)] : [])).find((e): e is Element => Boolean(e));
            const matches = (records: MutationRecord[]) => {
                if (!t.added) {
                    return records.some((r) => !source.contains(r.target));
                }
                added = added ?? addedBy(records);
                return Boolean(added) && (!t.revised || Number(added!.getAttribute('data-revision')) > 0);
            };
            const observer = new MutationObserver((records) => {
                if (start && matches(records)) {
                    observer.disconnect();
                    clearTimeout(timer);
                    requestAnimationFrame(() => resolve(performance.now() - start));
                }
            });
            observer.observe(document.querySelector(t.watch)!, {childList: true, subtree: true, characterData: true, attributes: Boolean(t.revised), attributeFilter: t.revised ? ['data-revision'] : undefined});
            const timer = setTimeout(() => {
                observer.disconnect();
                document.removeEventListener(type, onEvent, true);
                resolve(null);
            }, t.timeoutMs);
        });
    }, trigger);
    await act();
    return (await page.evaluate(() => (window as unknown as {taSample: Promise<number | null>}).taSample)) ?? undefined;
}

// Typing the start of a token id narrows the match count on every key, and deleting it widens it
// again, so every keystroke changes what the table shows.
async function searchKeystrokes(page: Page, tokenIds: string[]): Promise<number[]> {
    const search = page.getByTestId('ta-search');
    const trigger: Trigger = {selector: '[data-testid="ta-search"]', event: 'input', watch: '[data-testid="host-console"]', timeoutMs: 3000};
    const samples: number[] = [];
    for (const id of tokenIds) {
        for (const key of [...id.slice(0, 4), 'Backspace', 'Backspace', 'Backspace', 'Backspace']) {
            const sample = await timeToRender(page, trigger, () => search.press(key));
            if (sample !== undefined) {
                samples.push(sample);
            }
        }
    }
    return samples;
}

// With TA_BENCH_CPU_PROFILE set to a folder, what work does in the page is written there as a Chromium
// CPU profile (open it in the devtools' Performance panel): where a slow row's time goes.
async function cpuProfiled<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
    const folder = process.env.TA_BENCH_CPU_PROFILE;
    if (!folder) {
        return work();
    }
    const cdp = await page.context().newCDPSession(page);
    try {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', {interval: 100});
        await cdp.send('Profiler.start');
        const result = await work();
        const {profile} = await cdp.send('Profiler.stop');
        fs.mkdirSync(folder, {recursive: true});
        fs.writeFileSync(path.join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
        return result;
    } finally {
        await cdp.detach();
    }
}

// From Enter to the answer on screen: the hook posts a placeholder at once and replaces it with the
// answer, so the clock stops when the new post is first revised.
async function command(page: Page, line: string): Promise<number> {
    const input = page.getByTestId('host-input');
    await input.fill(line);
    const trigger: Trigger = {selector: '[data-testid="host-input"]', event: 'enter', watch: '[data-testid="host-chat"]', added: '[data-testid="host-post"]', revised: true, timeoutMs: 60000};
    const sample = await timeToRender(page, trigger, () => input.press('Enter'));
    if (sample === undefined) {
        throw new Error(`${line} got no answer: ${await page.getByTestId('host-error').textContent()}`);
    }
    return sample;
}

// The server path, as the mobile apps and API callers meet it: Mattermost runs the command and
// answers with the plugin's text, which the server reads from its own database.
interface ServerCommandTarget {
    url: string;
    sessionToken: string;
    channelId: string;
    teamId: string;
}

async function serverCommand(target: ServerCommandTarget, line: string): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${target.url}/api/v4/commands/execute`, {
        method: 'POST',
        headers: {'Authorization': `Bearer ${target.sessionToken}`, 'Content-Type': 'application/json'},
        body: JSON.stringify({command: line, channel_id: target.channelId, team_id: target.teamId}),
    });
    const answer = await response.json() as {text?: string};
    const elapsed = performance.now() - started;
    if (!response.ok || !answer.text) {
        throw new Error(`${line} through commands/execute: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
    }
    return elapsed;
}

// The same engine.js the server embeds, called with the same JSON in Node and in goja: the server's
// data as the webapp loaded it, so both hosts judge the same inventory.
function engineAnswerInput(inventory: Inventory, context: {siteURL: string; pluginId: string}, line: string) {
    return {
        line,
        context: {...context, now: inventory.loadedAt, locale: 'en', actions: ['revoke']},
        data: {
            tokens: inventory.tokens, owners: inventory.owners, usage: inventory.usage, seen: inventory.seen, policy: inventory.policy,
            lastReviewedAt: inventory.views.last_reviewed_at, settings: {EnableUserAccessTokens: true},
        },
    };
}

interface EngineTiming {
    coldMs: number;
    runsMs: number[];
    answerSha256: string;
}

const engineScript = path.join(repoRoot, 'server', 'engine', 'engine.js');

// The first call includes loading the script into a fresh context, as goja's first includes making its runtime.
function engineInNode(input: string, runs: number): EngineTiming {
    const script = fs.readFileSync(engineScript, 'utf8');
    const loadStarted = performance.now();
    const engine = vm.runInNewContext(`${script}\nTokenAuditEngine`) as {call(method: string, json: string): string};
    const loadMs = performance.now() - loadStarted;
    let answer = '';
    const once = () => {
        const started = performance.now();
        answer = engine.call('answer', input);
        return performance.now() - started;
    };
    const coldMs = loadMs + once();
    const runsMs = Array.from({length: runs}, once);
    return {coldMs, runsMs, answerSha256: crypto.createHash('sha256').update(answer).digest('hex')};
}

// server/engine/enginebench: the embedded engine.js in goja, as the plugin runs it.
function engineInGoja(inputFile: string, runs: number): EngineTiming {
    const binary = path.join(buildOutput, 'enginebench');
    execFileSync('go', ['build', '-o', binary, './engine/enginebench'], {cwd: path.join(repoRoot, 'server'), stdio: 'inherit'});
    return JSON.parse(execFileSync(binary, ['-method', 'answer', '-input', inputFile, '-runs', String(runs)], {encoding: 'utf8'}));
}

function compareEngines(input: object, runs: number): {node: EngineTiming; goja: EngineTiming} {
    const json = JSON.stringify(input);
    const file = path.join(buildOutput, 'bench-engine-input.json');
    fs.mkdirSync(buildOutput, {recursive: true});
    fs.writeFileSync(file, json);
    return {node: engineInNode(json, runs), goja: engineInGoja(file, runs)};
}

// The watch job's scans (server/watch/scan.go), as each logs what it did: the number of tokens, its
// KV writes (cluster.Schedule's lock and last-run record, three writes a run, are not counted) and
// how long it took.
interface ScanLog {
    tokens: number;
    kv_writes: number;
    took_ms: number;
}

function scanLogs(logFile: string, pluginId: string): ScanLog[] {
    return fs.readFileSync(logFile, 'utf8').split('\n').flatMap((line) => {
        if (!line.includes('"took_ms"')) {
            return [];
        }
        try {
            // The values cross the plugin RPC and arrive in the log as strings.
            const entry = JSON.parse(line);
            const scan = {tokens: Number(entry.tokens), kv_writes: Number(entry.kv_writes), took_ms: Number(entry.took_ms)};
            return entry.plugin_id === pluginId && Object.values(scan).every(Number.isFinite) ? [scan] : [];
        } catch {
            return [];
        }
    });
}

async function scansLogged(logFile: string, pluginId: string, atLeast: number, timeoutMs: number): Promise<ScanLog[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const logged = scanLogs(logFile, pluginId);
        if (logged.length >= atLeast) {
            return logged;
        }
        if (Date.now() > deadline) {
            throw new Error(`the watch job logged ${logged.length} scans of the ${atLeast} awaited in ${timeoutMs / 1000} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

// The bench starts its server with a test minute of SCAN_MINUTE (TOKEN_AUDIT_TEST_MINUTE), keeps
// the watch quiet while it measures everything else with the longest interval the policy allows,
// and then sets the interval to one such minute to time the scans as they come.
const SCAN_MINUTE = '5s';

async function setScanMinutes(minutes: number): Promise<void> {
    const input = policyToInput(await getPolicy());
    input.watch!.scan_minutes = minutes;
    const saved = await savePolicy(input);
    if (!saved.ok) {
        throw new Error('the policy changed while the bench set the scan interval');
    }
}

async function scheduledScans(logFile: string, pluginId: string, pid: number, runs: number): Promise<{scans: ScanLog[]; peakRss: number}> {
    const before = scanLogs(logFile, pluginId).length;
    const sampler = sampleRss(pid);
    try {
        await setScanMinutes(WATCH_LIMITS.scan_minutes.min);
        const logged = await scansLogged(logFile, pluginId, before + runs, runs * 180000);
        return {scans: logged.slice(before, before + runs), peakRss: sampler.peak()};
    } finally {
        sampler.stop();
        await setScanMinutes(WATCH_LIMITS.scan_minutes.max);
    }
}

interface Line {
    measure: string;
    figure: string;
    target?: string;
    pass?: boolean;
}

function table(lines: Line[]): string {
    const widths = [0, 0, 0];
    for (const line of lines) {
        widths[0] = Math.max(widths[0], line.measure.length);
        widths[1] = Math.max(widths[1], line.figure.length);
        widths[2] = Math.max(widths[2], (line.target ?? '').length);
    }
    const row = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
    const header = row(['measure', 'median', 'target', '']);
    return [header, '-'.repeat(header.length + 2), ...lines.map((l) => row([l.measure, l.figure, l.target ?? '', l.pass === undefined ? '' : l.pass ? 'pass' : 'MISS']))].join('\n');
}

interface Measured {
    title: string;
    lines: Line[];
}

interface ScenarioOptions {
    population: Population;
    runs: number;
    browser: Browser;

    // Added to every request of the plugin's client and of the naive script alike, in a second run through the proxy.
    latencyMs: number;

    // The 100,000-token population has its own targets and no naive script (20,000 owners).
    large: boolean;
}

const fullLoadTarget = {small: 3000, large: 5000};

async function measure({population, runs, browser, latencyMs, large}: ScenarioOptions): Promise<Measured> {
    const started = await benchEnvironment(population);
    const env = started.environment;
    let sampler: ReturnType<typeof sampleRss> | undefined;
    let proxy: FaultProxy | undefined;
    try {
        const admin = await loggedIn(env.url, adminLogin.username, adminLogin.password);
        const pid = pluginProcess(started.server.pid, env.pluginId);

        // The plugin's first scan ran at activation, on a registry still empty.
        const [firstScan] = await scansLogged(env.logFile, env.pluginId, 1, 30000);
        const firstScanRss = rssHighWater(pid);
        Object.assign(globalThis, {PLUGIN_ID: env.pluginId});
        clientAt(env.url, admin.getToken());
        await setScanMinutes(WATCH_LIMITS.scan_minutes.max);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const idleRss = median(await repeat(10, async () => {
            await new Promise((resolve) => setTimeout(resolve, 50));
            return rss(pid);
        }));
        sampler = sampleRss(pid);

        const seenWrites = watchSeenWrites();

        console.log(`measuring ${count(population.tokens)} tokens: ${runs} runs of each`);
        const writesBefore = seenWrites();
        const first = await inventoryScan();
        const firstWrites = seenWrites() - writesBefore;
        const scans: Array<Awaited<ReturnType<typeof inventoryScan>>> = [];
        const rescanWrites: number[] = [];
        for (let i = 0; i < runs; i++) {
            const before = seenWrites();
            scans.push(await inventoryScan());
            rescanWrites.push(seenWrites() - before);
        }
        const scanMs = median(scans.map((x) => x.ms));
        const scanRequests = median(scans.map((x) => x.requests));
        const lines: Line[] = [
            {measure: 'full inventory load, Node (client + inventory)', figure: ms(scanMs), target: `<= ${ms(large ? fullLoadTarget.large : fullLoadTarget.small)}`,
                pass: scanMs <= (large ? fullLoadTarget.large : fullLoadTarget.small)},
            {measure: '  HTTP requests', figure: count(scanRequests)},
            {measure: '  each part done at (last run)', figure: phaseTimeline(scans.at(-1)!.phases)},
        ];

        if (!large) {
            const naive = await repeat(runs, () => naiveScan(env.url, admin.getToken()));
            const naiveMs = median(naive.map((n) => n.ms));
            lines.push(
                {measure: 'naive per-user script (tokens + sessions each)', figure: ms(naiveMs)},
                {measure: '  HTTP requests', figure: count(median(naive.map((n) => n.requests)))},
                {measure: '  plugin client speed-up', figure: `${(naiveMs / scanMs).toFixed(1)}x`, target: '>= 20x', pass: naiveMs / scanMs >= 20},
            );

            // The same two through the proxy, every request of either delayed alike.
            proxy = await FaultProxy.start(env.url);
            proxy.add({path: /./, fault: {kind: 'latency', ms: latencyMs}});
            clientAt(proxy.url, admin.getToken());
            const slowScans = await repeat(runs, inventoryScan);
            const slowNaive = await repeat(runs, () => naiveScan(proxy!.url, admin.getToken()));
            clientAt(env.url, admin.getToken());
            const slowMs = median(slowScans.map((x) => x.ms));
            const slowNaiveMs = median(slowNaive.map((n) => n.ms));
            lines.push(
                {measure: `${latencyMs} ms per request: full inventory load, Node`, figure: ms(slowMs), target: '<= 1.50 s', pass: slowMs <= 1500},
                {measure: `${latencyMs} ms per request: naive per-user script`, figure: ms(slowNaiveMs)},
                {measure: `  plugin client speed-up`, figure: `${(slowNaiveMs / slowMs).toFixed(1)}x`, target: '>= 20x', pass: slowNaiveMs / slowMs >= 20},
            );
        }

        const serverTarget = {url: env.url, sessionToken: admin.getToken(), channelId: env.fixtures.channelId, teamId: env.fixtures.teamId};
        const serverCommands = await repeat(runs, async () => ({list: await serverCommand(serverTarget, '/tokens list'), audit: await serverCommand(serverTarget, '/tokens audit')}));
        const serverPeak = sampler.peak();
        const serverListMs = median(serverCommands.map((c) => c.list));
        const serverAuditMs = median(serverCommands.map((c) => c.audit));
        const serverTargetMs = large ? 3000 : 1000;
        lines.push(
            {measure: 'server path: /tokens list (commands/execute, a full scan)', figure: ms(serverListMs), target: large ? '<= 5 s' : `<= ${ms(serverTargetMs)}`,
                pass: serverListMs <= (large ? 5000 : serverTargetMs)},
            {measure: 'server path: /tokens audit (commands/execute)', figure: ms(serverAuditMs), target: `<= ${ms(serverTargetMs)}`, pass: serverAuditMs <= serverTargetMs},
            {measure: 'server plugin RSS idle / peak', figure: `${mb(idleRss)} / ${mb(serverPeak)}`, target: '<= 200 MB', pass: serverPeak <= 200 * 2 ** 20},
        );
        if (!large) {
            const engines = compareEngines(engineAnswerInput(first.inventory, {siteURL: env.url, pluginId: env.pluginId}, '/tokens audit'), runs);
            const gojaMs = median(engines.goja.runsMs);
            const nodeMs = median(engines.node.runsMs);
            lines.push(
                {measure: 'engine /tokens audit answer: goja / Node', figure: `${ms(gojaMs)} / ${ms(nodeMs)} (${(gojaMs / nodeMs).toFixed(1)}x)`,
                    target: 'same answer', pass: engines.goja.answerSha256 === engines.node.answerSha256},
                {measure: '  first call (new runtime): goja / Node', figure: `${ms(engines.goja.coldMs)} / ${ms(engines.node.coldMs)}`},
            );
        }

        const page = await openHost(browser, adminLogin.username, adminLogin.password, {url: env.url});
        try {
            // tsx keeps function names by wrapping functions in __name(), which the page does not have.
            await page.addInitScript({content: 'globalThis.__name = (target) => target;'});
            await page.addInitScript(watchTable);
            const loads = await repeat(runs, () => tableLoad(page));
            const heap = await jsHeap(page);
            const someTokens = env.fixtures.tokens.slice(-2).map((t) => t.id);
            const typed = await cpuProfiled(page, `keystrokes-${first.rows}-rows`, () => searchKeystrokes(page, someTokens));
            const typedMs = median(typed);
            const firstRowsMs = median(loads.map((l) => l.firstRows));
            lines.push(
                {measure: 'console: navigation -> first rows on screen', figure: ms(firstRowsMs), target: large ? '<= 1 s' : undefined, pass: large ? firstRowsMs <= 1000 : undefined},
                {measure: 'console: navigation -> full table rendered', figure: ms(median(loads.map((l) => l.full)))},
                {measure: `console: keystroke -> filtered rows (${count(first.rows)} rows, ${typed.length} keys)`, figure: ms(typedMs), target: '<= 16 ms', pass: typedMs <= 16},
                {measure: 'console: JS heap after the load', figure: mb(heap), target: large ? '<= 300 MB' : undefined, pass: large ? heap <= 300 * 2 ** 20 : undefined},
            );
            if (!large) {
                // A command that gets no answer is a row of its own rather than the end of the report.
                const webRow = async (measure: string, once: () => Promise<number>, target?: number) => {
                    try {
                        const took = median(await repeat(runs, once));
                        lines.push({measure, figure: ms(took), target: target ? `<= ${target} ms` : undefined, pass: target ? took <= target : undefined});
                    } catch (err) {
                        lines.push({measure, figure: `failed: ${(err as Error).message.slice(0, 60)}`, target: target ? `<= ${target} ms` : undefined, pass: target ? false : undefined});
                    }
                };

                // The page keeps the inventory it read (the console's load, the first command's) for a
                // minute, so these answer from it.
                for (const line of ['/tokens list', '/tokens audit']) {
                    await webRow(`web path: ${line}, Enter -> answer posted`, () => command(page, line), 300);
                }

                // After an action the inventory is read again: enabling an active token changes nothing
                // on the server but is an action all the same.
                const active = env.fixtures.tokens.find((t) => t.active)!;
                await webRow('  the same after an action (the inventory read again)', async () => {
                    await command(page, `/tokens enable ${active.id}`);
                    return command(page, '/tokens list');
                });
            }
        } finally {
            await page.context().close();
        }

        const firstOk = firstWrites <= kvWritesPerPart * Math.ceil(first.rows / SEEN_IDS_PER_REQUEST);
        lines.push({measure: 'KV writes per console load (/seen): first / reload', figure: `${firstWrites} / ${median(rescanWrites)}`,
            target: `<= ${kvWritesPerPart} a part / 0`, pass: firstOk && median(rescanWrites) === 0});

        // The first-seen registry's shards, and the moment the watch started, written by the first scan.
        const scanWritesTarget = kvWritesPerPart + 1;
        const rescans = await scheduledScans(env.logFile, env.pluginId, pid, runs);
        const rescanMs = median(rescans.scans.map((r) => r.took_ms));
        const rescanWritesLogged = median(rescans.scans.map((r) => r.kv_writes));
        lines.push(
            {measure: `server scan (watch job, ${count(firstScan.tokens)} tokens): first / rescan`, figure: `${ms(firstScan.took_ms)} / ${ms(rescanMs)}`,
                target: '<= 5 s', pass: firstScan.took_ms <= 5000 && rescanMs <= 5000},
            {measure: '  KV writes per scan: first / rescan', figure: `${firstScan.kv_writes} / ${rescanWritesLogged}`,
                target: `<= ${scanWritesTarget}`, pass: firstScan.kv_writes <= scanWritesTarget && rescanWritesLogged <= scanWritesTarget},
            {measure: '  plugin RSS: high-water after the first / peak in rescans', figure: `${mb(firstScanRss)} / ${mb(rescans.peakRss)}`,
                target: '<= 200 MB', pass: Math.max(firstScanRss, rescans.peakRss) <= 200 * 2 ** 20},
        );
        return {
            title: `Mattermost ${env.version}, ${count(first.rows)} tokens of ${count(first.owners)} owners (${count(first.used)} with a session), ` +
                `${count(population.users)} users (${population.deactivatedPct}% deactivated, ${population.admins} system admins) and ${population.bots} bots besides the test fixtures`,
            lines,
        };
    } finally {
        sampler?.stop();
        await proxy?.close();
        await started.shutdown();
    }
}

// The first-seen registry's shards: a part of a scan writes at most one key per shard.
const kvWritesPerPart = 16;

async function main() {
    const {values} = parseArgs({options: {
        ...populationOptions, 'runs': {type: 'string'}, 'latency-ms': {type: 'string'}, 'large-tokens': {type: 'string'}, 'large-users': {type: 'string'},
    }});
    const population = populationFrom(values);
    const whole = (name: string, fallback: number) => {
        const raw = (values as Record<string, string | undefined>)[name] ?? process.env[`TA_BENCH_${name.replace(/-/g, '_').toUpperCase()}`];
        const value = Number(raw ?? fallback);
        if (!Number.isInteger(value) || value < 0) {
            throw new Error(`--${name} must be a whole number, not ${raw}`);
        }
        return value;
    };
    const runs = whole('runs', 5);
    if (runs < 1) {
        throw new Error('--runs must be at least 1');
    }
    const latencyMs = whole('latency-ms', 30);

    // The large population is the small one's shape at 100,000 tokens and 20,000 users; 0 skips it.
    const largeTokens = whole('large-tokens', 100000);
    const large: Population = {...population, tokens: largeTokens, users: whole('large-users', 20000)};

    process.env.TOKEN_AUDIT_TEST_MINUTE = SCAN_MINUTE;
    const browser = await launchBrowser();
    const tables: Measured[] = [];
    try {
        if (population.tokens > 0) {
            tables.push(await measure({population, runs, browser, latencyMs, large: false}));
        }
        if (largeTokens > 0) {
            tables.push(await measure({population: large, runs, browser, latencyMs, large: true}));
        }
    } finally {
        await browser.close();
    }

    const bundle = fs.readFileSync(path.join(repoRoot, 'webapp', 'dist', 'main.js'));
    const gzipped = zlib.gzipSync(bundle, {level: 9}).length;
    const bundleLine: Line = {measure: 'webapp main.js', figure: `${kb(bundle.length)} raw, ${kb(gzipped)} gzip`, target: '<= 40 KB gzip', pass: gzipped <= 40 * 1024};
    // The other scripts beside main.js: the catalogues, each fetched only by an admin who reads it.
    const chunkLines: Line[] = fs.readdirSync(path.join(repoRoot, 'webapp', 'dist')).filter((file) => file !== 'main.js' && file.endsWith('.js')).map((file) => {
        const chunk = fs.readFileSync(path.join(repoRoot, 'webapp', 'dist', file));
        return {measure: `  ${file} (loaded on demand)`, figure: `${kb(chunk.length)} raw, ${kb(zlib.gzipSync(chunk, {level: 9}).length)} gzip`};
    });
    console.log(`
Token Audit benchmark: median of ${runs} runs; ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB
${tables.map((t) => `\n${t.title}\n\n${table(t.lines)}\n`).join('')}
${table([bundleLine, ...chunkLines])}
`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
