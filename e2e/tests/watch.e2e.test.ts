// Token Audit watching by itself on a real server: the scan's alerts, the digest on schedule and by
// /tokens digest, the offboarding guard and the clicks on its buttons through Mattermost's own
// integration-action route. The watch runs on its own server here, started with the test-only
// TOKEN_AUDIT_TEST_MINUTE so that a scan "every minute" runs every second; the suite's shared
// server keeps the real minute.
import {Client4} from '@mattermost/client';
import {Client} from 'pg';

import {escapeMarkdown} from '../../webapp/src/engine/markdown';
import type {Policy, PolicyInput, TrailPage, WatchPrefs} from '../../webapp/src/engine/types';
import {startEnvironment, startPeer} from '../harness/environment';
import type {Environment, Peer, Started} from '../harness/environment';
import {actionsOf, english, waitFor} from '../harness/posts';
import type {Post} from '../harness/posts';
import {adminLogin, loggedIn} from '../harness/seed';

process.env.TOKEN_AUDIT_TEST_MINUTE = '1s';

let started: Started;
let env: Environment;
let admin: Client4;
let aliceClient: Client4;
let alertChannel: string;
let digestChannel: string;

// Every token secret this file creates: none may appear in any post.
const secrets: string[] = [];

// The secret comes back once, when a token is created.
function secretOf(created: {token?: string}): string {
    if (!created.token) {
        throw new Error('the server returned no secret for a new token');
    }
    return created.token;
}

const consoleLink = () => `${env.url}/admin_console/plugins/plugin_${env.pluginId}`;

async function botPosts(channelId: string): Promise<Post[]> {
    const list = await admin.getPosts(channelId, 0, 200);
    const bot = await admin.getUserByUsername('token-audit');
    return list.order.map((id) => list.posts[id] as unknown as Post).filter((p) => p.user_id === bot.id).reverse();
}

// Polls until `find` returns something, then returns it; fails with what it last saw.
async function kvValue(key: string): Promise<string | undefined> {
    const db = new Client({connectionString: env.dataSource});
    await db.connect();
    try {
        const result = await db.query<{pvalue: Buffer | null}>('SELECT pvalue FROM pluginkeyvaluestore WHERE pluginid = $1 AND pkey = $2', [env.pluginId, key]);
        return result.rows[0]?.pvalue?.toString('utf8');
    } finally {
        await db.end();
    }
}

// The context Mattermost keeps server-side behind a post's buttons (clients never see it), read from
// the plugin's KV: the most a forger could know.
async function buttonContext(postId: string, button: string): Promise<Record<string, string>> {
    const db = new Client({connectionString: env.dataSource});
    await db.connect();
    try {
        const result = await db.query<{pkey: string; pvalue: Buffer}>("SELECT pkey, pvalue FROM pluginkeyvaluestore WHERE pluginid = $1 AND pkey LIKE 'watch_buttons_%'", [env.pluginId]);
        const row = result.rows.find((r) => postId in (JSON.parse(r.pvalue.toString('utf8')) as {posts: object}).posts);
        if (!row) {
            throw new Error(`no buttons of post ${postId}`);
        }
        return {buttons: row.pkey.slice('watch_buttons_'.length), button};
    } finally {
        await db.end();
    }
}

// Waits until the watch job has finished `runs` more times than now: what it would have done is done.
// The watch job scans, then posts the digest when due.
async function watchRuns(runs: number) {
    let last = await kvValue('cron_watch');
    for (let i = 0; i < runs; i++) {
        const before = last;
        last = await waitFor('the watch job to run', async () => {
            const now = await kvValue('cron_watch');
            return now !== undefined && now !== before ? now : undefined;
        });
    }
}

async function plugin(client: Client4, method: string, route: string, body?: unknown): Promise<{status: number; body: unknown}> {
    const response = await fetch(`${env.url}/plugins/${env.pluginId}${route}`, {
        method,
        headers: {'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${client.getToken()}`},
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {status: response.status, body: text ? JSON.parse(text) : null};
}

async function setWatch(change: (watch: WatchPrefs) => void) {
    const policy = (await plugin(admin, 'GET', '/api/v1/policy')).body as Policy;
    change(policy.watch);
    const input: PolicyInput = {version: policy.version, stale_after_days: policy.stale_after_days, expiring_within_days: policy.expiring_within_days,
        findings: policy.findings, exemptions: policy.exemptions.map((e) => ({kind: e.kind, id: e.id, reason: e.reason})), watch: policy.watch};
    const saved = await plugin(admin, 'PUT', '/api/v1/policy', input);
    expect(saved.status).toBe(200);
}

// Mattermost's own route behind a button: the clicker is whoever's session calls it.
async function clickAs(client: Client4, postId: string, actionId: string): Promise<number> {
    const response = await fetch(`${env.url}/api/v4/posts/${postId}/actions/${actionId}`, {
        method: 'POST',
        headers: {'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${client.getToken()}`},
        body: '{}',
    });
    return response.status;
}

async function run(client: Client4, command: string, url = env.url): Promise<{status: number; text: string}> {
    const response = await fetch(`${url}/api/v4/commands/execute`, {
        method: 'POST',
        headers: {'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${client.getToken()}`},
        body: JSON.stringify({command, channel_id: env.fixtures.channelId, team_id: env.fixtures.teamId}),
    });
    const text = await response.text();
    return {status: response.status, text: response.ok ? JSON.parse(text).text : text};
}

beforeAll(async () => {
    started = await startEnvironment();
    env = started.environment;
    admin = await loggedIn(env.url, adminLogin.username, adminLogin.password);
    aliceClient = await loggedIn(env.url, 'alice', env.fixtures.password);
    for (const name of ['token-alerts', 'token-digest']) {
        const channel = await admin.createChannel({team_id: env.fixtures.teamId, name, display_name: name, type: 'O'} as never);
        await admin.addToChannel(env.fixtures.users.alice.id, channel.id);
        if (name === 'token-alerts') {
            alertChannel = channel.id;
        } else {
            digestChannel = channel.id;
        }
    }
    await setWatch((watch) => {
        watch.scan_minutes = 1;
        watch.alert_channel_id = alertChannel;
    });
}, 600000);

afterAll(async () => {
    await started?.shutdown();
});

describe('alerts', () => {
    test('a token created through the REST API is alerted in the channel within one scan, once, and the seeded ones never', async () => {
        // The tokens seeded before the plugin ran are not news: the first scans pass them by.
        await watchRuns(2);
        expect(await botPosts(alertChannel)).toEqual([]);

        const opsAdmin = env.fixtures.users['ops-admin'];
        const created = await admin.createUserAccessToken(opsAdmin.id, 'nightly *deploy*');
        secrets.push(secretOf(created));
        const alert = await waitFor('the alert', async () => (await botPosts(alertChannel)).find((p) => p.message.includes(created.id)));

        expect(alert.message).toBe([
            `#### ${english('token_audit.watch.alert.title', {owner: '@ops-admin', count: 1})}`,
            '',
            `- **${english('token_audit.command.show.owner')}:** @ops-admin (${escapeMarkdown('ops-admin Example')}) — ${english('token_audit.command.owner.system_admin')}`,
            `- **${english('token_audit.command.show.description')}:** nightly &#42;deploy&#42;`,
            `- **${english('token_audit.command.col.id')}:** \`${created.id}\``,
            `- **${english('token_audit.command.show.findings')}:** ${english('token_audit.command.finding.owner_system_admin')}`,
            '',
            `[${english('token_audit.watch.alert.link')}](${consoleLink()})`,
        ].join('\n'));
        expect(actionsOf(alert).map((a) => a.name)).toEqual([english('token_audit.watch.button.revoke')]);

        // Further scans see the same token and post nothing more.
        await watchRuns(2);
        expect((await botPosts(alertChannel)).filter((p) => p.message.includes(created.id))).toHaveLength(1);
        expect(await botPosts(alertChannel)).toHaveLength(1);
    }, 180000);

    test('[Revoke] asks first; confirming as an admin revokes the token and the post says who did it', async () => {
        const alert = (await botPosts(alertChannel))[0];
        const tokenId = (/`([a-z0-9]{26})`/).exec(alert.message)![1];
        const revoke = actionsOf(alert)[0];

        expect(await clickAs(admin, alert.id, revoke.id)).toBe(200);
        const asked = await waitFor('the confirmation', async () => {
            const post = (await botPosts(alertChannel)).find((p) => p.id === alert.id)!;
            return actionsOf(post).length === 2 ? post : undefined;
        });
        expect(asked.message).toContain(english('token_audit.watch.resolved.confirm', {user: '@sysadmin'}));
        expect(actionsOf(asked).map((a) => a.name)).toEqual([english('token_audit.watch.button.confirm'), english('token_audit.watch.button.cancel')]);
        expect((await admin.getUserAccessToken(tokenId)).id).toBe(tokenId);

        expect(await clickAs(admin, alert.id, actionsOf(asked)[0].id)).toBe(200);
        const done = await waitFor('the revoked alert', async () => {
            const post = (await botPosts(alertChannel)).find((p) => p.id === alert.id)!;
            return actionsOf(post).length === 0 ? post : undefined;
        });
        expect(done.message).toBe(`${alert.message}\n\n> ${english('token_audit.watch.resolved.revoked', {user: '@sysadmin'})}`);
        await expect(admin.getUserAccessToken(tokenId)).rejects.toMatchObject({status_code: 404});

        const trail = (await plugin(admin, 'GET', `/api/v1/trail?token=${tokenId}`)).body as TrailPage;
        expect(trail.records.map((r) => [r.phase, r.action, r.outcome, r.source, r.actor_id])).toEqual([
            ['outcome', 'revoke', 'ok', 'button', env.fixtures.users.sysadmin.id],
            ['intent', 'revoke', '', 'button', env.fixtures.users.sysadmin.id],
        ]);
    }, 120000);
});

describe('offboarding guard', () => {
    let guard: Post;
    let bobTokens: string[];

    test('deactivating a user who holds active tokens posts the guard with [Revoke them] and [Keep]', async () => {
        const bob = env.fixtures.users.bob;
        const second = await admin.createUserAccessToken(bob.id, 'bob second key');
        secrets.push(secretOf(second));
        bobTokens = (await admin.getUserAccessTokensForUser(bob.id, 0, 100)).map((t) => t.id);
        expect(bobTokens).toHaveLength(2);

        await admin.updateUserActive(bob.id, false);
        guard = await waitFor('the guard', async () => (await botPosts(alertChannel)).find((p) => p.message.includes('@bob was deactivated')));
        expect(guard.message).toBe(`${english('token_audit.watch.guard.text', {user: '@bob', count: 2})}\n\n[${english('token_audit.command.console.link')}](${consoleLink()})`);
        expect(guard.message).toBe(`@bob was deactivated and holds 2 active tokens; they work again if the account is reactivated.\n\n[Open the full inventory in the System Console](${consoleLink()})`);
        expect(actionsOf(guard).map((a) => a.name)).toEqual([english('token_audit.watch.button.revoke_all'), english('token_audit.watch.button.keep')]);
    }, 120000);

    test('the same click by a regular user, or forged straight at the plugin, changes nothing', async () => {
        const revokeAll = actionsOf(guard)[0];
        expect(await clickAs(aliceClient, guard.id, revokeAll.id)).toBe(200);

        // Straight at the plugin's route: alice posing as the admin, and alice as herself.
        const context = await buttonContext(guard.id, 'revoke_all');
        const forged = await plugin(aliceClient, 'POST', '/watch/button', {user_id: env.fixtures.users.sysadmin.id, post_id: guard.id, context});
        expect(forged).toMatchObject({status: 200, body: {ephemeral_text: english('token_audit.watch.click.forged')}});
        const refused = await plugin(aliceClient, 'POST', '/watch/button', {user_id: env.fixtures.users.alice.id, post_id: guard.id, context});
        expect(refused).toMatchObject({status: 200, body: {ephemeral_text: english('token_audit.watch.click.refused')}});
        const otherPost = await plugin(admin, 'POST', '/watch/button', {user_id: env.fixtures.users.sysadmin.id, post_id: env.fixtures.channelId, context});
        expect(otherPost).toMatchObject({status: 200, body: {ephemeral_text: english('token_audit.watch.click.forged')}});

        // What a change would have done is done by now: a later scan has run.
        await watchRuns(1);
        const bob = env.fixtures.users.bob;
        expect((await admin.getUserAccessTokensForUser(bob.id, 0, 100)).map((t) => t.id).sort()).toEqual([...bobTokens].sort());
        const after = (await botPosts(alertChannel)).find((p) => p.id === guard.id)!;
        expect(after.message).toBe(guard.message);
        expect(actionsOf(after)).toEqual(actionsOf(guard));
    }, 120000);

    test('[Revoke them] clicked by an admin revokes them, records it, and a replayed click changes nothing', async () => {
        const revokeAll = actionsOf(guard)[0];
        expect(await clickAs(admin, guard.id, revokeAll.id)).toBe(200);
        const done = await waitFor('the resolved guard', async () => {
            const post = (await botPosts(alertChannel)).find((p) => p.id === guard.id)!;
            return actionsOf(post).length === 0 ? post : undefined;
        });
        expect(done.message).toBe(`${guard.message}\n\n> ${english('token_audit.watch.resolved.revoked', {user: '@sysadmin'})}`);
        expect(await admin.getUserAccessTokensForUser(env.fixtures.users.bob.id, 0, 100)).toEqual([]);
        for (const id of bobTokens) {
            const trail = (await plugin(admin, 'GET', `/api/v1/trail?token=${id}`)).body as TrailPage;
            expect(trail.records.map((r) => [r.phase, r.outcome, r.source])).toEqual([['outcome', 'ok', 'button'], ['intent', '', 'button']]);
        }

        // The button is gone from the post; the same click made again reaches the plugin all the same.
        const replay = await plugin(admin, 'POST', '/watch/button', {user_id: env.fixtures.users.sysadmin.id, post_id: guard.id, context: await buttonContext(guard.id, 'revoke_all')});
        expect(replay).toMatchObject({status: 200, body: {ephemeral_text: english('token_audit.watch.click.stale')}});
    }, 120000);
});

describe('offboarding rules', () => {
    const erin = () => env.fixtures.users.erin;
    const erinTokens = async () => (await admin.getUserAccessTokensForUser(erin().id, 0, 100)).map((t) => t.id);

    test('"off": deactivating a user with tokens posts nothing and revokes nothing', async () => {
        await setWatch((watch) => {
            watch.offboarding = 'off';
        });
        const tokens = await erinTokens();
        expect(tokens.length).toBeGreaterThan(0);
        const before = (await botPosts(alertChannel)).length;
        await admin.updateUserActive(erin().id, true);
        await admin.updateUserActive(erin().id, false);

        // A later deactivation under "alert" is posted: had "off" posted, its post would come first.
        await admin.updateUserActive(erin().id, true);
        await setWatch((watch) => {
            watch.offboarding = 'alert';
        });
        await admin.updateUserActive(erin().id, false);
        await waitFor('the guard under "alert"', async () => ((await botPosts(alertChannel)).length > before ? true : undefined));
        const posts = await botPosts(alertChannel);
        expect(posts.slice(before).map((p) => p.message.split(';')[0])).toEqual(['@erin was deactivated and holds 1 active token']);
        expect(await erinTokens()).toEqual(tokens);
    }, 120000);

    test('"revoke": the tokens are revoked at once by the bot, recorded with source hook, and the guard says so', async () => {
        await setWatch((watch) => {
            watch.offboarding = 'revoke';
        });
        const tokens = await erinTokens();
        const before = (await botPosts(alertChannel)).length;
        await admin.updateUserActive(erin().id, true);
        await admin.updateUserActive(erin().id, false);
        const post = await waitFor('the automatic guard', async () => (await botPosts(alertChannel))[before]);
        expect(post.message).toBe([
            english('token_audit.watch.guard.text', {user: '@erin', count: tokens.length}),
            '',
            `[${english('token_audit.command.console.link')}](${consoleLink()})`,
            '',
            `> ${english('token_audit.watch.resolved.automatic')}`,
        ].join('\n'));
        expect(actionsOf(post)).toEqual([]);
        expect(await erinTokens()).toEqual([]);
        const bot = await admin.getUserByUsername('token-audit');
        const trail = (await plugin(admin, 'GET', `/api/v1/trail?token=${tokens[0]}`)).body as TrailPage;
        expect(trail.records.map((r) => [r.phase, r.outcome, r.source, r.actor_id])).toEqual([['outcome', 'ok', 'hook', bot.id], ['intent', '', 'hook', bot.id]]);
        await setWatch((watch) => {
            watch.offboarding = 'alert';
        });
    }, 120000);
});

describe('digest', () => {
    test('posted on schedule, once per period', async () => {
        const hour = new Date().getUTCHours();
        await setWatch((watch) => {
            watch.digest = {schedule: 'daily', hour_utc: hour, weekday: 1, channel_id: digestChannel};
        });
        const digest = await waitFor('the scheduled digest', async () => (await botPosts(digestChannel))[0]);
        expect(digest.message.startsWith(`#### ${english('token_audit.watch.digest.title', {date: new Date().toISOString().slice(0, 10)})}\n`)).toBe(true);
        expect(digest.message).toContain(english('token_audit.watch.digest.first'));
        expect(digest.message).toContain(`**${english('token_audit.command.audit.riskiest')}**`);
        expect(digest.message).toContain(consoleLink());

        await watchRuns(2);
        expect(await botPosts(digestChannel)).toHaveLength(1);
    }, 120000);

    test('/tokens digest --preview answers only the caller; /tokens digest posts one now, comparing with the last', async () => {
        const alice = env.fixtures.users.alice;
        const created = await admin.createUserAccessToken(alice.id, 'alice new phone');
        secrets.push(secretOf(created));

        const preview = await run(admin, '/tokens digest --preview');
        expect(preview.status).toBe(200);
        expect(preview.text).toContain(`#### ${english('token_audit.watch.digest.title', {date: new Date().toISOString().slice(0, 10)})}`);
        expect(preview.text).toContain(`- ${english('token_audit.watch.digest.new', {count: 1})} — \`${created.id}\` @alice`);
        expect(preview.text).toContain(`- ${english('token_audit.watch.digest.removed', {count: 0})}\n`);
        expect(await botPosts(digestChannel)).toHaveLength(1);

        const posted = await run(admin, '/tokens digest');
        expect(posted).toEqual({status: 200, text: english('token_audit.command.digest.posted')});
        const second = await waitFor('the digest posted now', async () => (await botPosts(digestChannel))[1]);
        expect(second.message).toContain(`\`${created.id}\` @alice`);

        // Refused to anyone without manage_system, and nothing is posted.
        const refused = await run(aliceClient, '/tokens digest');
        expect(refused.text).toBe(english('token_audit.command.error.refused'));
        expect(await botPosts(digestChannel)).toHaveLength(2);
    }, 120000);
});

describe('two servers on one database', () => {
    let peer: Peer;
    let peerAdmin: Client4;

    beforeAll(async () => {
        peer = await startPeer(env);
        peerAdmin = await loggedIn(peer.url, adminLogin.username, adminLogin.password);
    }, 600000);

    afterAll(async () => {
        await peer?.stop();
    });

    test('a new token is alerted once, whichever server scans', async () => {
        const before = (await botPosts(alertChannel)).length;
        const carol = env.fixtures.users.carol;
        await admin.updateUserRoles(carol.id, 'system_user system_admin');
        const created = await peerAdmin.createUserAccessToken(carol.id, 'carol on two servers');
        secrets.push(secretOf(created));
        await waitFor('the alert', async () => (await botPosts(alertChannel)).find((p) => p.message.includes(created.id)));
        await watchRuns(4);
        expect((await botPosts(alertChannel)).filter((p) => p.message.includes(created.id))).toHaveLength(1);
        expect(await botPosts(alertChannel)).toHaveLength(before + 1);
    }, 180000);

    test('a digest period is posted once, whichever server runs the digest job', async () => {
        const channel = await admin.createChannel({team_id: env.fixtures.teamId, name: 'token-digest-weekly', display_name: 'weekly', type: 'O'} as never);
        const now = new Date();
        await setWatch((watch) => {
            watch.digest = {schedule: 'weekly', hour_utc: now.getUTCHours(), weekday: now.getUTCDay(), channel_id: channel.id};
        });
        await waitFor('the weekly digest', async () => (await botPosts(channel.id))[0]);
        await watchRuns(4);
        expect(await botPosts(channel.id)).toHaveLength(1);
    }, 180000);

    test('revokes through both servers at once lose no trail record, and the registry marks every one removed', async () => {
        const alice = env.fixtures.users.alice;
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) {
            const created = await admin.createUserAccessToken(alice.id, `parallel ${i}`);
            secrets.push(secretOf(created));
            ids.push(created.id);
        }

        // Seen by a scan that started after they were created, so the registry knows them.
        await watchRuns(2);
        const answers = await Promise.all(ids.map((id, i) => run(i % 2 ? peerAdmin : admin, `/tokens revoke ${id} --yes`, i % 2 ? peer.url : env.url)));
        expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
        for (const id of ids) {
            await expect(admin.getUserAccessToken(id)).rejects.toMatchObject({status_code: 404});
            const trail = (await plugin(admin, 'GET', `/api/v1/trail?token=${id}`)).body as TrailPage;
            expect(trail.records.map((r) => [r.phase, r.outcome, r.source])).toEqual([['outcome', 'ok', 'command'], ['intent', '', 'command']]);
        }

        // The scans of both servers, and /tokens list on both at once, all write the registry.
        await Promise.all([run(admin, '/tokens list'), run(peerAdmin, '/tokens list', peer.url)]);
        await watchRuns(2);
        const seen = (await plugin(admin, 'POST', '/api/v1/seen/lookup', {token_ids: ids})).body as {tokens: Record<string, {first_seen: number; removed_at: number}>};
        expect(ids.filter((id) => !(seen.tokens[id]?.first_seen > 0 && seen.tokens[id]?.removed_at > 0))).toEqual([]);
    }, 180000);
});

test('no secret in any post of the bot', async () => {
    expect(secrets.length).toBeGreaterThan(0);
    const posts = [...await botPosts(alertChannel), ...await botPosts(digestChannel)];
    expect(posts.length).toBeGreaterThan(3);
    for (const post of posts) {
        for (const secret of secrets) {
            expect(post.message).not.toContain(secret);
            expect(JSON.stringify(post.props ?? {})).not.toContain(secret);
        }
    }
});
