// Clean-up campaigns on a real server: owners asked by the bot's DMs, their [Keep it] and [Revoke it
// now] clicked through Mattermost's own integration-action route, the grace period, the admin's
// disable with their own session, the undo window and the server's revoke at its end; then the same
// after a SIGKILL between stages, and with two servers on one database. Campaign days last seconds
// here through the test-only TOKEN_AUDIT_TEST_DAY (and the job's minute through TOKEN_AUDIT_TEST_MINUTE).
import {Client4} from '@mattermost/client';

import {escapeMarkdown} from '../../webapp/src/engine/markdown';
import type {Campaign} from '../../webapp/src/engine/campaign/campaign';
import type {Policy, TrailPage, TrailRecord} from '../../webapp/src/engine/types';
import {launchBrowser, openHost, screenshot, sendCommand} from '../harness/browser';
import {startEnvironment, startPeer} from '../harness/environment';
import type {Environment, Peer, Started} from '../harness/environment';
import {actionsOf, english, waitFor} from '../harness/posts';
import type {Post, WaitOptions} from '../harness/posts';
import {adminLogin, loggedIn} from '../harness/seed';

process.env.TOKEN_AUDIT_TEST_MINUTE = '1s';
process.env.TOKEN_AUDIT_TEST_DAY = '5s';

let started: Started;
let env: Environment;
let admin: Client4;
let alice: Client4;
let bob: Client4;
let botId: string;

// What the plugin's routes answer, as far as these tests read it.
interface Answer {
    id?: string;
    campaigns?: Campaign[];
    ephemeral_text?: string;
}

async function plugin(client: Client4, method: string, route: string, body?: unknown, url = env.url): Promise<{status: number; body: Answer}> {
    const response = await fetch(`${url}/plugins/${env.pluginId}${route}`, {
        method,
        headers: {'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${client.getToken()}`},
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {status: response.status, body: text ? JSON.parse(text) : null};
}

async function clickAs(client: Client4, postId: string, actionId: string, url = env.url): Promise<number> {
    const response = await fetch(`${url}/api/v4/posts/${postId}/actions/${actionId}`, {
        method: 'POST',
        headers: {'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${client.getToken()}`},
        body: '{}',
    });
    return response.status;
}

// The bot's posts in the DM of `client`'s user with the bot, oldest first.
async function dms(client: Client4): Promise<Post[]> {
    const me = await client.getMe();
    const channel = await client.createDirectChannel([me.id, botId]);
    const list = await client.getPosts(channel.id, 0, 200);
    return list.order.map((id) => list.posts[id] as unknown as Post).filter((p) => p.user_id === botId).reverse();
}

async function campaigns(): Promise<Campaign[]> {
    return (await plugin(admin, 'GET', '/api/v1/campaigns')).body.campaigns ?? [];
}

async function campaign(id: string): Promise<Campaign> {
    const found = (await campaigns()).find((c) => c.id === id);
    if (!found) {
        throw new Error(`no campaign ${id}`);
    }
    return found;
}

const stagesOf = (c: Campaign) => Object.fromEntries(c.tokens.map((t) => [t.id, t.stage]));

async function waitForStages(id: string, want: Record<string, string>, options: WaitOptions = {}) {
    return waitFor(`stages ${JSON.stringify(want)}`, async () => {
        const got = stagesOf(await campaign(id));
        return Object.entries(want).every(([token, stage]) => got[token] === stage) ? got : undefined;
    }, options);
}

async function newToken(ownerId: string, description: string): Promise<string> {
    return (await admin.createUserAccessToken(ownerId, description)).id;
}

async function trailOf(tokenId: string): Promise<TrailRecord[]> {
    return ((await plugin(admin, 'GET', `/api/v1/trail?token=${tokenId}&limit=200`)).body as unknown as TrailPage).records;
}

// Waits until every intent in the token's trail has its outcome, so that a kill lands between
// stages and not inside one (the next move is a grace period or an undo window away).
async function waitForQuietTrail(tokenId: string) {
    await waitFor('every intent closed', async () => {
        const records = await trailOf(tokenId);
        const intents = new Set(records.filter((r) => r.phase === 'intent').map((r) => r.action_id));
        const outcomes = new Set(records.filter((r) => r.phase === 'outcome').map((r) => r.action_id));
        return intents.size > 0 && [...intents].every((a) => outcomes.has(a)) ? records : undefined;
    });
}

// Every intent has exactly one outcome, and every outcome is ok.
function closedAndOk(records: TrailRecord[]) {
    const byAction = new Map<string, TrailRecord[]>();
    for (const r of records) {
        byAction.set(r.action_id, [...(byAction.get(r.action_id) ?? []), r]);
    }
    for (const [actionId, pair] of byAction) {
        expect([actionId, pair.map((r) => r.phase).sort()]).toEqual([actionId, ['intent', 'outcome']]);
        expect(pair.find((r) => r.phase === 'outcome')!.outcome).toBe('ok');
    }
}

// The stage says revoked once the move is made; the revoke itself follows, then its outcome is recorded.
async function revokeRecorded(tokenId: string) {
    await waitFor(`the revoke of ${tokenId} recorded`, async () => ((await trailOf(tokenId)).some((r) => r.action === 'revoke' && r.phase === 'outcome') ? true : undefined));
}

const stageMoves = (records: TrailRecord[]) => records.filter((r) => r.action === 'campaign_stage' && r.phase === 'outcome').map((r) => r.detail!.split(': ')[1]).reverse();

beforeAll(async () => {
    started = await startEnvironment();
    env = started.environment;
    admin = await loggedIn(env.url, adminLogin.username, adminLogin.password);
    alice = await loggedIn(env.url, 'alice', env.fixtures.password);
    bob = await loggedIn(env.url, 'bob', env.fixtures.password);
    botId = (await admin.getUserByUsername('token-audit')).id;
}, 600000);

afterAll(async () => {
    await started?.shutdown();
});

describe('a campaign over real tokens', () => {
    let id: string;
    const tokens: Record<'keep' | 'revoke' | 'ignore' | 'reenable' | 'bot', string> = {keep: '', revoke: '', ignore: '', reenable: '', bot: ''};
    let posts: Record<string, Post>;

    test('bad starts and non-admins are refused, and nothing is stored', async () => {
        const aliceId = env.fixtures.users.alice.id;
        tokens.keep = await newToken(aliceId, 'keep me');
        tokens.revoke = await newToken(aliceId, 'revoke me');
        tokens.ignore = await newToken(aliceId, 'ignore me');
        tokens.reenable = await newToken(aliceId, 'enable me again');
        tokens.bot = env.fixtures.tokens.find((t) => t.description === 'legacy webhook relay')!.id;
        const good = {token_ids: Object.values(tokens), grace_days: 2, undo_days: 2, keep_days: 30, note: 'Spring clean-up', filter: 'all tokens'};
        const cases: Array<[Client4, unknown, number]> = [
            [alice, good, 403],
            [admin, '{"token_ids": [', 400],
            [admin, {...good, token_ids: [...good.token_ids, 'a'.repeat(26)]}, 400],
            [admin, {...good, token_ids: ['not-an-id']}, 400],
            [admin, {...good, grace_days: 0}, 400],
            [admin, {...good, undo_days: '2'}, 400],
            [admin, {...good, keep_days: 366}, 400],
            [admin, {...good, extra: 1}, 400],
            [admin, {...good, grace_days: undefined}, 400],
        ];
        for (const [client, body, status] of cases) {
            expect([body, (await plugin(client, 'POST', '/api/v1/campaigns', body)).status]).toEqual([body, status]);
        }
        expect(await campaigns()).toEqual([]);
        expect((await plugin(alice, 'GET', '/api/v1/campaigns')).status).toBe(403);

        const created = await plugin(admin, 'POST', '/api/v1/campaigns', good);
        expect(created.status).toBe(201);
        id = created.body.id!;
    }, 60000);

    test('each owner gets one DM naming the token, why and the date, with [Keep it] and [Revoke it now]; a bot\'s goes to its owner', async () => {
        const aliceDMs = await waitFor('four DMs to alice', async () => {
            const found = await dms(alice);
            return found.length >= 4 ? found : undefined;
        });
        const c = await campaign(id);
        posts = Object.fromEntries(c.tokens.map((t) => [t.id, t.post_id]).filter(([, postId]) => postId).map(([tokenId, postId]) => [tokenId, aliceDMs.find((p) => p.id === postId)!]).filter(([, p]) => p));
        expect(aliceDMs).toHaveLength(4);
        const keepPost = posts[tokens.keep];
        console.log(`The owner's DM (alice, token "keep me"):\n${keepPost.message}\n[${actionsOf(keepPost).map((a) => a.name).join('] [')}]`);
        expect(keepPost.message).toContain(english('token_audit.campaign.dm.title', {admin: '@sysadmin'}));
        expect(keepPost.message).toContain(english('token_audit.campaign.dm.token', {token: `\`${tokens.keep}\``, description: 'keep me'}));
        expect(keepPost.message).toContain(escapeMarkdown('Spring clean-up'));
        expect(actionsOf(keepPost).map((a) => a.name)).toEqual([english('token_audit.campaign.button.keep', {days: 30}), english('token_audit.campaign.button.revoke_now')]);

        const botDM = await waitFor('the DM about the bot\'s token to its owner', async () => (await dms(admin)).find((p) => p.message.includes(tokens.bot)));
        console.log(`The DM to a bot's owner (sysadmin, for @ci-bot):\n${botDM.message}`);
        expect(botDM.message).toContain(english('token_audit.campaign.dm.bot_token', {token: `\`${tokens.bot}\``, description: 'legacy webhook relay', bot: '@ci-bot'}));
        posts[tokens.bot] = botDM;
    }, 120000);

    test('clicks by anyone else, forged or replayed change nothing; the owner keeps one and revokes another', async () => {
        const before = await campaign(id);
        const keepPost = posts[tokens.keep];
        const keepAction = actionsOf(keepPost)[0];

        // Bob cannot read alice's DM, so Mattermost refuses his click itself; sent to the plugin's
        // route directly, it is refused there, and a body naming alice is a forgery.
        expect(await clickAs(bob, keepPost.id, keepAction.id)).toBe(403);
        const bobId = env.fixtures.users.bob.id;
        const direct = (userId: string) => ({user_id: userId, post_id: keepPost.id, channel_id: '', context: {campaign: id, token: tokens.keep, button: 'keep'}});
        const asBob = await plugin(bob, 'POST', '/campaign/button', direct(bobId));
        expect(asBob.body.ephemeral_text).toBe(english('token_audit.campaign.click.not_owner'));
        const forged = await plugin(bob, 'POST', '/campaign/button', direct(env.fixtures.users.alice.id));
        expect(forged.body.ephemeral_text).toBe(english('token_audit.watch.click.forged'));
        const otherPost = await plugin(alice, 'POST', '/campaign/button', {...direct(env.fixtures.users.alice.id), post_id: posts[tokens.revoke].id});
        expect(otherPost.body.ephemeral_text).toBe(english('token_audit.watch.click.forged'));
        expect(await campaign(id)).toEqual(before);

        expect(await clickAs(alice, keepPost.id, keepAction.id)).toBe(200);
        const kept = await waitFor('the kept DM', async () => (await dms(alice)).find((p) => p.id === keepPost.id && actionsOf(p).length === 0));
        expect(kept.message).toContain('> @alice kept it until');
        const revokePost = posts[tokens.revoke];
        expect(await clickAs(alice, revokePost.id, actionsOf(revokePost)[1].id)).toBe(200);
        await waitFor('the revoked DM', async () => (await dms(alice)).find((p) => p.id === revokePost.id && p.message.endsWith(`> ${english('token_audit.campaign.resolved.revoked', {user: '@alice'})}`)));
        await expect(admin.getUserAccessToken(tokens.revoke)).rejects.toMatchObject({status_code: 404});

        // The owner of the bot (the admin) keeps the bot's token.
        expect(await clickAs(admin, posts[tokens.bot].id, actionsOf(posts[tokens.bot])[0].id)).toBe(200);

        // A replayed Keep (the buttons are gone, but the route still answers) changes nothing.
        const afterClicks = await campaign(id);
        const replay = await plugin(alice, 'POST', '/campaign/button', direct(env.fixtures.users.alice.id));
        expect(replay.body.ephemeral_text).toBe(english('token_audit.campaign.click.stale'));
        expect(await campaign(id)).toEqual(afterClicks);

        const policy = (await plugin(admin, 'GET', '/api/v1/policy')).body as unknown as Policy;
        const exemption = policy.exemptions.find((e) => e.id === tokens.keep)!;
        expect(exemption.reason).toBe(english('token_audit.campaign.keep_reason', {user: '@alice', campaign: id}));
        expect(exemption.expires_at).toBe(afterClicks.tokens.find((t) => t.id === tokens.keep)!.kept_until);
        expect(stagesOf(afterClicks)).toMatchObject({[tokens.keep]: 'kept', [tokens.revoke]: 'revoked_by_owner', [tokens.bot]: 'kept'});
    }, 120000);

    test('after the grace period the ignored tokens are due and the admin is told once', async () => {
        await waitForStages(id, {[tokens.ignore]: 'due', [tokens.reenable]: 'due'});
        const notice = await waitFor('the due notice', async () => (await dms(admin)).find((p) => p.message.includes(english('token_audit.campaign.due.title', {campaign: escapeMarkdown('Spring clean-up'), count: 2}))));
        console.log(`The admin's due notice:\n${notice.message}`);
        expect((await dms(admin)).filter((p) => p.message.includes('due to be disabled'))).toHaveLength(1);
    }, 120000);

    test('the admin disables them with their own session; one enabled again in the undo window survives, the other is revoked by the server', async () => {
        for (const tokenId of [tokens.ignore, tokens.reenable]) {
            await admin.disableUserAccessToken(tokenId);
            const reported = await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokenId, source: 'console'});
            expect(reported.status).toBe(200);
        }
        // The job notices a disabled token by itself, maybe before the admin's report: a report that
        // finds the token disabled already is answered 200 and moves nothing (the trail below shows
        // the move once); a token that is not due, or a report from where no caller acts, is refused.
        expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokens.ignore, source: 'console'})).status).toBe(200);
        expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokens.keep, source: 'console'})).status).toBe(409);
        expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: 'nope', source: 'console'})).status).toBe(400);
        expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokens.keep, source: 'job'})).status).toBe(400);
        expect((await plugin(alice, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokens.ignore, source: 'console'})).status).toBe(403);
        await admin.enableUserAccessToken(tokens.reenable);

        await waitForStages(id, {[tokens.ignore]: 'revoked', [tokens.reenable]: 'reenabled'});
        await revokeRecorded(tokens.ignore);
        await expect(admin.getUserAccessToken(tokens.ignore)).rejects.toMatchObject({status_code: 404});
        expect((await admin.getUserAccessToken(tokens.reenable)).is_active).toBe(true);
        expect((await admin.getUserAccessToken(tokens.keep)).is_active).toBe(true);

        const ignored = await trailOf(tokens.ignore);
        closedAndOk(ignored);
        expect(stageMoves(ignored)).toEqual(['picked → notified', 'notified → due', 'due → disabled', 'disabled → revoked']);
        expect(ignored.filter((r) => r.action === 'revoke').map((r) => [r.phase, r.source, r.actor_id])).toEqual([['outcome', 'job', botId], ['intent', 'job', botId]]);
        const disabledBy = ignored.filter((r) => r.phase === 'intent' && r.detail === `campaign ${id}: due → disabled`).map((r) => [r.source, r.actor_id]);
        expect([[['console', env.fixtures.users.sysadmin.id]], [['job', botId]]]).toContainEqual(disabledBy);
        const keptTrail = await trailOf(tokens.keep);
        closedAndOk(keptTrail);
        expect(keptTrail.filter((r) => r.action === 'campaign_keep').map((r) => [r.phase, r.source, r.actor_id])).toEqual([['outcome', 'button', env.fixtures.users.alice.id], ['intent', 'button', env.fixtures.users.alice.id]]);
        closedAndOk(await trailOf(tokens.reenable));
    }, 120000);
});

describe('the console', () => {
    test('Start a clean-up from a filtered view, then disable the due tokens with the admin\'s session on the Campaigns tab', async () => {
        const bobId = env.fixtures.users.bob.id;
        const ids = [await newToken(bobId, 'console clean-up one'), await newToken(bobId, 'console clean-up two')];
        const browser = await launchBrowser();
        try {
            const page = await openHost(browser, adminLogin.username, adminLogin.password, {url: env.url});
            await page.getByTestId('ta-table').waitFor({timeout: 60000});
            await page.getByTestId('ta-search').fill('console clean-up');
            await page.getByTestId('ta-campaign-start').click();
            const dialog = page.getByTestId('ta-campaign-dialog');
            await expect(dialog.locator('h2').textContent()).resolves.toBe(english('token_audit.campaign.console.start_title', {count: 2}));
            for (const field of ['grace_days', 'undo_days', 'keep_days']) {
                await page.getByTestId(`ta-campaign-${field}`).fill('1');
            }
            await page.getByTestId('ta-campaign-note').fill('Started in the console');
            await page.getByTestId('ta-campaign-confirm').click();
            await page.getByTestId('ta-campaigns').waitFor();

            const started = await waitFor('the console\'s campaign', async () => (await campaigns()).find((c) => c.note === 'Started in the console'));
            expect(started.tokens.map((t) => t.id).sort()).toEqual([...ids].sort());
            expect(started.filter).toBe('“console clean-up”');
            const card = page.getByTestId(`ta-campaign-${started.id}`);
            await waitForStages(started.id, {[ids[0]]: 'due', [ids[1]]: 'due'});
            await page.getByTestId('ta-campaigns-refresh').click();
            await card.locator('[data-testid="ta-campaign-disable-due"]:not([disabled])').waitFor();
            await card.getByTestId('ta-campaign-disable-due').click();
            await page.getByTestId('ta-campaign-confirm-yes').click();
            await card.locator('[data-stage="disabled"]').nth(1).waitFor({timeout: 30000});
            await screenshot(page, 'campaigns');
            for (const id of ids) {
                expect((await admin.getUserAccessToken(id)).is_active).toBe(false);
            }
            await waitForStages(started.id, {[ids[0]]: 'revoked', [ids[1]]: 'revoked'});
            await Promise.all(ids.map(revokeRecorded));
            for (const id of ids) {
                const trail = await trailOf(id);
                closedAndOk(trail);
                expect(trail.filter((r) => r.action === 'disable').map((r) => [r.phase, r.source, r.actor_id])).toEqual([['outcome', 'console', env.fixtures.users.sysadmin.id], ['intent', 'console', env.fixtures.users.sysadmin.id]]);
                const disabledBy = trail.filter((r) => r.phase === 'intent' && r.detail === `campaign ${started.id}: due → disabled`).map((r) => [r.source, r.actor_id]);
                expect([[['console', env.fixtures.users.sysadmin.id]], [['job', botId]]]).toContainEqual(disabledBy);
            }
        } finally {
            await browser.close();
        }
    }, 180000);
});

describe('/tokens campaign', () => {
    test('lists the due tokens and disables them with the admin\'s session in the web app; the server path and non-admins cannot', async () => {
        const bobId = env.fixtures.users.bob.id;
        const ids = [await newToken(bobId, 'command clean-up one'), await newToken(bobId, 'command clean-up two')];

        // The longest undo window, so that nothing is revoked while the test looks; cancelled at the end.
        const created = await plugin(admin, 'POST', '/api/v1/campaigns', {token_ids: ids, grace_days: 1, undo_days: 90, keep_days: 1, note: 'From the command'});
        expect(created.status).toBe(201);
        const id = created.body.id!;
        await waitForStages(id, {[ids[0]]: 'due', [ids[1]]: 'due'});
        const run = async (client: Client4, command: string) => (await client.executeCommand(command, {channel_id: env.fixtures.channelId, team_id: env.fixtures.teamId} as never)).text ?? '';

        // The server path (mobile, API callers) lists, but has no session to disable with.
        const listed = await run(admin, '/tokens campaign');
        for (const tokenId of ids) {
            expect(listed).toContain(`\`${tokenId}\` @bob`);
        }
        expect(await run(admin, '/tokens campaign disable --yes')).toContain(english('token_audit.campaign.command.needs_webapp', {count: 2, command: '`/tokens campaign disable --yes`'}));
        expect(await run(alice, '/tokens campaign')).toBe(english('token_audit.command.error.refused'));
        for (const tokenId of ids) {
            expect((await admin.getUserAccessToken(tokenId)).is_active).toBe(true);
        }

        const browser = await launchBrowser();
        try {
            // A non-admin's hook hands the command to the server, which refuses it.
            const alicePage = await openHost(browser, 'alice', env.fixtures.password, {url: env.url});
            expect(await sendCommand(alicePage, '/tokens campaign disable --yes')).toEqual({post: english('token_audit.command.error.refused')});
            expect(stagesOf(await campaign(id))).toMatchObject({[ids[0]]: 'due', [ids[1]]: 'due'});

            const page = await openHost(browser, adminLogin.username, adminLogin.password, {url: env.url});
            const list = await sendCommand(page, '/tokens campaign');
            console.log(`/tokens campaign in the web app:\n${list.post}`);
            for (const tokenId of ids) {
                expect(list.post).toContain(`\`${tokenId}\` @bob — `);
            }
            expect(list.post).toContain(english('token_audit.campaign.command.started', {admin: '@sysadmin', date: ''}).trim());

            const preview = await sendCommand(page, '/tokens campaign disable');
            expect(preview.post).toContain(english('token_audit.campaign.command.preview', {count: 2, people: 1}));
            for (const tokenId of ids) {
                expect((await admin.getUserAccessToken(tokenId)).is_active).toBe(true);
            }

            const done = await sendCommand(page, '/tokens campaign disable --yes', 60000);
            console.log(`/tokens campaign disable --yes in the web app:\n${done.post}`);
            expect(done.post).toContain(english('token_audit.command.action.title.disable', {ok: 2, failed: 0, missing: 0}));
            for (const tokenId of ids) {
                expect((await admin.getUserAccessToken(tokenId)).is_active).toBe(false);
            }
            expect(stagesOf(await campaign(id))).toMatchObject({[ids[0]]: 'disabled', [ids[1]]: 'disabled'});
            for (const tokenId of ids) {
                const trail = await trailOf(tokenId);
                closedAndOk(trail);
                const sysadmin = env.fixtures.users.sysadmin.id;
                expect(trail.filter((r) => r.action === 'disable').map((r) => [r.phase, r.source, r.actor_id])).toEqual([['outcome', 'command', sysadmin], ['intent', 'command', sysadmin]]);
                // The job may notice the disable before the admin's report of it (see the route's test
                // above); a move the report made is the command's.
                const disabledBy = trail.filter((r) => r.phase === 'intent' && r.detail === `campaign ${id}: due → disabled`).map((r) => [r.source, r.actor_id]);
                expect([[['command', sysadmin]], [['job', botId]]]).toContainEqual(disabledBy);
            }
            expect((await sendCommand(page, '/tokens campaign disable --yes')).post).toContain(english('token_audit.campaign.command.nothing_due'));
        } finally {
            await browser.close();
            await plugin(admin, 'POST', `/api/v1/campaigns/${id}/cancel`);
        }
    }, 180000);
});

describe('a hard kill between stages', () => {
    test('the campaign resumes where it stopped, and no DM or stage happens twice', async () => {
        const aliceId = env.fixtures.users.alice.id;
        const tokenId = await newToken(aliceId, 'survives a crash');
        const dmsBefore = (await dms(alice)).length;
        const created = await plugin(admin, 'POST', '/api/v1/campaigns', {token_ids: [tokenId], grace_days: 2, undo_days: 2, keep_days: 1, note: 'crash test'});
        expect(created.status).toBe(201);
        const id = created.body.id!;
        await waitForStages(id, {[tokenId]: 'notified'});
        await waitFor('the owner\'s DM', async () => ((await dms(alice)).length === dmsBefore + 1 ? true : undefined));
        await waitForQuietTrail(tokenId);

        await started.server.kill();
        await started.server.start();
        // The plugin may still be starting on the restarted server.
        await waitForStages(id, {[tokenId]: 'due'}, {retryErrors: true});
        await admin.disableUserAccessToken(tokenId);
        expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokenId, source: 'console'})).status).toBe(200);
        await waitForQuietTrail(tokenId);

        await started.server.kill();
        await started.server.start();
        await waitForStages(id, {[tokenId]: 'revoked'}, {retryErrors: true});
        await revokeRecorded(tokenId);
        await expect(admin.getUserAccessToken(tokenId)).rejects.toMatchObject({status_code: 404});
        expect((await dms(alice)).length).toBe(dmsBefore + 1);
        const trail = await trailOf(tokenId);
        expect(stageMoves(trail)).toEqual(['picked → notified', 'notified → due', 'due → disabled', 'disabled → revoked']);
        closedAndOk(trail);
    }, 300000);
});

describe('two servers on one database', () => {
    let peer: Peer;

    beforeAll(async () => {
        peer = await startPeer(env);
    }, 600000);

    afterAll(async () => {
        await peer?.stop();
    });

    test('every stage of a campaign happens once, whichever server runs it', async () => {
        const aliceId = env.fixtures.users.alice.id;
        const ids = [await newToken(aliceId, 'two servers 1'), await newToken(aliceId, 'two servers 2')];
        const dmsBefore = (await dms(alice)).length;
        const noticesBefore = (await dms(admin)).length;
        const peerAdmin = await loggedIn(peer.url, adminLogin.username, adminLogin.password);
        const created = await plugin(peerAdmin, 'POST', '/api/v1/campaigns', {token_ids: ids, grace_days: 2, undo_days: 2, keep_days: 1, note: 'two servers'}, peer.url);
        expect(created.status).toBe(201);
        const id = created.body.id!;
        await waitForStages(id, {[ids[0]]: 'due', [ids[1]]: 'due'});
        for (const tokenId of ids) {
            await admin.disableUserAccessToken(tokenId);
            expect((await plugin(admin, 'POST', `/api/v1/campaigns/${id}/disabled`, {token_id: tokenId, source: 'console'})).status).toBe(200);
        }
        await waitForStages(id, {[ids[0]]: 'revoked', [ids[1]]: 'revoked'});
        await Promise.all(ids.map(revokeRecorded));
        expect((await dms(alice)).length).toBe(dmsBefore + 2);
        expect((await dms(admin)).length).toBe(noticesBefore + 1);
        for (const tokenId of ids) {
            const trail = await trailOf(tokenId);
            expect(stageMoves(trail)).toEqual(['picked → notified', 'notified → due', 'due → disabled', 'disabled → revoked']);
            expect(trail.filter((r) => r.action === 'revoke' && r.phase === 'outcome')).toHaveLength(1);
            closedAndOk(trail);
        }
    }, 300000);
});
