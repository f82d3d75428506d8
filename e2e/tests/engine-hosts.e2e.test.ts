// One engine, two hosts: /tokens typed in the web app (the hook in the browser, fetching through the
// REST API with the admin's session) and sent by an API or mobile client (the server plugin, reading
// Mattermost's database and running engine.js in goja) must give the same answer, word for word.
import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, postFrom, sendCommand, withoutReadNote} from '../harness/browser';
import {adminClient, environment, executeCommand} from '../harness/context';

const env = () => environment();
const aliceLaptop = () => env().fixtures.tokens.find((t) => t.description === 'alice laptop')!;

let admin: Client4;
let browser: Browser;
let page: Page;

// The server path's answer. Mattermost also posts it to the caller's open clients, so it is awaited
// there before the next command is typed.
async function onServer(command: string): Promise<string> {
    let answer = {status: 0, text: ''};
    const post = await postFrom(page, async () => {
        answer = await executeCommand(admin, command);
    });
    expect({command, status: answer.status}).toEqual({command, status: 200});
    expect({command, post}).toEqual({command, post: answer.text});
    return answer.text;
}

async function onWeb(command: string): Promise<string> {
    const answer = await sendCommand(page, command);
    expect({command, error: answer.error}).toEqual({command, error: undefined});
    return withoutReadNote(answer.post!);
}

async function expectSameAnswer(command: string): Promise<string> {
    const web = await onWeb(command);
    const server = await onServer(command);
    expect({command, server}).toEqual({command, server: web});
    return server;
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    page = await openHost(browser, env().admin.username, env().admin.password);
});

afterAll(async () => {
    await browser?.close();
});

describe('the same command gives the same answer on the web path and the server path', () => {
    const commands: Array<[string, () => string, RegExp]> = [
        ['list', () => '/tokens list', /alice laptop/],
        ['list --finding', () => '/tokens list --finding owner_bot', /deploy pipeline/],
        ['list --inactive', () => '/tokens list --inactive', /alice ci runner/],
        ['user', () => '/tokens user @alice', /alice laptop/],
        ['search', () => '/tokens search ci', /deploy pipeline/],
        ['show', () => `/tokens show ${aliceLaptop().id}`, /alice laptop/],
        ['audit', () => '/tokens audit', /disabled/],
        ['policy', () => '/tokens policy', /Stale after \d+ days/],
        ['help', () => '/tokens help', /\/tokens list[\s\S]*\/tokens revoke/],
        ['a parse error', () => '/tokens list --page 0', /--page/],
        ['an unknown subcommand', () => '/tokens frobnicate', /frobnicate/],
        ['a user who does not exist', () => '/tokens user @nobody-here', /There is no user/],
    ];
    test.each(commands)('%s', async (_, command, says) => {
        expect(await expectSameAnswer(command())).toMatch(says);
    });

    test('a German reader gets German on both paths', async () => {
        const sysadmin = env().fixtures.users.sysadmin.id;
        const before = (await admin.getMe()).locale;
        await admin.patchUser({id: sysadmin, locale: 'de'} as never);
        try {
            // The page reads the reader's locale when it loads.
            await page.context().close();
            page = await openHost(browser, env().admin.username, env().admin.password);
            expect(await expectSameAnswer('/tokens help')).toMatch(/Systemkonsole/);
            expect(await expectSameAnswer('/tokens list --active')).toMatch(/aktiv/);
            expect(await expectSameAnswer(`/tokens show ${aliceLaptop().id}`)).toMatch(/Besitzer/);
            expect(await expectSameAnswer('/tokens list --page zwei')).toMatch(/zwei/);
        } finally {
            await admin.patchUser({id: sysadmin, locale: before} as never);
            await page.context().close();
            page = await openHost(browser, env().admin.username, env().admin.password);
        }
    });
});

// id -> "owner:state", as each listing shows it.
type Listing = Record<string, string>;

async function restListing(): Promise<Listing> {
    const tokens = new Map<string, {user_id: string; is_active: boolean}>();
    for (let p = 0; ; p++) {
        const batch = await admin.getUserAccessTokens(p, 200);
        for (const t of batch) {
            tokens.set(t.id, t);
        }
        if (batch.length < 200) {
            break;
        }
    }
    const owners = await admin.getProfilesByIds([...new Set([...tokens.values()].map((t) => t.user_id))]);
    const names = new Map(owners.map((u) => [u.id, u.username]));
    return Object.fromEntries([...tokens].map(([id, t]) => [id, `${names.get(t.user_id)}:${t.is_active ? 'active' : 'disabled'}`]));
}

// Every page of `/tokens list` on the server path, read back from its table rows:
// | @owner | description | state | findings | `token id` |
async function serverListing(): Promise<Listing> {
    const listing: Listing = {};
    let pages = 1;
    for (let p = 1; p <= pages; p++) {
        const text = await onServer(`/tokens list --page ${p}`);
        pages = Number((/page \d+ of (\d+)/).exec(text)?.[1] ?? 0);
        for (const line of text.split('\n')) {
            const cells = line.startsWith('| ') && line.endsWith(' |') ? line.slice(2, -2).split(' | ') : [];
            const id = (/^`([a-z0-9]{26})`$/).exec(cells[4] ?? '')?.[1];
            if (id) {
                expect({id, listedTwice: id in listing}).toEqual({id, listedTwice: false});
                listing[id] = `${cells[0].replace(/^@/, '')}:${cells[2]}`;
            }
        }
    }
    expect(pages).toBeGreaterThan(0);
    return listing;
}

test('the server\'s database listing equals the REST listing after tokens are created, disabled and revoked', async () => {
    const carol = env().fixtures.users.carol.id;
    const made = [];
    for (const description of ['hosts kept', 'hosts disabled', 'hosts revoked']) {
        made.push(await admin.createUserAccessToken(carol, description));
    }
    await admin.disableUserAccessToken(made[1].id);
    await admin.revokeUserAccessToken(made[2].id);

    const [server, rest] = [await serverListing(), await restListing()];
    expect(server).toEqual(rest);
    expect([server[made[0].id], server[made[1].id], server[made[2].id]]).toEqual(['carol:active', 'carol:disabled', undefined]);

    // And once more after the server path itself revoked one.
    await onServer(`/tokens revoke ${made[0].id} --yes`);
    const after = await serverListing();
    expect(after).toEqual(await restListing());
    expect(made[0].id in after).toBe(false);
});
