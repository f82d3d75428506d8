// /tokens on both paths: the server's answer (mobile, API callers) and the webapp hook in the browser.
import {Client4} from '@mattermost/client';
import {Browser, Page, Route} from 'playwright-core';

import {answerTo, launchBrowser, openHost, postMessage, sendCommand} from '../harness/browser';
import {adminClient, environment, pluginRequest, userClient} from '../harness/context';

let admin: Client4;
let alice: Client4;

const env = () => environment();
const consoleLink = () => `${env().url}/admin_console/plugins/plugin_token-audit`;

async function run(client: Client4, command: string): Promise<string> {
    const response = await client.executeCommand(command, {channel_id: env().fixtures.channelId, team_id: env().fixtures.teamId} as never);
    return response.text ?? '';
}

async function trailFor(tokenId: string) {
    const trail = await pluginRequest(admin, 'GET', `/trail?token=${tokenId}`);
    return (trail.body as {records: Array<{phase: string; action: string; outcome: string; source: string; owner_id: string}>}).records;
}

beforeAll(async () => {
    admin = await adminClient();
    alice = await userClient('alice');
});

describe('server path (POST /api/v4/commands/execute)', () => {
    const aliceLaptop = () => env().fixtures.tokens.find((t) => t.description === 'alice laptop')!;

    test('help lists every subcommand', async () => {
        const text = await run(admin, '/tokens help');
        for (const sub of ['list', 'user', 'search', 'show', 'revoke', 'disable', 'enable', 'audit', 'policy']) {
            expect(text).toContain(`/tokens ${sub}`);
        }
        expect(text).toContain(consoleLink());
    });

    test('policy shows the current thresholds', async () => {
        const policy = (await pluginRequest(admin, 'GET', '/policy')).body as {stale_after_days: number; expiring_within_days: number};
        const text = await run(admin, '/tokens policy');
        expect(text).toContain(`Stale after ${policy.stale_after_days} days`);
        expect(text).toContain(`within ${policy.expiring_within_days} days`);
    });

    test('list shows every token the server has, over its pages, with the console link', async () => {
        const first = await run(admin, '/tokens list');
        const pages = Number((/page 1 of (\d+)/).exec(first)?.[1]);
        expect(pages).toBeGreaterThan(0);
        let listed = first;
        for (let p = 2; p <= pages; p++) {
            listed += await run(admin, `/tokens list --page ${p}`);
        }
        const tokens = await admin.getUserAccessTokens(0, 200);
        expect(tokens.length).toBeGreaterThan(0);
        for (const token of tokens) {
            expect(listed).toContain(token.id);
        }
        expect(first).toContain(consoleLink());
    });

    test('user @alice shows alice\'s tokens and no one else\'s', async () => {
        const text = await run(admin, '/tokens user @alice');
        const aliceTokens = await admin.getUserAccessTokensForUser(env().fixtures.users.alice.id, 0, 100);
        expect(aliceTokens.length).toBeGreaterThan(0);
        for (const token of aliceTokens) {
            expect(text).toContain(token.id);
        }
        expect(text).not.toContain(env().fixtures.tokens.find((t) => t.username === 'bob')!.id);
    });

    test('search finds a token by its description', async () => {
        const text = await run(admin, '/tokens search alice laptop');
        expect(text).toContain(aliceLaptop().id);
        expect(text).not.toContain(env().fixtures.tokens.find((t) => t.username === 'bob')!.id);
    });

    test('show gives one token in full: owner, description, state, activity', async () => {
        const text = await run(admin, `/tokens show ${aliceLaptop().id}`);
        expect(text).toContain(aliceLaptop().id);
        expect(text).toContain('@alice');
        expect(text).toContain('alice laptop');
        expect(text).toMatch(/State:\*\* active/);
        expect(text).toMatch(/Last seen active:\*\* \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    });

    test('audit counts findings as the server state implies', async () => {
        const text = await run(admin, '/tokens audit');
        const all = await admin.getUserAccessTokens(0, 200);
        const disabled = all.filter((t) => !t.is_active).length;
        expect(text).toContain(`${all.length} tokens: ${all.length - disabled} active, ${disabled} inactive`);
        expect(text).toContain(`**disabled** ${disabled}`);
    });

    test.each(['disable', 'enable'])('%s needs the web or desktop app, says so with the console link, and changes nothing', async (action) => {
        const token = await admin.createUserAccessToken(env().fixtures.users.bob.id, `server path ${action}`);
        if (action === 'enable') {
            await admin.disableUserAccessToken(token.id);
        }
        for (const command of [`/tokens ${action} ${token.id}`, `/tokens ${action} ${token.id} --yes`]) {
            const text = await run(admin, command);
            expect(text).toMatch(new RegExp(`^\`/tokens ${action}\` needs an admin's own session, which only the Mattermost web and desktop apps have`));
            expect(text).toContain(consoleLink());
        }
        await expect(admin.getUserAccessToken(token.id)).resolves.toMatchObject({is_active: action === 'disable'});
        expect(await trailFor(token.id)).toEqual([]);
        await admin.revokeUserAccessToken(token.id);
    });

    test('revoke asks for --yes, then revokes and records intent and outcome', async () => {
        const token = await admin.createUserAccessToken(env().fixtures.users.bob.id, 'server path revoke');
        const asked = await run(admin, `/tokens revoke ${token.id}`);
        expect(asked).toContain(`/tokens revoke ${token.id} --yes`);
        expect(asked).toContain('server path revoke');
        await expect(admin.getUserAccessToken(token.id)).resolves.toMatchObject({id: token.id});

        const done = await run(admin, `/tokens revoke ${token.id} --yes`);
        expect(done).toContain('Revoke: 1 done, 0 failed, 0 not found');
        expect(done).toContain(token.id);
        await expect(admin.getUserAccessToken(token.id)).rejects.toMatchObject({status_code: 404});
        const records = await trailFor(token.id);
        expect(records.map((r) => `${r.phase}:${r.outcome}:${r.source}:${r.owner_id}`).sort()).toEqual([
            `intent::command:${env().fixtures.users.bob.id}`,
            `outcome:ok:command:${env().fixtures.users.bob.id}`,
        ]);
    });

    test('unknown subcommands and malformed ids get a one-line error with usage', async () => {
        expect(await run(admin, '/tokens frobnicate')).toMatch(/^\*\*There is no subcommand `frobnicate`\.\*\*\n\nUsage/);
        expect(await run(admin, '/tokens revoke not-an-id --yes')).toMatch(/^\*\*`not-an-id` is not a token id[^\n]*\*\*\n\nUsage: `\/tokens revoke/);
    });

    test.each(['help', 'list', 'policy', 'audit', 'user @bob', 'search bob', 'show abc', 'revoke abc --yes'])('a regular user is refused: %s', async (sub) => {
        const text = await run(alice, `/tokens ${sub}`);
        expect(text).toBe('Only system admins can use /tokens.');
    });
});

describe('webapp path (the slash-command hook in the browser)', () => {
    let browser: Browser;
    let page: Page;

    async function answer(command: string): Promise<string> {
        const {post, error} = await sendCommand(page, command);
        expect(error).toBeUndefined();
        return post ?? '';
    }

    beforeAll(async () => {
        browser = await launchBrowser();
        page = await openHost(browser, env().admin.username, env().admin.password);
    });

    afterAll(async () => {
        await browser?.close();
    });

    test('/tokens list shows the tokens the server has', async () => {
        const text = await answer('/tokens list');
        const tokens = await admin.getUserAccessTokens(0, 200);
        expect(tokens.length).toBeGreaterThan(0);
        for (const token of tokens.slice(0, 10)) {
            expect(text).toContain(token.id);
        }
        expect(text).toContain(consoleLink());
    });

    test('/tokens user @alice shows alice’s tokens only', async () => {
        const text = await answer('/tokens user @alice');
        const aliceTokens = await admin.getUserAccessTokensForUser(env().fixtures.users.alice.id, 0, 100);
        for (const token of aliceTokens) {
            expect(text).toContain(token.id);
        }
        const bob = env().fixtures.tokens.find((t) => t.username === 'bob')!;
        expect(text).not.toContain(bob.id);
    });

    test('/tokens audit counts findings as the server state implies', async () => {
        const text = await answer('/tokens audit');
        const all = await admin.getUserAccessTokens(0, 200);
        const disabled = all.filter((t) => !t.is_active).length;
        expect(text).toMatch(new RegExp(`disabled[^\\n]*\\b${disabled}\\b`, 'i'));
    });

    // The token list's pages, as the hook reads them (GET /users/tokens?page=…), not the actions under /users/tokens/.
    const tokenPages = /\/api\/v4\/users\/tokens\?/;

    // The page keeps the inventory its console read, so a command may answer without reading. Any
    // action taken through the plugin drops it: enabling an active token changes nothing else.
    async function dropKeptInventory(page: Page, tokenId: string) {
        const {post} = await answerTo(page, `/tokens enable ${tokenId}`);
        expect(post).toContain(tokenId);
    }

    test('a slow answer does not hold the message box: /tokens help typed meanwhile is answered', async () => {
        const token = await admin.createUserAccessToken(env().fixtures.users.carol.id, 'slow answer');
        const own = await openHost(browser, env().admin.username, env().admin.password);
        await dropKeptInventory(own, token.id);
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => {
            release = resolve;
        });
        await own.route(tokenPages, async (route: Route) => {
            await held;
            await route.continue();
        });
        try {
            await own.getByTestId('host-input').fill('/tokens list');
            await own.getByTestId('host-input').press('Enter');
            const placeholder = own.getByTestId('host-post').filter({hasText: 'Working on /tokens list'});
            await placeholder.waitFor({timeout: 30000});

            // The webapp ignores Enter while a hook is busy: a hook still waiting for the list would drop this.
            const help = await answerTo(own, '/tokens help', undefined, 15000);
            expect(help.post).toContain('/tokens revoke');
            await expect(placeholder.getAttribute('data-revision')).resolves.toBe('0');

            release();
            const id = (await placeholder.getAttribute('data-post-id'))!;
            await own.locator(`[data-post-id="${id}"][data-revision="1"]`).waitFor({timeout: 60000});
            expect(await postMessage(own, id)).toContain(token.id);
        } finally {
            release();
            await own.context().close();
            await admin.revokeUserAccessToken(token.id);
        }
    });

    test('a second command answers from the first one\'s inventory; an action taken through it reads again', async () => {
        const token = await admin.createUserAccessToken(env().fixtures.users.carol.id, 'kept inventory');
        const own = await openHost(browser, env().admin.username, env().admin.password);
        let pagesRead = 0;
        await own.route(tokenPages, async (route: Route) => {
            pagesRead++;
            await route.continue();
        });
        try {
            const answer = async (command: string) => {
                const {post, error} = await answerTo(own, command);
                expect({command, error}).toEqual({command, error: undefined});
                return post!;
            };
            const readBefore = /> As read \d+ seconds? ago/;
            await dropKeptInventory(own, token.id);
            const list = await answer('/tokens list');
            expect(list).toContain(token.id);
            expect(list).not.toMatch(readBefore);
            const afterList = pagesRead;
            expect(afterList).toBeGreaterThan(0);

            const audit = await answer('/tokens audit');
            expect(audit).toMatch(readBefore);
            expect(pagesRead).toBe(afterList);

            await answer(`/tokens disable ${token.id} --yes`);
            const again = await answer('/tokens search kept inventory');
            expect(pagesRead).toBeGreaterThan(afterList);
            expect(again).not.toMatch(readBefore);
            expect(again).toMatch(new RegExp(`\\| kept inventory \\| disabled \\|[^\\n]*${token.id}`));
        } finally {
            await own.context().close();
            await admin.revokeUserAccessToken(token.id);
        }
    });

    test('/tokens revoke <id> --yes revokes through the hook', async () => {
        const token = await admin.createUserAccessToken(env().fixtures.users.carol.id, 'hook revoke');
        const text = await answer(`/tokens revoke ${token.id} --yes`);
        expect(text).toContain(token.id);
        await expect(admin.getUserAccessToken(token.id)).rejects.toMatchObject({status_code: 404});
        const records = await trailFor(token.id);
        expect(records.map((r) => `${r.phase}:${r.outcome}:${r.source}`).sort()).toEqual(['intent::command', 'outcome:ok:command']);
    });
});
