// Token secrets never leave Mattermost through the plugin: tokens are made whose secrets this test
// knows, every feature is run on them, and then the server log, every response the page and this
// test received, the plugin's whole KV and every export are searched for those secrets.
import fs from 'fs';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, postFrom, sendCommand} from '../harness/browser';
import {adminClient, environment, eventually, executeCommand, pluginRequest, userClient} from '../harness/context';
import {readPluginKV} from '../harness/kv';
import {clientFor} from '../harness/seed';

interface Probe {
    id: string;
    secret: string;
    owner: string;
}

let admin: Client4;
let browser: Browser;
let page: Page;
const probes: Probe[] = [];

// The answers that created the tokens: the one place a secret must be, so the search is shown to work.
const creations: string[] = [];

// Everything the plugin or Mattermost said to the page or to this test after the tokens were made.
const seen: Array<{where: string; text: string}> = [];

const env = () => environment();

async function makeProbe(client: Client4, owner: string, description: string) {
    const created = await client.createUserAccessToken(env().fixtures.users[owner]?.id ?? (await client.getMe()).id, description);
    probes.push({id: created.id, secret: created.token!, owner});
    creations.push(JSON.stringify(created));

    // Used once, so the token has a session whose own secret field the usage scan meets.
    await clientFor(env().url, created.token).getMe();
}

async function plugin(method: string, route: string, body?: unknown) {
    const response = await pluginRequest(admin, method, route, body);
    seen.push({where: `test ${method} ${route}`, text: typeof response.body === 'string' ? response.body : JSON.stringify(response.body)});
    return response;
}

async function web(command: string) {
    const answer = await sendCommand(page, command);
    seen.push({where: `web ${command}`, text: answer.post ?? answer.error ?? ''});
    return answer;
}

async function server(command: string) {
    let text = '';
    const post = await postFrom(page, async () => {
        text = (await executeCommand(admin, command)).text;
    });
    seen.push({where: `server ${command}`, text}, {where: `post of ${command}`, text: post});
}

async function download(testId: string): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    const text = fs.readFileSync((await file.path())!, 'utf8');
    seen.push({where: `export ${testId}`, text});
    return text;
}

// The forms a secret could be kept in: as is, or base64 as a careless encoder would store it.
function hits(text: string): Array<{secret: string; form: string}> {
    const found = [];
    for (const {secret} of probes) {
        for (const [form, needle] of [['plain', secret], ['base64', Buffer.from(secret).toString('base64')]]) {
            if (text.includes(needle)) {
                found.push({secret: secret.slice(0, 4), form});
            }
        }
    }
    return found;
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();

    const maker = await admin.createUser({username: 'sx-maker', email: 'sx-maker@example.com', password: env().fixtures.password} as never, '', '', '');
    await admin.updateUserRoles(maker.id, 'system_user system_user_access_token');
    await makeProbe(admin, 'bob', 'secret probe bob');
    await makeProbe(admin, 'carol', 'secret probe carol');
    await makeProbe(admin, 'ci-bot', 'secret probe bot');
    await makeProbe(admin, 'alice', 'secret probe alice');
    await makeProbe(await userClient('sx-maker'), 'sx-maker', 'secret probe maker');

    page = await openHost(browser, env().admin.username, env().admin.password);
    page.on('response', async (response) => {
        const url = response.url();
        if (!url.includes('/api/v4/') && !url.includes('/plugins/')) {
            return;
        }
        const text = await response.text().catch(() => '');
        seen.push({where: `page ${response.request().method()} ${new URL(url).pathname}`, text});
    });
    await page.reload();
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
});

afterAll(async () => {
    // Other suites count the server's tokens.
    for (const probe of probes) {
        await admin.revokeUserAccessToken(probe.id).catch(() => undefined);
    }
    await browser?.close();
});

test('every feature runs on tokens whose secrets are known', async () => {
    const [bob, carol, bot, alice] = probes;

    // Console: search, export, single actions.
    await page.getByTestId('ta-search').fill('secret probe');
    await eventually(() => page.locator('[data-testid^="ta-row-"]').count(), probes.length);
    await page.getByTestId('ta-search').fill(bob.id);
    await expect(page.getByTestId(`ta-row-${bob.id}`).count()).resolves.toBe(1);
    await page.getByTestId('ta-search').fill('secret probe');
    expect(await download('ta-export-csv')).toContain(bob.id);
    expect(await download('ta-export-json')).toContain(bob.id);
    await page.getByTestId(`ta-disable-${bob.id}`).click();
    await page.getByTestId('ta-confirm-ok').click();
    await page.getByTestId(`ta-enable-${bob.id}`).waitFor({timeout: 30000});
    await page.getByTestId('ta-result').getByRole('button').click();
    await page.getByTestId(`ta-enable-${bob.id}`).click();
    if (await page.getByTestId('ta-confirm').count()) {
        await page.getByTestId('ta-confirm-ok').click();
    }
    await page.getByTestId(`ta-disable-${bob.id}`).waitFor({timeout: 30000});

    // /tokens on the webapp path, then the server path.
    for (const command of ['/tokens help', '/tokens list', '/tokens audit', '/tokens policy', '/tokens user @carol', `/tokens search ${carol.id}`, `/tokens show ${alice.id}`, `/tokens disable ${alice.id}`]) {
        expect((await web(command)).post).toBeDefined();
    }
    expect((await web(`/tokens disable ${alice.id} --yes`)).post).toMatch(/1 done/);
    expect((await web(`/tokens enable ${alice.id}`)).post).toMatch(/1 done/);
    expect((await web(`/tokens revoke ${carol.id} --yes`)).post).toMatch(/1 done/);
    for (const command of ['/tokens help', '/tokens policy', '/tokens list', `/tokens show ${bot.id}`, `/tokens revoke ${bot.id}`, `/tokens revoke ${bot.id} --yes`]) {
        await server(command);
    }

    // The trail, in the console and through the API; the registry; the usage scan.
    await page.getByTestId('ta-tab-trail').click();
    await page.getByTestId('ta-trail').waitFor({timeout: 30000});
    await page.getByTestId('ta-tab-tokens').click();
    await plugin('GET', '/trail?limit=200');
    for (const probe of probes) {
        await plugin('GET', `/trail?token=${probe.id}`);
    }
    await plugin('POST', '/seen', {token_ids: probes.map((p) => p.id), complete: false});
    await plugin('POST', '/seen/lookup', {token_ids: probes.map((p) => p.id)});
    await plugin('GET', '/usage');
    await plugin('GET', '/policy');
    await plugin('GET', '/views');
});

test('no secret anywhere: server log, responses, plugin KV, exports', async () => {
    const kv = await readPluginKV();
    const log = fs.readFileSync(env().logFile, 'utf8');
    const places = [
        {where: 'server log', text: log},
        ...kv.map((row) => ({where: `kv ${row.key}`, text: row.value.toString('utf8')})),
        ...seen,
    ];
    expect(creations.map((c) => hits(c).length)).toEqual(probes.map(() => 1));

    const found = places.flatMap((p) => hits(p.text).map((h) => ({where: p.where, ...h})));
    const count = (pattern: RegExp) => seen.filter((s) => pattern.test(s.where)).length;
    const pluginResponses = count(/^(test |page \w+ \/plugins\/)/);
    console.log(`secrets: ${probes.length}; searched: server log ${log.length} bytes, ${kv.length} plugin KV rows (${kv.reduce((n, r) => n + r.value.length, 0)} bytes), ` +
        `${pluginResponses} plugin responses, ${count(/^page \w+ \/api\/v4\//)} core API responses, ${count(/^export/)} exports, ${count(/^(web|server|post)/)} command answers; secret hits: ${found.length}`);
    expect(pluginResponses).toBeGreaterThan(20);
    expect(found).toEqual([]);
});
