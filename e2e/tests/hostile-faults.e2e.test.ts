// The console under hostile conditions: a fault-injecting proxy between the browser page and the
// real server (latency, 5xx, 429, dropped connections, answers lost after the server acted), the
// server restarted in the middle of a bulk action, the plugin switched off and on under an open page,
// and personal access tokens switched off server-wide. Whatever happens, the page must say only what
// is true, retry only what is safe, and the audit trail must match what the server really did.
import fs from 'fs';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, screenshot, sendCommand} from '../harness/browser';
import {adminClient, environment, eventually, executeCommand, killServer, pluginRequest, startServerAgain} from '../harness/context';
import {FaultProxy, ProxyEvent} from '../harness/faults';
import {kvDiff, readPluginKV} from '../harness/kv';
import {waitForPluginState} from '../harness/plugin';

type State = 'active' | 'disabled' | 'revoked';

interface TrailRecord {action_id: string; phase: string; action: string; token_id: string; outcome: string; error: string}

let admin: Client4;
let browser: Browser;
let proxy: FaultProxy;
let ownerId = '';
const made: Record<string, string[]> = {};
let recordsLost = 0;

const env = () => environment();
const pluginPath = () => `/plugins/${env().pluginId}/api/v1`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Requests that may be sent twice without doing anything twice.
function isRead(e: ProxyEvent): boolean {
    return e.method === 'GET' || /^\/api\/v4\/users\/(ids|tokens\/search)$/.test(e.path) || e.path.startsWith(`${pluginPath()}/seen`);
}

async function state(tokenId: string): Promise<State> {
    try {
        return (await admin.getUserAccessToken(tokenId)).is_active ? 'active' : 'disabled';
    } catch (err) {
        if ((err as {status_code?: number}).status_code === 404) {
            return 'revoked';
        }
        throw err;
    }
}

async function trailFor(tokenId: string): Promise<TrailRecord[]> {
    const response = await pluginRequest(admin, 'GET', `/trail?token=${tokenId}&limit=200`);
    expect(response.status).toBe(200);
    return (response.body as {records: TrailRecord[]}).records;
}

async function openConsole(url = env().url): Promise<Page> {
    const page = await openHost(browser, env().admin.username, env().admin.password, {url, socket: false});
    await page.getByTestId('ta-table').waitFor({timeout: 120000});
    return page;
}

// Selects every token whose description starts with `prefix` and runs `action` on them from the bulk bar.
async function startBulk(page: Page, action: 'disable', prefix: string, count: number) {
    await page.getByTestId('ta-search').fill(prefix);
    await eventually(() => page.locator('[data-testid^="ta-row-"]').count(), count, 30000);
    await page.getByTestId('ta-select-all').check();
    await page.getByTestId(`ta-bulk-${action}`).click();
    await expect(page.getByTestId('ta-confirm-text').textContent()).resolves.toContain(String(count));
    await page.getByTestId('ta-confirm-ok').click();
}

interface Shown {
    done: string[];

    // Failed, with the reason the page gave.
    failed: Map<string, string>;
}

// What the result report claims: every target not listed as failed is claimed done.
async function shownResult(page: Page, targets: string[]): Promise<Shown> {
    await page.getByTestId('ta-result').waitFor({timeout: 180000});
    const items = await page.getByTestId('ta-result').locator('li').allTextContents();
    const failed = new Map<string, string>();
    for (const id of targets) {
        const item = items.find((text) => text.includes(`(${id})`));
        if (item) {
            failed.set(id, item.slice(item.indexOf(':') + 1).trim());
        }
    }
    const title = (await page.locator('#ta-result-title').textContent()) ?? '';
    const done = targets.filter((id) => !failed.has(id));
    expect(title).toMatch(failed.size ? new RegExp(`\\b${done.length} of ${targets.length}\\b`) : new RegExp(`\\b${targets.length} tokens?\\b`));
    return {done, failed};
}

// Compares what the page said, what the trail says and what the server did, token by token.
// Returns how many trail records are missing (lost) so the caller can report it.
async function reconcile(action: 'disable', targets: string[], shown: Shown): Promise<{done: number; notDone: number; unknown: number; lost: number}> {
    const effect: State = 'disabled';
    let done = 0;
    let lost = 0;
    let unknown = 0;
    for (const id of targets) {
        const real = await state(id);
        const happened = real === effect;
        done += happened ? 1 : 0;
        const reason = shown.failed.get(id);

        // Claimed done means done; claimed failed means not done, unless the page said it cannot know.
        if (reason === undefined) {
            expect({id, real}).toEqual({id, real: effect});
        } else if (/outcome unknown/i.test(reason)) {
            unknown++;
        } else {
            expect({id, real, reason}).toEqual({id, real: 'active', reason});
        }

        const records = (await trailFor(id)).filter((r) => r.action === action);
        const intents = records.filter((r) => r.phase === 'intent');
        const outcomes = records.filter((r) => r.phase === 'outcome');
        lost += (intents.length ? 0 : 1) + (outcomes.length ? 0 : 1);
        expect({id, intents: intents.length, outcomes: outcomes.length}).toEqual({id, intents: 1, outcomes: 1});
        expect({id, recorded: outcomes[0]?.outcome}).toEqual({id, recorded: happened ? 'ok' : 'error'});
    }
    recordsLost += lost;
    return {done, notDone: targets.length - done, unknown, lost};
}

// Action requests are never repeated for a token; faulted reads are repeated until they succeed.
function expectSafeRetries(events: ProxyEvent[]) {
    const actions = events.filter((e) => /^\/api\/v4\/users\/tokens\/(revoke|disable|enable)$/.test(e.path));
    const perToken = new Map<string, number>();
    for (const e of actions) {
        const key = `${e.path} ${JSON.parse(e.body).token_id}`;
        perToken.set(key, (perToken.get(key) ?? 0) + 1);
    }
    expect([...perToken].filter(([, n]) => n > 1)).toEqual([]);

    events.forEach((e, i) => {
        if (e.fault && e.fault !== 'latency' && isRead(e)) {
            const retried = events.slice(i + 1).some((later) => later.method === e.method && later.path === e.path && later.body === e.body);
            const lastOfPersistentFailure = events.filter((other) => other.method === e.method && other.path === e.path && other.body === e.body).length > 1;
            expect({read: `${e.method} ${e.path}`, retried: retried || lastOfPersistentFailure}).toEqual({read: `${e.method} ${e.path}`, retried: true});
        }
    });
}

async function makeTokens(prefix: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
        ids.push((await admin.createUserAccessToken(ownerId, `${prefix} ${String(i).padStart(3, '0')}`)).id);
    }
    made[prefix] = ids;
    return ids;
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    proxy = await FaultProxy.start(env().url);
    const owner = await admin.createUser({username: 'fx-owner', email: 'fx-owner@example.com', password: env().fixtures.password} as never, '', '', '');
    ownerId = owner.id;

    // Enough tokens that the server's list takes two pages of 200, so a fault can hit the second.
    await makeTokens('fx pad', 200);
});

afterEach(() => {
    proxy.clear();
});

afterAll(async () => {
    // Other suites compare against the first page of tokens, so the extra ones go.
    for (const id of Object.values(made).flat()) {
        await admin.revokeUserAccessToken(id).catch(() => undefined);
    }
    await proxy?.close();
    await browser?.close();
    console.log(`faults injected: ${proxy?.injected ?? 0} over ${proxy?.events.length ?? 0} proxied requests; records lost: ${recordsLost}`);
});

test('a full scan through latency, 429s, 5xx and dropped connections: reads retried, a lasting failure reported as partial', async () => {
    const alice = env().fixtures.users.alice.id;
    proxy.add({path: /^\/(api\/v4|plugins)\//, fault: {kind: 'latency', ms: 60}});
    proxy.add({method: 'GET', path: /^\/api\/v4\/users\/tokens\?page=0&/, nth: [1], fault: {kind: 'status', status: 429, retryAfter: '1'}});
    proxy.add({method: 'GET', path: /^\/api\/v4\/users\/tokens\?page=1&/, nth: [1], fault: {kind: 'status', status: 500}});
    proxy.add({method: 'GET', path: /^\/api\/v4\/users\/tokens\?page=1&/, nth: [2], fault: {kind: 'drop'}});
    proxy.add({method: 'POST', path: /^\/api\/v4\/users\/ids$/, nth: [1], fault: {kind: 'drop'}});
    proxy.add({method: 'POST', path: new RegExp(`^${escape(pluginPath())}/seen$`), nth: [1], fault: {kind: 'status', status: 503}});
    proxy.add({method: 'GET', path: new RegExp(`^${escape(pluginPath())}/policy$`), nth: [1], fault: {kind: 'drop-after'}});
    proxy.add({method: 'GET', path: new RegExp(`^/api/v4/users/${alice}/sessions$`), fault: {kind: 'status', status: 500}});

    // Usage for every token in one request, when the plugin can serve it; failing, the page asks per owner.
    proxy.add({method: 'GET', path: new RegExp(`^${escape(pluginPath())}/usage$`), fault: {kind: 'status', status: 500}});

    const page = await openConsole(proxy.url);
    const warning = page.getByTestId('ta-partial');
    await expect(warning.textContent()).resolves.toMatch(/Sessions of 1 owner could not be read/);
    await expect(warning.textContent()).resolves.not.toMatch(/owners of|first-seen|preferences|saved views|configuration/);

    // Every token the server has is in the inventory, once: the export is the whole of it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ta-export-json').click()]);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as Array<{token_id: string}>;
    const exportedIds = exported.map((r) => r.token_id).sort();
    const serverIds: string[] = [];
    for (let p = 0; ; p++) {
        const batch = await admin.getUserAccessTokens(p, 200);
        serverIds.push(...batch.map((t) => t.id));
        if (batch.length < 200) {
            break;
        }
    }
    expect(exportedIds).toEqual([...new Set(serverIds)].sort());

    // Alice's activity is unknown, not "never": the page does not guess.
    const laptop = env().fixtures.tokens.find((t) => t.description === 'alice laptop')!;
    await page.getByTestId('ta-search').fill(laptop.id);
    await expect(page.getByTestId(`ta-row-${laptop.id}`).textContent()).resolves.toContain('Unknown');
    await screenshot(page, 'faults-partial-scan');

    expectSafeRetries(proxy.events);
    await page.context().close();
});

test('a token list that keeps failing is an error with a retry, never a short list', async () => {
    proxy.add({method: 'GET', path: /^\/api\/v4\/users\/tokens\?page=1&/, fault: {kind: 'status', status: 502}});
    const page = await openHost(browser, env().admin.username, env().admin.password, {url: proxy.url, socket: false});
    await page.getByTestId('ta-error').waitFor({timeout: 120000});
    await expect(page.locator('[data-testid^="ta-row-"]').count()).resolves.toBe(0);
    proxy.clear();
    await page.getByTestId('ta-error').getByRole('button').click();
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
    await page.context().close();
});

test('a bulk disable through 5xx, 429, drops and a lost answer: the page, the trail and the server agree', async () => {
    const targets = await makeTokens('fx bulk', 24);
    const page = await openConsole(proxy.url);
    const first = proxy.events.length;
    const disable = /^\/api\/v4\/users\/tokens\/disable$/;
    const aim = (i: number) => new RegExp(targets[i]);
    proxy.add({method: 'POST', path: disable, body: aim(0), fault: {kind: 'status', status: 500}});
    proxy.add({method: 'POST', path: disable, body: aim(1), fault: {kind: 'drop'}});
    proxy.add({method: 'POST', path: disable, body: aim(2), fault: {kind: 'drop-after'}});
    proxy.add({method: 'POST', path: disable, body: aim(3), fault: {kind: 'status', status: 429, retryAfter: '0'}});
    proxy.add({method: 'POST', path: disable, body: aim(4), fault: {kind: 'status', status: 502}});
    proxy.add({method: 'POST', path: disable, body: aim(5), fault: {kind: 'drop-after'}});
    proxy.add({method: 'POST', path: disable, fault: {kind: 'latency', ms: 150}});

    // The outcome records reach the server but their answer is lost: they must be there exactly once.
    proxy.add({method: 'POST', path: new RegExp(`^${escape(pluginPath())}/trail$`), body: /"phase":"outcome"/, nth: [1], fault: {kind: 'drop-after'}});

    await startBulk(page, 'disable', 'fx bulk', targets.length);
    const shown = await shownResult(page, targets);
    const hit = proxy.events.slice(first).filter((e) => e.fault && e.fault !== 'latency').map((e) => e.fault).sort();
    expect(hit).toEqual(['drop', 'drop-after', 'drop-after', 'drop-after', 'status', 'status', 'status']);
    await screenshot(page, 'faults-bulk-result');
    const result = await reconcile('disable', targets, shown);
    console.log(`bulk disable under faults: ${targets.length} tokens, done ${result.done}, not done ${result.notDone}, shown as unknown ${result.unknown}, trail records lost ${result.lost}`);

    // The six aimed at: the three answered with an error were not done, the two whose answer was
    // lost were done, and nothing was guessed.
    expect(await Promise.all(targets.slice(0, 6).map(state))).toEqual(['active', 'active', 'disabled', 'active', 'active', 'disabled']);
    expect(result.unknown).toBe(0);

    // The bulk summary is recorded once each way, with the number that failed.
    const actionId = (await trailFor(targets[6]))[0].action_id;
    const summaries = ((await pluginRequest(admin, 'GET', '/trail?action=bulk_disable&limit=200')).body as {records: Array<TrailRecord & {count: number}>}).records.
        filter((r) => r.action_id === actionId).map((r) => `${r.phase}:${r.outcome}:${r.count}:${r.error}`).sort();
    expect(summaries).toEqual(['intent::24:', `outcome:error:24:${result.notDone} of 24 failed`]);

    // The table, re-read after the run, shows what the server has.
    for (const id of targets) {
        await expect(page.getByTestId(`ta-row-${id}`).textContent()).resolves.toContain((await state(id)) === 'disabled' ? 'Disabled' : 'Active');
    }
    expectSafeRetries(proxy.events.slice(first));
    await page.context().close();
});

test('the server killed (SIGKILL) in the middle of a bulk disable and started again: the page, the trail and the tokens agree', async () => {
    const targets = await makeTokens('fx restart', 30);
    const page = await openConsole(proxy.url);
    const first = proxy.events.length;
    const disable = /^\/api\/v4\/users\/tokens\/disable$/;

    // The first six disables go through; the next ones are held at the proxy, so they are certainly
    // on their way when the server dies.
    const afterTheFirstSix = targets.slice(6).map((_, i) => i + 7);
    let release = () => undefined as void;
    proxy.add({method: 'POST', path: disable, nth: afterTheFirstSix, fault: {kind: 'hold', release: new Promise<void>((resolve) => (release = resolve))}});
    await startBulk(page, 'disable', 'fx restart', targets.length);
    await eventually(async () => proxy.holding >= 6, true, 60000);
    await killServer();
    try {
        // They, and whatever the page sends next, reach a dead server and fail before it is back. The
        // server is started again whatever happens, or every later test would meet a dead server.
        release();
        const failedAgainstDeadServer = async () => proxy.events.slice(first).some((e) => disable.test(e.path) && e.status === 502);
        await eventually(failedAgainstDeadServer, true, 60000);
    } finally {
        await startServerAgain();
    }
    admin = await adminClient();
    await waitForPluginState(admin, env().pluginId, true);

    const shown = await shownResult(page, targets);
    await screenshot(page, 'faults-restart-result');
    const result = await reconcile('disable', targets, shown);
    console.log(`bulk disable across a SIGKILL: ${targets.length} tokens, done ${result.done}, not done ${result.notDone}, shown as unknown ${result.unknown}, trail records lost ${result.lost}`);
    expect(result.done).toBeGreaterThanOrEqual(6);
    expect(result.notDone).toBeGreaterThanOrEqual(6);
    expectSafeRetries(proxy.events.slice(first));
    await page.context().close();
});

// Through the proxy the server refuses the page's websocket (its Origin is not SiteURL's), so the
// page never hears plugin_disabled and keeps showing the plugin, as a client whose websocket is down
// does; a client that hears it drops the plugin's page (webapp-likeness covers that).
test('the plugin switched off under an open console that missed the news: nothing is done or claimed; switched on, the same page works again', async () => {
    const targets = await makeTokens('fx plugin', 2);
    const page = await openConsole(proxy.url);
    const kvBefore = await readPluginKV();
    await admin.disablePlugin(env().pluginId);
    try {
        await waitForPluginState(admin, env().pluginId, false);
        await startBulk(page, 'disable', 'fx plugin', targets.length);
        await page.getByTestId('ta-result').waitFor({timeout: 60000});
        await expect(page.locator('#ta-result-title').textContent()).resolves.toMatch(/^Nothing was changed/);
        expect(await Promise.all(targets.map(state))).toEqual(['active', 'active']);

        const web = await sendCommand(page, '/tokens list');
        expect(web).toEqual({error: expect.stringMatching(/^Token Audit could not answer \/tokens: /)});
        const server = await executeCommand(admin, '/tokens list');
        expect(server.status).toBe(404);
        expect(kvDiff(kvBefore, await readPluginKV())).toEqual([]);
    } finally {
        await admin.enablePlugin(env().pluginId);
        await waitForPluginState(admin, env().pluginId, true);
    }

    // No websocket, so the answer is seen where it goes: the plugin's ephemeral route takes it.
    const first = proxy.events.length;

    // The refused draft is still in the box, and the box sends it again only once it is edited.
    await page.getByTestId('host-input').fill('');
    await page.getByTestId('host-input').fill('/tokens list');
    await page.getByTestId('host-input').press('Enter');
    await page.locator('.post-create[data-busy="false"]:has([data-testid="host-input"])').waitFor({timeout: 60000});
    await expect(page.getByTestId('host-error').textContent()).resolves.toBe('');

    // The box is given back once the placeholder is up; the answer replaces it after.
    const answers = async () => proxy.events.slice(first).filter((e) => e.path.startsWith(`${pluginPath()}/ephemeral`)).map((e) => `${e.method}:${e.status}`);
    await eventually(answers, ['POST:201', 'PUT:204'], 60000);
    expect(proxy.events.slice(first).find((e) => e.method === 'PUT' && e.path.startsWith(`${pluginPath()}/ephemeral/`))!.body).toContain('fx-owner');

    await page.getByTestId('ta-result').getByRole('button').click();
    await page.getByTestId('ta-select-all').uncheck();
    await startBulk(page, 'disable', 'fx plugin', targets.length);
    const shown = await shownResult(page, targets);
    expect(shown.failed.size).toBe(0);
    await reconcile('disable', targets, shown);
    await page.context().close();
});

test('personal access tokens switched off server-wide: the console and /tokens say so plainly, then switched back', async () => {
    const disabledNote = /Personal access tokens are (disabled|switched off) on this server/;
    await admin.patchConfig({ServiceSettings: {EnableUserAccessTokens: false}} as never);
    try {
        const page = await openConsole();
        await expect(page.getByTestId('ta-tokens-disabled').textContent()).resolves.toMatch(disabledNote);
        await screenshot(page, 'faults-tokens-disabled');
        for (const command of ['/tokens list', '/tokens audit', '/tokens help']) {
            expect({command, answer: await sendCommand(page, command)}).toEqual({command, answer: {post: expect.stringMatching(disabledNote)}});
            const server = await executeCommand(admin, command);
            expect({command, server: server.text}).toEqual({command, server: expect.stringMatching(disabledNote)});
        }
        await page.context().close();
    } finally {
        await admin.patchConfig({ServiceSettings: {EnableUserAccessTokens: true}} as never);
    }
    const page = await openConsole();
    await expect(page.getByTestId('ta-tokens-disabled').count()).resolves.toBe(0);
    expect((await sendCommand(page, '/tokens list')).post).not.toMatch(disabledNote);
    expect((await executeCommand(admin, '/tokens help')).text).not.toMatch(disabledNote);
    await page.context().close();
});
