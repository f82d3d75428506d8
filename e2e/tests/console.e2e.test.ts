// The System Console page, rendered from the real bundle in headless Chromium against the real server.
// Tests that change tokens create their own, so the seeded ones stay as seeded for every file.
import fs from 'fs';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, screenshot} from '../harness/browser';
import {adminClient, environment, eventually, pluginRequest} from '../harness/context';

let browser: Browser;
let admin: Client4;
let page: Page;

const fixtures = () => environment().fixtures;
const row = (tokenId: string) => page.getByTestId(`ta-row-${tokenId}`);

async function visibleRowIds(): Promise<string[]> {
    const ids = await page.locator('[data-testid^="ta-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('ta-row-'.length)));
    return ids.sort();
}

async function freshToken(owner: string, description: string): Promise<string> {
    const created = await admin.createUserAccessToken(fixtures().users[owner].id, description);
    return created.id;
}

async function reopen() {
    await page.context().close();
    const env = environment();
    page = await openHost(browser, env.admin.username, env.admin.password);
    await page.getByTestId('ta-table').waitFor();
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    const env = environment();
    const started = Date.now();
    page = await openHost(browser, env.admin.username, env.admin.password);
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
    console.log(`seeded inventory loaded in the browser in ${Date.now() - started} ms (login, host page, bundle, full scan)`);
});

afterAll(async () => {
    await browser?.close();
});

test('every seeded token appears with its owner, state and findings', async () => {
    for (const token of fixtures().tokens) {
        const cells = row(token.id);
        await expect(cells.textContent()).resolves.toContain(token.username);
        await expect(cells.textContent()).resolves.toContain(token.active ? 'Active' : 'Disabled');
        if (!token.active) {
            await expect(cells.getByTestId('ta-finding-disabled').count()).resolves.toBe(1);
        }
    }
    const byOwner = (username: string) => fixtures().tokens.filter((t) => t.username === username);
    for (const token of byOwner('ci-bot')) {
        await expect(row(token.id).getByTestId('ta-finding-owner_bot').count()).resolves.toBe(1);
    }
    for (const token of byOwner('erin')) {
        await expect(row(token.id).getByTestId('ta-finding-owner_deactivated').count()).resolves.toBe(1);
    }
    for (const token of [...byOwner('ops-admin'), ...byOwner('sysadmin')]) {
        await expect(row(token.id).getByTestId('ta-finding-owner_system_admin').count()).resolves.toBe(1);
    }
    for (const token of byOwner('alice')) {
        await expect(row(token.id).getByTestId('ta-finding-owner_system_admin').count()).resolves.toBe(0);
    }
    await screenshot(page, 'console-full');
});

test('search by username and by token id', async () => {
    const search = page.getByTestId('ta-search');
    await search.fill('alice');
    const alice = fixtures().tokens.filter((t) => t.username === 'alice').map((t) => t.id).sort();
    await eventually(visibleRowIds, alice);

    const bob = fixtures().tokens.find((t) => t.username === 'bob')!;
    await search.fill(bob.id);
    await eventually(visibleRowIds, [bob.id]);
    await search.fill('');
});

test('filter by finding', async () => {
    await page.getByTestId('ta-filter-finding').selectOption('owner_bot');
    const bots = fixtures().tokens.filter((t) => t.username === 'ci-bot').map((t) => t.id).sort();
    await eventually(visibleRowIds, bots);
    await screenshot(page, 'console-filtered');
    await page.getByTestId('ta-filter-finding').selectOption('');
});

test('revoke one token: gone on the server, intent and outcome in the trail', async () => {
    const tokenId = await freshToken('bob', 'to be revoked from the console');
    await reopen();
    await page.getByTestId(`ta-revoke-${tokenId}`).click();
    await expect(page.getByTestId('ta-confirm').textContent()).resolves.toContain('bob');
    await page.getByTestId('ta-confirm-ok').click();
    await page.getByTestId('ta-result').waitFor();

    await expect(admin.getUserAccessToken(tokenId)).rejects.toMatchObject({status_code: 404});
    const trail = await pluginRequest(admin, 'GET', `/trail?token=${tokenId}`);
    const records = (trail.body as {records: Array<{phase: string; action: string; outcome: string; action_id: string}>}).records;
    expect(records.map((r) => `${r.action}:${r.phase}:${r.outcome}`).sort()).toEqual(['revoke:intent:', 'revoke:outcome:ok']);
    expect(new Set(records.map((r) => r.action_id)).size).toBe(1);
});

test('bulk-disable two, enable one: the server agrees', async () => {
    const first = await freshToken('carol', 'bulk one');
    const second = await freshToken('carol', 'bulk two');
    await reopen();
    await page.getByTestId(`ta-select-${first}`).check();
    await page.getByTestId(`ta-select-${second}`).check();
    await page.getByTestId('ta-bulk-disable').click();
    const confirm = await page.getByTestId('ta-confirm').textContent();
    expect(confirm).toContain('2');
    expect(confirm).toContain('carol');
    await screenshot(page, 'console-bulk-confirm');
    await page.getByTestId('ta-confirm-ok').click();
    await page.getByTestId('ta-result').waitFor();
    await expect(admin.getUserAccessToken(first)).resolves.toMatchObject({is_active: false});
    await expect(admin.getUserAccessToken(second)).resolves.toMatchObject({is_active: false});

    await reopen();
    await page.getByTestId(`ta-enable-${first}`).click();
    if (await page.getByTestId('ta-confirm').count()) {
        await page.getByTestId('ta-confirm-ok').click();
    }
    await eventually(async () => (await admin.getUserAccessToken(first)).is_active, true);
    await expect(admin.getUserAccessToken(second)).resolves.toMatchObject({is_active: false});
});

test('CSV export matches the server', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ta-export-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const all = await admin.getUserAccessTokens(0, 200);
    for (const token of all) {
        expect(csv).toContain(token.id);
    }
    const dataLines = csv.trim().split(/\r?\n/).length - 1;
    expect(dataLines).toBe(all.length);
});

test('a regular user is refused and sees no token data', async () => {
    const env = environment();
    const alice = await openHost(browser, 'alice', env.fixtures.password);
    await alice.getByTestId('ta-refused').waitFor();
    await expect(alice.locator('[data-testid^="ta-row-"]').count()).resolves.toBe(0);
    const text = await alice.textContent('body');
    for (const token of env.fixtures.tokens) {
        expect(text).not.toContain(token.id);
    }
    await alice.context().close();
});
