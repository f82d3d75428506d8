// Who may do what: every plugin route, every /tokens subcommand and the console page, for every
// kind of caller, on the webapp path (the host page in the browser) and the server path (bearer
// API calls, POST /api/v4/commands/execute). The expected outcome of every cell is in `matrix`.
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, openHostWithToken, postFrom, sendCommand} from '../harness/browser';
import {adminClient, environment, executeCommand, pluginRequest, userClient} from '../harness/context';
import {kvDiff, readPluginKV} from '../harness/kv';
import {repoRoot} from '../harness/paths';
import {clientFor} from '../harness/seed';

type Caller = 'none' | 'regular' | 'maker' | 'bot' | 'admin';
type Path = 'web' | 'server';
type VictimState = 'unchanged' | 'revoked' | 'disabled' | 'active';

// What one caller gets on one path.
type Outcome =
    // A plugin route answers with this status.
    | {status: number}

    // /tokens is answered with text matching `says`, and the token it names ends up so.
    | {says: RegExp; victim?: VictimState}

    // Mattermost itself turns the request away before the plugin sees it.
    | {rejected: 401}

    // What the console page shows.
    | {console: 'table' | 'refused' | 'error'};

type Cell = Outcome | {web: Outcome; server?: Outcome};

interface Row {
    what: string;
    route?: {method: string; path: string; body?: () => Promise<unknown>};
    command?: string;

    // Commands that name a token act on one made for the cell; `disabled` makes it a disabled one.
    victim?: 'active' | 'disabled';
    console?: true;
    cells: Record<Caller, Cell>;
}

const REFUSED_TEXT = /^Only system admins can use \/tokens\.$/;
const refused: Outcome = {says: REFUSED_TEXT, victim: 'unchanged'};
const noSession: Outcome = {rejected: 401};
const consoleLink = /\/admin_console\/plugins\/plugin_token-audit/;
// The plugin API cannot disable or enable a token, so the server path sends the admin to the web app.
const needsWebapp: Outcome = {says: new RegExp(`only the Mattermost web and desktop apps have[\\s\\S]*${consoleLink.source}`), victim: 'unchanged'};
const routeCells = (admin: number): Record<Caller, Cell> => ({none: {status: 401}, regular: {status: 403}, maker: {status: 403}, bot: {status: 403}, admin: {status: admin}});
const commandCells = (admin: Cell): Record<Caller, Cell> => ({none: noSession, regular: refused, maker: refused, bot: refused, admin});

const newId = () => Array.from(crypto.randomBytes(26), (b) => 'abcdefghijkmnopqrstuwxyz13456789'[b % 32]).join('');
const env = () => environment();
const aliceLaptop = () => env().fixtures.tokens.find((t) => t.description === 'alice laptop')!;

// The one table: rows are what is asked, columns who asks; a cell with `web`/`server` differs by path.
const matrix: Row[] = [
    {what: 'GET /policy', route: {method: 'GET', path: '/policy'}, cells: routeCells(200)},
    {what: 'PUT /policy', route: {method: 'PUT', path: '/policy', body: unchangedPolicy}, cells: routeCells(200)},
    {what: 'GET /views', route: {method: 'GET', path: '/views'}, cells: routeCells(200)},
    {what: 'PUT /views', route: {method: 'PUT', path: '/views', body: async () => ({views: []})}, cells: routeCells(200)},
    {what: 'POST /views/reviewed', route: {method: 'POST', path: '/views/reviewed'}, cells: routeCells(200)},
    {what: 'POST /seen', route: {method: 'POST', path: '/seen', body: async () => ({token_ids: [aliceLaptop().id], complete: false})}, cells: routeCells(200)},
    {what: 'POST /seen/lookup', route: {method: 'POST', path: '/seen/lookup', body: async () => ({token_ids: env().fixtures.tokens.map((t) => t.id)})}, cells: routeCells(200)},
    {what: 'POST /trail', route: {method: 'POST', path: '/trail', body: async () => ({records: [{action_id: newId(), phase: 'intent', action: 'disable', token_id: newId(), owner_id: '', source: 'console'}]})}, cells: routeCells(201)},
    {what: 'GET /trail', route: {method: 'GET', path: '/trail'}, cells: routeCells(200)},
    {what: 'POST /ephemeral', route: {method: 'POST', path: '/ephemeral', body: async () => ({channel_id: env().fixtures.channelId, message: `permission matrix ${newId()}`})}, cells: routeCells(201)},
    // Only the caller's own placeholder can be replaced, so for an admin another id is not found.
    {what: 'PUT /ephemeral/{id}', route: {method: 'PUT', path: `/ephemeral/${newId()}`, body: async () => ({message: `permission matrix ${newId()}`})}, cells: routeCells(404)},
    {what: 'GET /usage', route: {method: 'GET', path: '/usage'}, cells: routeCells(200)},
    {what: 'GET /campaigns', route: {method: 'GET', path: '/campaigns'}, cells: routeCells(200)},

    // An admin's start without its fields is refused, so the matrix starts no clean-up; the others never reach the check.
    {what: 'POST /campaigns', route: {method: 'POST', path: '/campaigns', body: async () => ({})}, cells: routeCells(400)},
    {what: 'POST /campaigns/{id}/cancel', route: {method: 'POST', path: `/campaigns/${newId()}/cancel`}, cells: routeCells(404)},
    {what: 'POST /campaigns/{id}/disabled', route: {method: 'POST', path: `/campaigns/${newId()}/disabled`, body: async () => ({token_id: newId(), source: 'console'})}, cells: routeCells(404)},

    {what: '/tokens', command: '/tokens', cells: commandCells({says: /\/tokens list/})},
    {what: '/tokens help', command: '/tokens help', cells: commandCells({says: /\/tokens list[\s\S]*\/tokens revoke/})},
    {what: '/tokens list', command: '/tokens list', cells: commandCells({says: /alice/})},
    {what: '/tokens user @alice', command: '/tokens user @alice', cells: commandCells({says: /alice laptop/})},
    {what: '/tokens search alice', command: '/tokens search alice', cells: commandCells({says: /alice laptop/})},
    {what: '/tokens show <id>', command: '/tokens show {alice}', cells: commandCells({says: /alice laptop/})},
    {what: '/tokens audit', command: '/tokens audit', cells: commandCells({says: /disabled/i})},
    {what: '/tokens policy', command: '/tokens policy', cells: commandCells({says: /Stale after \d+ days/})},
    {what: '/tokens revoke <id>', command: '/tokens revoke {victim}', victim: 'active', cells: commandCells({says: /--yes/, victim: 'unchanged'})},
    {what: '/tokens revoke <id> --yes', command: '/tokens revoke {victim} --yes', victim: 'active', cells: commandCells({says: /Revoke: 1 done, 0 failed/, victim: 'revoked'})},
    {what: '/tokens disable <id>', command: '/tokens disable {victim}', victim: 'active', cells: commandCells({web: {says: /--yes/, victim: 'unchanged'}, server: needsWebapp})},
    {what: '/tokens disable <id> --yes', command: '/tokens disable {victim} --yes', victim: 'active', cells: commandCells({web: {says: /Disable: 1 done, 0 failed/, victim: 'disabled'}, server: needsWebapp})},
    {what: '/tokens enable <id>', command: '/tokens enable {victim}', victim: 'disabled', cells: commandCells({web: {says: /Enable: 1 done, 0 failed/, victim: 'active'}, server: needsWebapp})},

    // The host page itself needs a session, so "none" is a console whose session expired while open.
    {what: 'console page', console: true, cells: {none: {web: {console: 'error'}}, regular: {web: {console: 'refused'}}, maker: {web: {console: 'refused'}}, bot: {web: {console: 'refused'}}, admin: {web: {console: 'table'}}}},
];

let admin: Client4;
let browser: Browser;
const clients: Partial<Record<Caller, Client4 | null>> = {};
const pages: Partial<Record<Caller, Page>> = {};
const userIds: Partial<Record<Caller, string>> = {};

// Every token on the server when the matrix starts, to recognise another user's data in an answer.
let allTokens: Array<{id: string; user_id: string; description: string}> = [];

// Tokens this file makes; other suites count the server's tokens, so they go again afterwards.
const made: string[] = [];
let cellsAsserted = 0;

async function unchangedPolicy() {
    const policy = (await pluginRequest(admin, 'GET', '/policy')).body as {version: number; stale_after_days: number; expiring_within_days: number; findings: unknown; exemptions: Array<{kind: string; id: string; reason: string}>};
    return {
        version: policy.version,
        stale_after_days: policy.stale_after_days,
        expiring_within_days: policy.expiring_within_days,
        findings: policy.findings,
        exemptions: policy.exemptions.map(({kind, id, reason}) => ({kind, id, reason})),
    };
}

async function listAll(client: Client4) {
    const out: typeof allTokens = [];
    for (let page = 0; ; page++) {
        const batch = await client.getUserAccessTokens(page, 200);
        out.push(...batch.map((t) => ({id: t.id, user_id: t.user_id, description: t.description})));
        if (batch.length < 200) {
            return out;
        }
    }
}

async function makeUser(username: string, roles?: string): Promise<string> {
    const user = await admin.createUser({username, email: `${username}@example.com`, password: env().fixtures.password} as never, '', '', '');
    await admin.addToTeam(env().fixtures.teamId, user.id);
    if (roles) {
        await admin.updateUserRoles(user.id, roles);
    }
    return user.id;
}

function expectNoForeignData(caller: Caller, text: string, where: string) {
    if (caller === 'admin') {
        return;
    }
    const own = userIds[caller];
    for (const token of allTokens) {
        if (token.user_id === own) {
            continue;
        }
        const leaked = text.includes(token.id) || (token.description.length >= 8 && text.includes(token.description));
        expect({where, leaked: leaked ? token.id : ''}).toEqual({where, leaked: ''});
    }
}

async function victimState(id: string): Promise<VictimState> {
    try {
        return (await admin.getUserAccessToken(id)).is_active ? 'active' : 'disabled';
    } catch (err) {
        if ((err as {status_code?: number}).status_code === 404) {
            return 'revoked';
        }
        throw err;
    }
}

async function makeVictim(kind: 'active' | 'disabled'): Promise<string> {
    const token = await admin.createUserAccessToken(env().fixtures.users.bob.id, `matrix victim ${newId().slice(0, 6)}`);
    allTokens.push({id: token.id, user_id: token.user_id, description: token.description});
    made.push(token.id);
    if (kind === 'disabled') {
        await admin.disableUserAccessToken(token.id);
    }
    return token.id;
}

async function routeFromPage(page: Page, method: string, route: string, body: unknown): Promise<{status: number; text: string}> {
    return page.evaluate(async ({url, method, body}) => {
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice('MMCSRF='.length) ?? '';
        const response = await fetch(url, {method, headers: {'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf}, body});
        return {status: response.status, text: await response.text()};
    }, {url: `/plugins/${env().pluginId}/api/v1${route}`, method, body: body === undefined ? undefined : JSON.stringify(body)});
}

// Runs one cell, asserts its outcome and that the caller was shown no one else's tokens.
async function runCell(row: Row, caller: Caller, via: Path, outcome: Outcome) {
    const where = `${row.what} as ${caller} via ${via}`;
    const page = pages[caller]!;
    const client = clients[caller] ?? null;
    let victim = '';
    if (row.victim) {
        victim = await makeVictim(row.victim);
    }
    const before = victim ? await victimState(victim) : undefined;

    let shown = '';
    if (row.route) {
        const body = await row.route.body?.();
        let status: number;
        if (via === 'web') {
            ({status, text: shown} = await routeFromPage(page, row.route.method, row.route.path, body));
        } else {
            const response = await pluginRequest(client, row.route.method, row.route.path, body);
            status = response.status;
            shown = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
        }
        expect({where, status}).toEqual({where, status: (outcome as {status: number}).status});
        if (status >= 400) {
            expect({where, body: JSON.parse(shown)}).toEqual({where, body: {error: expect.any(String), detail: expect.any(String)}});
        }

        // The answer goes to the caller's own channel view, where the next command's answer will land too.
        if (row.route.path === '/ephemeral' && status === 201) {
            await page.getByTestId('host-post').filter({hasText: (body as {message: string}).message}).waitFor({timeout: 30000});
        }
    } else if (row.command) {
        const command = row.command.replace('{alice}', aliceLaptop().id).replace('{victim}', victim);
        if (via === 'web') {
            const answer = await sendCommand(page, command);
            shown = answer.post ?? answer.error ?? '';
            if ('rejected' in outcome) {
                expect({where, post: answer.post, error: Boolean(answer.error)}).toEqual({where, post: undefined, error: true});
            } else {
                expect({where, error: answer.error}).toEqual({where, error: undefined});
            }
        } else {
            let response = {status: 0, text: ''};
            const run = async () => {
                response = await executeCommand(client, command);
            };
            if (caller === 'none') {
                await run();
            } else {
                expect({where, post: await postFrom(page, run)}).toEqual({where, post: response.text});
            }
            shown = response.text;
            expect({where, status: response.status}).toEqual({where, status: 'rejected' in outcome ? outcome.rejected : 200});
        }
        if ('says' in outcome) {
            expect({where, shown}).toEqual({where, shown: expect.stringMatching(outcome.says)});
        }
        const expected = 'says' in outcome && outcome.victim ? outcome.victim : 'unchanged';
        if (victim) {
            const after = await victimState(victim);
            expect({where, victim: after}).toEqual({where, victim: expected === 'unchanged' ? before : expected});
        }
    } else {
        const want = (outcome as {console: string}).console;
        if (want === 'error') {
            await page.getByTestId('ta-reload').click();
            await page.getByTestId('ta-error').waitFor({timeout: 30000});
        } else {
            await page.getByTestId(want === 'table' ? 'ta-table' : 'ta-refused').waitFor({timeout: 30000});
        }
        if (want === 'table') {
            await page.getByTestId('ta-search').fill(aliceLaptop().id);
            await page.getByTestId(`ta-row-${aliceLaptop().id}`).waitFor({timeout: 30000});
        }
        shown = (await page.textContent('[data-testid="host-console"]')) ?? '';
    }
    expectNoForeignData(caller, shown, where);
    cellsAsserted++;
}

function cellsFor(row: Row, caller: Caller): Array<[Path, Outcome]> {
    const cell = row.cells[caller];
    if ('web' in cell) {
        return cell.server ? [['web', cell.web], ['server', cell.server]] : [['web', cell.web]];
    }
    return [['web', cell], ['server', cell]];
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    const {fixtures} = env();

    userIds.regular = await makeUser('mx-regular');
    userIds.maker = await makeUser('mx-maker', 'system_user system_user_access_token');
    userIds.bot = fixtures.users['ci-bot'].id;
    userIds.admin = fixtures.users.sysadmin.id;
    await admin.addToTeam(fixtures.teamId, userIds.bot);
    await admin.addToChannel(userIds.bot, fixtures.channelId);

    clients.none = null;
    clients.regular = await userClient('mx-regular');
    clients.maker = await userClient('mx-maker');
    made.push((await clients.maker.createUserAccessToken(userIds.maker, 'mx-maker own script')).id);
    const bot = await admin.createUserAccessToken(userIds.bot, 'matrix bot caller');
    made.push(bot.id);
    const botToken = bot.token!;
    clients.bot = clientFor(env().url, botToken);
    clients.admin = admin;

    pages.regular = await openHost(browser, 'mx-regular', fixtures.password);
    pages.maker = await openHost(browser, 'mx-maker', fixtures.password);
    pages.bot = await openHostWithToken(browser, botToken);
    pages.admin = await openHost(browser, env().admin.username, env().admin.password);
    await pages.admin.getByTestId('ta-table').waitFor({timeout: 60000});

    // A page that had a session and lost it: its cookies are gone, the plugin bundle is still loaded.
    pages.none = await openHost(browser, env().admin.username, env().admin.password);
    await pages.none.getByTestId('ta-table').waitFor({timeout: 60000});
    await pages.none.context().clearCookies();

    allTokens = await listAll(admin);
});

afterAll(async () => {
    for (const id of made) {
        await admin.revokeUserAccessToken(id).catch(() => undefined);
    }
    await browser?.close();
    console.log(`permission matrix: ${matrix.length} rows x 5 callers x 2 paths, matrix cells asserted: ${cellsAsserted}`);
});

test('the matrix names every route of the plugin API', () => {
    const spec = fs.readFileSync(path.join(repoRoot, 'server', 'api', 'openapi.yaml'), 'utf8');
    const routes: string[] = [];
    let current = '';
    for (const line of spec.split('\n')) {
        const route = /^ {2}(\/\S*):\s*$/.exec(line);
        const method = /^ {4}(get|put|post|delete|patch):\s*$/.exec(line);
        if (route) {
            current = route[1];
        } else if (method && current) {
            routes.push(`${method[1].toUpperCase()} ${current}`);
        }
    }
    expect(routes.length).toBeGreaterThan(0);
    expect(matrix.filter((r) => r.route).map((r) => r.what).sort()).toEqual(routes.sort());
});

test('callers without manage_system: refused everywhere, shown no one else’s tokens, nothing stored', async () => {
    const kvBefore = await readPluginKV();
    for (const caller of ['none', 'regular', 'maker', 'bot'] as const) {
        for (const row of matrix) {
            for (const [via, outcome] of cellsFor(row, caller)) {
                await runCell(row, caller, via, outcome);
            }
        }
    }
    expect(kvDiff(kvBefore, await readPluginKV())).toEqual([]);
    for (const caller of ['regular', 'maker', 'bot'] as const) {
        const trail = await pluginRequest(admin, 'GET', `/trail?actor=${userIds[caller]}`);
        expect((trail.body as {records: unknown[]}).records).toEqual([]);
    }
});

test('a system admin gets every answer on both paths', async () => {
    for (const row of matrix) {
        for (const [via, outcome] of cellsFor(row, 'admin')) {
            await runCell(row, 'admin', via, outcome);
        }
    }
});
