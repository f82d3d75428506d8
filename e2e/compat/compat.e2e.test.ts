// The compatibility suite: what every supported Mattermost version must do with the plugin, run on a
// real server of each pinned version (`make compat`; TA_MATTERMOST picks the pin). The newest pin
// runs it as part of the full suite too.
import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, postFrom, screenshot, sendCommand} from '../harness/browser';
import {adminClient, environment, eventually, executeCommand, pluginRequest} from '../harness/context';
import {selectedPin} from '../harness/mattermost-build';
import {waitForPluginState} from '../harness/plugin';
import {SeededToken} from '../harness/seed';

import manifest from '../../plugin.json';

const pin = selectedPin();
const env = () => environment();
const fixtures = () => env().fixtures;
const consoleLink = () => `${env().url}/admin_console/plugins/plugin_${manifest.id}`;

let admin: Client4;
let browser: Browser;
let page: Page;

interface TrailRecord {action: string; phase: string; outcome: string; source: string; token_id: string}

async function trailFor(tokenId: string): Promise<string[]> {
    const response = await pluginRequest(admin, 'GET', `/trail?token=${tokenId}`);
    expect(response.status).toBe(200);
    return (response.body as {records: TrailRecord[]}).records.map((r) => `${r.action}:${r.phase}:${r.outcome}:${r.source}`).sort();
}

// The findings the seed decides; in the full suite other files may add `new` or exemptions on top.
const SEED_FINDINGS = ['owner_system_admin', 'owner_bot', 'owner_deactivated', 'disabled'];

// What the seed implies about each token on a server without token expiry.
function expectedFindings(token: SeededToken): string[] {
    const found = new Set<string>();
    if (['sysadmin', 'ops-admin'].includes(token.username)) {
        found.add('owner_system_admin');
    }
    if (token.username === 'ci-bot') {
        found.add('owner_bot');
    }
    if (token.username === 'erin') {
        found.add('owner_deactivated');
    }
    if (!token.active) {
        found.add('disabled');
    }
    return [...found].sort();
}

async function shownFindings(tokenId: string): Promise<string[]> {
    const ids = await page.getByTestId(`ta-row-${tokenId}`).locator('[data-testid^="ta-finding-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    return [...new Set(ids.map((id) => id.slice('ta-finding-'.length)))].filter((f) => SEED_FINDINGS.includes(f)).sort();
}

async function openConsole() {
    await page?.context().close();
    page = await openHost(browser, env().admin.username, env().admin.password);
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    await openConsole();
});

afterAll(async () => {
    await browser?.close();
});

test(`the server is Mattermost ${pin.version} and the plugin was installed through the API and is running`, async () => {
    expect(env().version.startsWith(`${pin.version}.`)).toBe(true);
    const plugins = await admin.getPlugins();
    expect(plugins.active.find((p) => p.id === manifest.id)?.version).toBe(manifest.version);
    const statuses = await admin.getPluginStatuses();
    expect(statuses.find((s) => s.plugin_id === manifest.id)?.state).toBe(2);
});

test(`the host page gives the plugin React ${pin.react}, as Mattermost ${pin.version}'s webapp does`, async () => {
    const versions = await page.evaluate(() => {
        const w = window as unknown as {React: {version: string}; ReactDOM: {version: string}};
        return [w.React.version, w.ReactDOM.version];
    });
    // ReactDOM 18.2.0 calls itself 18.2.0-next-9e3b772b8-20220608.
    expect(versions[0]).toBe(pin.react);
    expect(versions[1].startsWith(pin.react)).toBe(true);
});

test('the console shows every token the server has, each seeded one with its owner, state and findings', async () => {
    const rows = await page.locator('[data-testid^="ta-row-"]').count();
    expect(rows).toBe((await admin.getUserAccessTokens(0, 200)).length);
    for (const token of fixtures().tokens) {
        const text = await page.getByTestId(`ta-row-${token.id}`).textContent();
        expect(text).toContain(token.username);
        expect(text).toContain(token.active ? 'Active' : 'Disabled');
        expect(await shownFindings(token.id)).toEqual(expectedFindings(token));
    }
    await screenshot(page, `compat-${pin.version}-console`);
});

test('GET /usage reads this version\'s Sessions table and agrees with the REST API', async () => {
    const response = await pluginRequest(admin, 'GET', '/usage');
    expect(response.status).toBe(200);
    const served = (response.body as {usage: Record<string, {first_active: number; last_active: number}>}).usage;
    for (const token of fixtures().tokens) {
        const sessions = (await admin.getSessions(token.userId)).filter((s) => s.props?.user_access_token_id === token.id);
        expect(Boolean(served[token.id])).toBe(token.used);
        expect(sessions.length > 0).toBe(token.used);
        if (token.used) {
            expect(served[token.id].first_active).toBe(Math.min(...sessions.map((s) => s.create_at)));
        }
    }
});

test('web path: /tokens list answers with the server\'s tokens, and revoke --yes revokes and records the trail', async () => {
    const listed = await sendCommand(page, '/tokens list');
    expect(listed.error).toBeUndefined();
    for (const token of fixtures().tokens) {
        expect(listed.post).toContain(token.id);
    }

    const token = await admin.createUserAccessToken(fixtures().users.carol.id, 'compat hook revoke');
    const revoked = await sendCommand(page, `/tokens revoke ${token.id} --yes`);
    expect(revoked.post).toContain(token.id);
    await expect(admin.getUserAccessToken(token.id)).rejects.toMatchObject({status_code: 404});
    expect(await trailFor(token.id)).toEqual(['revoke:intent::command', 'revoke:outcome:ok:command']);
});

test('server path: /tokens list reads this version\'s database and answers as the web path does, and revoke --yes revokes and records the trail', async () => {
    const web = await sendCommand(page, '/tokens list');
    let listed = {status: 0, text: ''};
    const post = await postFrom(page, async () => {
        listed = await executeCommand(admin, '/tokens list');
    });
    expect(listed.status).toBe(200);
    expect(post).toBe(listed.text);
    for (const token of fixtures().tokens) {
        expect(listed.text).toContain(token.id);
    }
    expect(listed.text).toContain(consoleLink());
    expect(listed.text).toBe(web.post);

    const token = await admin.createUserAccessToken(fixtures().users.bob.id, 'compat server revoke');
    const asked = await executeCommand(admin, `/tokens revoke ${token.id}`);
    expect(asked.text).toContain('--yes');
    await expect(admin.getUserAccessToken(token.id)).resolves.toMatchObject({id: token.id});
    const done = await executeCommand(admin, `/tokens revoke ${token.id} --yes`);
    expect(done.text).toContain(token.id);
    await expect(admin.getUserAccessToken(token.id)).rejects.toMatchObject({status_code: 404});
    expect(await trailFor(token.id)).toEqual(['revoke:intent::command', 'revoke:outcome:ok:command']);
});

test('the console disables a token: the server agrees and the trail has intent and outcome', async () => {
    const token = await admin.createUserAccessToken(fixtures().users.alice.id, 'compat console disable');
    await openConsole();
    await page.getByTestId(`ta-disable-${token.id}`).click();
    await page.getByTestId('ta-confirm-ok').click();
    await page.getByTestId('ta-result').waitFor();
    await eventually(async () => (await admin.getUserAccessToken(token.id)).is_active, false);
    expect(await trailFor(token.id)).toEqual(['disable:intent::console', 'disable:outcome:ok:console']);

    // Inside the full suite, other files count the seeded tokens of alice.
    await admin.revokeUserAccessToken(token.id);
});

test('a policy saved in the console is stored and recorded in the trail', async () => {
    const policyUpdates = async () => ((await pluginRequest(admin, 'GET', '/trail?action=policy_update&limit=200')).body as {records: TrailRecord[]}).records.length;
    const updatesBefore = await policyUpdates();
    const before = (await pluginRequest(admin, 'GET', '/policy')).body as {version: number; stale_after_days: number};
    const days = before.stale_after_days === 45 ? 46 : 45;
    await page.getByTestId('ta-tab-policy').click();
    await page.getByTestId('ta-policy-stale_after_days').fill(String(days));
    await page.getByTestId('ta-policy-save').click();
    await eventually(async () => ((await pluginRequest(admin, 'GET', '/policy')).body as {stale_after_days: number}).stale_after_days, days);
    const after = (await pluginRequest(admin, 'GET', '/policy')).body as {version: number};
    expect(after.version).toBeGreaterThan(before.version);

    // The server stores the policy, then appends the trail record, in one request: the new policy
    // can be read before that request has finished.
    await eventually(policyUpdates, updatesBefore + 1);
});

test('disabling and re-enabling the plugin keeps its data and its page working', async () => {
    const policy = (await pluginRequest(admin, 'GET', '/policy')).body;
    await admin.disablePlugin(manifest.id);
    await waitForPluginState(admin, manifest.id, false);
    expect((await pluginRequest(admin, 'GET', '/policy')).status).toBe(404);
    await admin.enablePlugin(manifest.id);
    await waitForPluginState(admin, manifest.id, true);
    await expect(pluginRequest(admin, 'GET', '/policy')).resolves.toEqual({status: 200, body: policy});
    await openConsole();
    expect(await page.locator('[data-testid^="ta-row-"]').count()).toBeGreaterThanOrEqual(fixtures().tokens.length);
});
