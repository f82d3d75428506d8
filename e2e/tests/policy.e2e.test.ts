// The Policy tab against the real server, in headless Chromium: the watch preferences, exemptions
// that end, and the what-if of an edit before it is saved. Every test leaves the policy as it found it.
import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, screenshot} from '../harness/browser';
import {adminClient, environment, eventually, executeCommand, pluginRequest} from '../harness/context';

interface Watch {
    scan_minutes: number;
    alert_channel_id: string;
    alert_findings: string[];
    digest: {schedule: string; hour_utc: number; weekday: number; channel_id: string};
    offboarding: string;
}
interface Policy {
    version: number;
    stale_after_days: number;
    expiring_within_days: number;
    findings: Record<string, boolean>;
    exemptions: Array<{kind: string; id: string; reason: string; added_by: string; added_at: number; expires_at?: number}>;
    watch: Watch;
}

let browser: Browser;
let admin: Client4;
let page: Page;
let initial: Policy;

const fixtures = () => environment().fixtures;

async function currentPolicy(): Promise<Policy> {
    const response = await pluginRequest(admin, 'GET', '/policy');
    expect(response.status).toBe(200);
    return response.body as Policy;
}

function policyInput(policy: Policy, changes: Partial<Policy> = {}) {
    const {version, stale_after_days, expiring_within_days, findings, exemptions, watch} = {...policy, ...changes};
    return {version, stale_after_days, expiring_within_days, findings, watch, exemptions: exemptions.map(({kind, id, reason, expires_at}) => ({kind, id, reason, ...(expires_at ? {expires_at} : {})}))};
}

// The server path of /tokens (no webapp hook), as a mobile app gets it.
async function executeCommandText(command: string): Promise<string> {
    const answer = await executeCommand(admin, command);
    expect(answer.status).toBe(200);
    return answer.text;
}

async function openPolicyTab() {
    await page?.context().close();
    const env = environment();
    page = await openHost(browser, env.admin.username, env.admin.password);
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
    await page.getByTestId('ta-tab-policy').click();
    await page.getByTestId('ta-watch').waitFor();
}

async function restore() {
    const now = await currentPolicy();
    const response = await pluginRequest(admin, 'PUT', '/policy', policyInput(initial, {version: now.version}));
    expect(response.status).toBe(200);
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    initial = await currentPolicy();
});

afterAll(async () => {
    await browser?.close();
});

test('watch preferences: set on the Policy tab, saved, read back by the server and shown again after a reload', async () => {
    await openPolicyTab();
    const townSquare = fixtures().channelId;

    await page.getByTestId('ta-watch-scan_minutes').fill('30');
    await page.getByTestId('ta-watch-alert_channel-search').fill('town');
    await page.getByTestId(`ta-watch-alert_channel-pick-${townSquare}`).click();
    await expect(page.getByTestId('ta-watch-alert_channel-value').textContent()).resolves.toBe('Town Square (Audit)');
    await page.getByTestId('ta-watch-alert-owner_deactivated').uncheck();
    await page.getByTestId('ta-watch-alert-stale').check();
    await page.getByTestId('ta-watch-digest-schedule').selectOption('weekly');
    await page.getByTestId('ta-watch-digest-weekday').selectOption('5');
    await page.getByTestId('ta-watch-digest-hour').selectOption('7');
    await page.getByTestId('ta-watch-offboarding').selectOption('revoke');
    const before = await currentPolicy();
    await page.getByTestId('ta-policy-save').click();
    await page.getByText(`Saved as version ${before.version + 1}.`).waitFor();

    const want: Watch = {
        scan_minutes: 30,
        alert_channel_id: townSquare,
        alert_findings: ['owner_system_admin', 'never_expires', 'stale'],
        digest: {schedule: 'weekly', hour_utc: 7, weekday: 5, channel_id: ''},
        offboarding: 'revoke',
    };
    expect((await currentPolicy()).watch).toEqual(want);
    const trail = (await pluginRequest(admin, 'GET', '/trail?action=policy_update&limit=1')).body as {records: Array<{detail: string}>};
    expect(trail.records[0].detail).toContain('watch.offboarding alert → revoke');

    await openPolicyTab();
    await eventually(() => page.getByTestId('ta-watch-alert_channel-value').textContent(), 'Town Square (Audit)');
    await expect(page.getByTestId('ta-watch-scan_minutes').inputValue()).resolves.toBe('30');
    await expect(page.getByTestId('ta-watch-alert-stale').isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('ta-watch-alert-owner_deactivated').isChecked()).resolves.toBe(false);
    await expect(page.getByTestId('ta-watch-digest-weekday').inputValue()).resolves.toBe('5');
    await expect(page.getByTestId('ta-watch-digest-hour').inputValue()).resolves.toBe('7');
    await expect(page.getByTestId('ta-watch-digest_channel-value').textContent()).resolves.toBe('a DM to every system admin');
    await expect(page.getByTestId('ta-watch-offboarding').inputValue()).resolves.toBe('revoke');
    await screenshot(page, 'policy-watching');
    await restore();
});

test('watch preferences: bad values are refused by the page and by the server, and nothing is stored', async () => {
    await openPolicyTab();
    await page.getByTestId('ta-watch-scan_minutes').fill('0');
    await expect(page.getByTestId('ta-watch').getByRole('alert').textContent()).resolves.toBe('A whole number from 1 to 1440.');
    await expect(page.getByTestId('ta-policy-save').isDisabled()).resolves.toBe(true);
    await page.getByTestId('ta-watch-scan_minutes').fill('1441');
    await expect(page.getByTestId('ta-policy-save').isDisabled()).resolves.toBe(true);

    const before = await currentPolicy();
    const good = policyInput(before);
    const bad: Array<[string, unknown]> = [
        ['scan_minutes 0', {...good.watch, scan_minutes: 0}],
        ['scan_minutes as text', {...good.watch, scan_minutes: '5'}],
        ['alert channel not an id', {...good.watch, alert_channel_id: 'town-square'}],
        ['unknown alert finding', {...good.watch, alert_findings: ['expired']}],
        ['digest hour 24', {...good.watch, digest: {...good.watch.digest, hour_utc: 24}}],
        ['digest weekday 7', {...good.watch, digest: {...good.watch.digest, weekday: 7}}],
        ['unknown schedule', {...good.watch, digest: {...good.watch.digest, schedule: 'hourly'}}],
        ['unknown offboarding rule', {...good.watch, offboarding: 'delete'}],
        ['digest left out', {...good.watch, digest: undefined}],
        ['watch not an object', 'daily'],
    ];
    for (const [name, watch] of bad) {
        const response = await pluginRequest(admin, 'PUT', '/policy', {...good, watch});
        expect([name, response.status]).toEqual([name, 400]);
        expect((response.body as {detail: string}).detail).toMatch(/watch/);
    }
    expect(await currentPolicy()).toEqual(before);
});

test('exemptions that end: set on the Policy tab, refused in the past, and judged again once ended, on both hosts', async () => {
    const laterToken = fixtures().tokens.find((t) => t.description === 'bob integration')!;
    const soonToken = fixtures().tokens.find((t) => t.description === 'alice laptop')!;
    await openPolicyTab();

    // Added on the Policy tab with an end 30 days ahead: stored as the start of that day where the admin is.
    const day = await page.evaluate(() => {
        const d = new Date(Date.now() + 30 * 24 * 3600 * 1000);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    const ends = await page.evaluate((value) => new Date(`${value}T00:00:00`).getTime(), day);
    await page.getByTestId('ta-exemption-target').fill(laterToken.id);
    await page.getByTestId('ta-exemption-reason').fill('migrating to a bot');
    await page.getByTestId('ta-exemption-until').fill(day);
    await page.getByTestId('ta-exemption-add').click();
    const before = await currentPolicy();
    await page.getByTestId('ta-policy-save').click();
    await page.getByText(`Saved as version ${before.version + 1}.`).waitFor();
    const saved = await currentPolicy();
    expect(saved.exemptions.find((e) => e.id === laterToken.id)).toMatchObject({kind: 'token', reason: 'migrating to a bot', expires_at: ends});

    // The server refuses an end that has passed, or one absurdly far ahead, and keeps the policy.
    const withEnd = (expires_at: unknown) => ({...policyInput(saved), exemptions: [...policyInput(saved).exemptions, {kind: 'token', id: soonToken.id, reason: 'x', expires_at}]});
    for (const bad of [Date.now() - 60000, -1, Date.now() + 3651 * 24 * 3600 * 1000, '2030-01-01']) {
        const response = await pluginRequest(admin, 'PUT', '/policy', withEnd(bad));
        expect([bad, response.status]).toEqual([bad, 400]);
        expect((response.body as {detail: string}).detail).toMatch(/expires_at/);
    }
    expect(await currentPolicy()).toEqual(saved);

    // An exemption that ends in two seconds: once that moment has passed, both hosts judge the token again.
    const soon = Date.now() + 2000;
    expect((await pluginRequest(admin, 'PUT', '/policy', withEnd(soon))).status).toBe(200);
    await eventually(async () => Date.now() > soon + 100, true);
    const shown = await executeCommandText(`/tokens show ${soonToken.id}`);
    expect(shown).toContain(soonToken.id);
    expect(shown).not.toMatch(/exempt/i);
    expect(await executeCommandText(`/tokens show ${laterToken.id}`)).toContain('migrating to a bot');

    await openPolicyTab();
    await expect(page.getByTestId(`ta-exemption-end-${soonToken.id}`).textContent()).resolves.toMatch(/^Ended .*; judged again$/);
    await page.getByTestId('ta-tab-tokens').click();
    await expect(page.getByTestId(`ta-row-${soonToken.id}`).getByTestId('ta-finding-exempted').count()).resolves.toBe(0);
    await expect(page.getByTestId(`ta-row-${laterToken.id}`).getByTestId('ta-finding-exempted').count()).resolves.toBe(1);

    // The ended exemption goes back unchanged with the next save, as every client sends the policy whole.
    const latest = await currentPolicy();
    expect((await pluginRequest(admin, 'PUT', '/policy', policyInput(latest, {stale_after_days: latest.stale_after_days + 1}))).status).toBe(200);
    await restore();
});

// Every token on the server with its owner, read through the REST API independently of the plugin.
async function serverTokens(): Promise<Array<{id: string; user_id: string; is_active: boolean; system_admin: boolean; bot: boolean}>> {
    const tokens: Array<{id: string; user_id: string; is_active: boolean}> = [];
    for (let page = 0; ; page++) {
        const batch = await admin.getUserAccessTokens(page, 200);
        tokens.push(...batch);
        if (batch.length < 200) {
            break;
        }
    }
    const users = await admin.getProfilesByIds([...new Set(tokens.map((t) => t.user_id))]);
    const byId = new Map(users.map((u) => [u.id, u]));
    return tokens.map((t) => ({
        id: t.id, user_id: t.user_id, is_active: t.is_active,
        system_admin: (byId.get(t.user_id)?.roles ?? '').split(' ').includes('system_admin'),
        bot: Boolean((byId.get(t.user_id) as {is_bot?: boolean} | undefined)?.is_bot),
    }));
}

const plural = (n: number, one: string, other: string) => `${n.toLocaleString('en')} ${n === 1 ? one : other}`;

test('what-if: edits show what they would change before saving, computed in the page without a request', async () => {
    await openPolicyTab();
    const policy = await currentPolicy();
    const exempted = (t: {id: string; user_id: string}) => policy.exemptions.some((e) => (e.kind === 'token' ? e.id === t.id : e.id === t.user_id) && (!e.expires_at || e.expires_at > Date.now()));
    const tokens = await serverTokens();
    const adminTokens = tokens.filter((t) => t.system_admin && !exempted(t));
    const adminOwners = new Set(adminTokens.map((t) => t.user_id)).size;
    expect(adminTokens.length).toBeGreaterThan(0);

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByTestId('ta-policy-finding-owner_system_admin').uncheck();
    await expect(page.getByTestId('ta-whatif-owner_system_admin').textContent()).resolves.toBe(
        `Owner is system admin: ${adminTokens.length.toLocaleString('en')} → 0 tokens, −${plural(adminTokens.length, 'token', 'tokens')} of ${plural(adminOwners, 'person', 'people')}`,
    );
    await page.getByTestId('ta-policy-finding-owner_system_admin').check();
    await expect(page.getByTestId('ta-whatif').count()).resolves.toBe(0);
    expect(requests).toEqual([]);

    // Nothing was saved by looking.
    expect(await currentPolicy()).toEqual(policy);
});

test('what-if: a maximum token lifetime on a server without expiry counts every active token of a person, bots left out', async () => {
    await openPolicyTab();
    const tokens = await serverTokens();
    const breaking = tokens.filter((t) => t.is_active && !t.bot);
    const owners = new Set(breaking.map((t) => t.user_id)).size;
    expect(tokens.some((t) => t.is_active && t.bot)).toBe(true);
    await page.getByTestId('ta-lifetime-days').fill('30');
    await expect(page.getByTestId('ta-lifetime-result').textContent()).resolves.toBe(
        'This server has no token expiry (Mattermost 11.9 and later have it), so none of its tokens expires: after an upgrade, a limit of 30 days ' +
        `would find ${plural(breaking.length, 'token', 'tokens')} of ${plural(owners, 'person', 'people')} breaking it, every active token of a person. ` +
        'Bot tokens are left out, as Mattermost leaves them out. Plan their replacement before setting the limit.',
    );
    await screenshot(page, 'policy-what-if');
});
