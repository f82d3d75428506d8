// Token expiry as Mattermost 11.9 and 11.10 serve it, SIMULATED: no served server has it, so the test
// proxy (harness/expiry.ts) adds 11.9's `expires_at` and MaximumPersonalAccessTokenLifetimeDays to the
// real server's answers, and answers 11.10's non_compliant/count itself. Every other byte is the real
// server's. Each test name says so.
import fs from 'fs';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, screenshot, sendCommand} from '../harness/browser';
import {adminClient, environment, eventually, pluginRequest} from '../harness/context';
import {SimulatedExpiry} from '../harness/expiry';
import {FaultProxy} from '../harness/faults';
import {SeededToken} from '../harness/seed';
import {formatDate} from '../../webapp/src/engine';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_LIFETIME_DAYS = 90;
const EXPIRY_FINDINGS = ['never_expires', 'exceeds_max_lifetime', 'expired', 'expiring_soon'];

let admin: Client4;
let browser: Browser;
let proxy: FaultProxy;
let page: Page;
let policyBefore: {version: number; expiring_within_days: number; findings: Record<string, boolean>; stale_after_days: number; exemptions: Array<{kind: string; id: string; reason: string}>};
const now = Date.now();

const env = () => environment();
const seeded = (description: string): SeededToken => env().fixtures.tokens.find((t) => t.description === description)!;

// One of each kind: never, past, within 14 days, within the limit, beyond the limit; on people,
// on a deactivated owner, on a bot (exempt from the limit) and on disabled tokens (not counted).
const plan: Record<string, {expiresAt: number; findings: string[]}> = {
    'admin automation': {expiresAt: 0, findings: ['never_expires', 'exceeds_max_lifetime']},
    'ops backup script': {expiresAt: now - 2 * DAY_MS, findings: ['expired']},
    'old ops script': {expiresAt: 0, findings: ['never_expires']},
    'alice laptop': {expiresAt: now + 5 * DAY_MS, findings: ['expiring_soon']},
    'alice ci runner': {expiresAt: now + 400 * DAY_MS, findings: []},
    'bob integration': {expiresAt: now + 400 * DAY_MS, findings: ['exceeds_max_lifetime']},
    'erin export job': {expiresAt: now + 30 * DAY_MS, findings: []},
    'deploy pipeline': {expiresAt: 0, findings: ['never_expires']},
    'legacy webhook relay': {expiresAt: now + 400 * DAY_MS, findings: []},
};
const withFinding = (finding: string) => Object.entries(plan).filter(([, p]) => p.findings.includes(finding)).map(([d]) => seeded(d).id).sort();

function simulate(nonCompliantCount: boolean) {
    proxy.rewriteAnswers(new SimulatedExpiry(env().url, {
        expiresAt: Object.fromEntries(Object.entries(plan).map(([description, p]) => [seeded(description).id, p.expiresAt])),

        // Tokens other test files made are within the limit and not soon, so they add no finding.
        otherwise: now + 30 * DAY_MS,
        maxLifetimeDays: MAX_LIFETIME_DAYS,
        nonCompliantCount,
    }));
}

async function openConsole() {
    await page?.context().close();
    page = await openHost(browser, env().admin.username, env().admin.password, {url: proxy.url});
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
}

async function visibleRowIds(): Promise<string[]> {
    return page.locator('[data-testid^="ta-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('ta-row-'.length)));
}

async function shownExpiryFindings(tokenId: string): Promise<string[]> {
    const ids = await page.getByTestId(`ta-row-${tokenId}`).locator('[data-testid^="ta-finding-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('ta-finding-'.length)));
    return EXPIRY_FINDINGS.filter((f) => ids.includes(f));
}

// The text of the token's cell under the Expires column header.
// The expiry is a line of the row's State column.
async function expiresCell(tokenId: string): Promise<string> {
    return (await page.getByTestId(`ta-row-${tokenId}`).locator('.ta-field-expires').textContent()) ?? '';
}

async function download(format: 'csv' | 'json'): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`ta-export-${format}`).click()]);
    return fs.readFileSync((await file.path())!, 'utf8');
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    proxy = await FaultProxy.start(env().url);

    // The page at the proxy's address gets its websocket (and so its /tokens answers) as a page at
    // any address other than SiteURL does: once an admin lists the address in AllowCorsFrom.
    await admin.patchConfig({ServiceSettings: {AllowCorsFrom: proxy.url}} as never);

    // Other files may have moved the thresholds; these tests count on 14 days and the expiry findings on.
    policyBefore = (await pluginRequest(admin, 'GET', '/policy')).body as typeof policyBefore;
    const {version, stale_after_days, findings, exemptions} = policyBefore;
    const put = await pluginRequest(admin, 'PUT', '/policy', {
        version, stale_after_days, expiring_within_days: 14, findings: {...findings, never_expires: true, expiring_soon: true},
        exemptions: exemptions.map(({kind, id, reason}) => ({kind, id, reason})),
    });
    expect(put.status).toBe(200);
    simulate(true);
    await openConsole();
});

afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await admin.patchConfig({ServiceSettings: {AllowCorsFrom: ''}} as never);
    const current = (await pluginRequest(admin, 'GET', '/policy')).body as typeof policyBefore;
    const {stale_after_days, expiring_within_days, findings, exemptions} = policyBefore;
    await pluginRequest(admin, 'PUT', '/policy', {version: current.version, stale_after_days, expiring_within_days, findings, exemptions: exemptions.map(({kind, id, reason}) => ({kind, id, reason}))});
});

test('simulated 11.9 expiry: the table shows each token\'s expiry and exactly its expiry findings, by core\'s lifetime rule', async () => {
    for (const [description, p] of Object.entries(plan)) {
        const token = seeded(description);
        expect({description, findings: await shownExpiryFindings(token.id)}).toEqual({description, findings: p.findings});
        const cell = await expiresCell(token.id);
        if (p.expiresAt === 0) {
            expect(cell).toBe('Never expires');
        } else if (p.expiresAt < now) {
            expect(cell).toBe('Expired');
        } else {
            expect(cell).toBe(`Expires ${await page.evaluate((ms) => new Intl.DateTimeFormat('en', {year: 'numeric', month: 'short', day: 'numeric'}).format(ms), p.expiresAt)}`);
        }
    }
    await screenshot(page, 'expiry-simulated-console');
});

test('simulated 11.10 count: the page shows Mattermost\'s non-compliant count beside its own, and they agree', async () => {
    const own = page.getByTestId('ta-summary-exceeds_max_lifetime');
    expect(await own.locator('b').textContent()).toBe(String(withFinding('exceeds_max_lifetime').length));
    expect(await page.getByTestId('ta-summary-core-non-compliant').textContent()).toBe(`Mattermost counts ${withFinding('exceeds_max_lifetime').length}`);
    expect(proxy.requests('GET', /non_compliant\/count/).map((e) => e.status)).toContain(200);
});

test('simulated 11.9 without the 11.10 count route: the plugin still counts, and shows no core count', async () => {
    simulate(false);
    await openConsole();
    expect(await page.getByTestId('ta-summary-exceeds_max_lifetime').locator('b').textContent()).toBe(String(withFinding('exceeds_max_lifetime').length));
    expect(await page.getByTestId('ta-summary-core-non-compliant').count()).toBe(0);
    simulate(true);
    await openConsole();
});

test.each(['expired', 'expiring_soon', 'exceeds_max_lifetime', 'never_expires'])('simulated expiry: filtering by %s shows exactly those tokens', async (finding) => {
    await page.getByTestId('ta-filter-finding').selectOption(finding);
    await eventually(async () => (await visibleRowIds()).sort(), withFinding(finding));
    await page.getByTestId('ta-filter-finding').selectOption('');
});

test('simulated expiry: sorting by expiry orders the tokens from soonest to never, and back', async () => {
    const byExpiry = Object.entries(plan).map(([d, p]) => ({id: seeded(d).id, key: p.expiresAt === 0 ? Number.POSITIVE_INFINITY : p.expiresAt}));
    const seededOrder = async () => (await visibleRowIds()).filter((id) => byExpiry.some((t) => t.id === id));
    const keyOf = (id: string) => byExpiry.find((t) => t.id === id)!.key;
    const ascending = (ids: string[]) => ids.every((id, i) => i === 0 || keyOf(ids[i - 1]) <= keyOf(id));

    await page.getByTestId('ta-page-size').selectOption('200');
    await page.getByTestId('ta-sort-expires').click();
    await eventually(async () => ascending(await seededOrder()) && (await seededOrder()).length === byExpiry.length, true);
    expect(keyOf((await seededOrder())[0])).toBe(plan['ops backup script'].expiresAt);
    await page.getByTestId('ta-sort-expires').click();
    await eventually(async () => ascending((await seededOrder()).reverse()), true);
    expect(keyOf((await seededOrder())[0])).toBe(Number.POSITIVE_INFINITY);
});

test('simulated expiry: CSV and JSON exports carry each token\'s expiry', async () => {
    const json = JSON.parse(await download('json')) as Array<{token_id: string; expires_at: number | null; findings: string[]}>;
    const csv = await download('csv');
    const header = csv.split('\r\n')[0].split(',');
    const column = header.indexOf('expires_at');
    for (const [description, p] of Object.entries(plan)) {
        const id = seeded(description).id;
        const record = json.find((r) => r.token_id === id)!;
        expect(record.expires_at).toBe(p.expiresAt);
        expect(EXPIRY_FINDINGS.filter((f) => record.findings.includes(f))).toEqual(p.findings);
        const line = csv.split('\r\n').find((l) => l.startsWith(`${id},`))!;
        expect(line.split(',')[column]).toBe(p.expiresAt === 0 ? 'never' : new Date(p.expiresAt).toISOString());
    }
});

test('simulated expiry: /tokens show gives the expiry, and /tokens list --finding lists by it', async () => {
    const bob = seeded('bob integration');
    const shown = await sendCommand(page, `/tokens show ${bob.id}`);
    // Answers give dates in ISO order and UTC, written by the engine alike on both hosts.
    expect(shown.post).toContain(formatDate(plan['bob integration'].expiresAt));
    expect(shown.post).toContain('over max lifetime');

    const never = await sendCommand(page, `/tokens show ${seeded('admin automation').id}`);
    expect(never.post).toMatch(/Expires\W+Never/i);

    for (const finding of ['expired', 'exceeds_max_lifetime']) {
        const listed = await sendCommand(page, `/tokens list --finding ${finding}`);
        for (const token of env().fixtures.tokens) {
            if (withFinding(finding).includes(token.id)) {
                expect(listed.post).toContain(token.id);
            } else {
                expect(listed.post).not.toContain(token.id);
            }
        }
    }
});

test('the real server, without the simulation, has no expiry: no expiry column, findings or core count', async () => {
    proxy.rewriteAnswers(undefined);
    const before = proxy.events.length;
    await openConsole();
    expect(await page.getByTestId('ta-sort-expires').count()).toBe(0);
    expect(await page.getByTestId('ta-summary-exceeds_max_lifetime').count()).toBe(0);
    expect(await page.getByTestId('ta-summary-core-non-compliant').count()).toBe(0);
    // Without the lifetime setting in the config the page does not even ask for core's count.
    expect(proxy.events.slice(before).filter((e) => /non_compliant/.test(e.path))).toEqual([]);
});
