// The plugin's HTTP API and KV store on the real server: access, validation, concurrency, durability.
import crypto from 'crypto';

import {Client4} from '@mattermost/client';

import {adminClient, environment, pluginRequest, restartServer, userClient} from '../harness/context';
import {waitForPluginState} from '../harness/plugin';

interface Policy {
    version: number;
    stale_after_days: number;
    expiring_within_days: number;
    findings: Record<string, boolean>;
    exemptions: Array<{kind: string; id: string; reason: string; added_by: string; added_at: number}>;
}
interface TrailRecord {id: string; action_id: string; actor_id: string; at: number; action: string; phase: string; token_id: string}

let admin: Client4;
let alice: Client4;
const env = () => environment();
const newId = () => Array.from(crypto.randomBytes(26), (b) => 'abcdefghijkmnopqrstuwxyz13456789'[b % 32]).join('');

function policyInput(policy: Policy, changes: Partial<Policy> = {}) {
    const {stale_after_days, expiring_within_days, findings, exemptions, version} = {...policy, ...changes};
    return {version, stale_after_days, expiring_within_days, findings, exemptions: exemptions.map(({kind, id, reason}) => ({kind, id, reason}))};
}

async function currentPolicy(): Promise<Policy> {
    const response = await pluginRequest(admin, 'GET', '/policy');
    expect(response.status).toBe(200);
    return response.body as Policy;
}

async function readTrail(query = ''): Promise<TrailRecord[]> {
    const records: TrailRecord[] = [];
    let before = '';
    for (;;) {
        const response = await pluginRequest(admin, 'GET', `/trail?limit=200${query}${before ? `&before=${before}` : ''}`);
        expect(response.status).toBe(200);
        const page = response.body as {records: TrailRecord[]; next: string};
        records.push(...page.records);
        if (!page.next) {
            return records;
        }
        before = page.next;
    }
}

beforeAll(async () => {
    admin = await adminClient();
    alice = await userClient('alice');
});

const routes: Array<[string, string, unknown]> = [
    ['GET', '/policy', undefined],
    ['PUT', '/policy', {version: 0}],
    ['GET', '/views', undefined],
    ['PUT', '/views', {views: []}],
    ['POST', '/views/reviewed', undefined],
    ['POST', '/seen', {token_ids: [], complete: false}],
    ['POST', '/seen/lookup', {token_ids: []}],
    ['POST', '/trail', {records: []}],
    ['GET', '/trail', undefined],
    ['POST', '/ephemeral', {channel_id: 'x', message: 'x'}],
];

test.each(routes)('%s %s: 401 without a session, 403 for a regular user', async (method, route, body) => {
    const anonymous = await pluginRequest(null, method, route, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({error: expect.any(String), detail: expect.any(String)});
    const regular = await pluginRequest(alice, method, route, body);
    expect(regular.status).toBe(403);
    expect(regular.body).toEqual({error: expect.any(String), detail: expect.any(String)});
});

test('unknown routes are 404 and wrong methods 405, in the one error shape', async () => {
    const missing = await pluginRequest(admin, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({error: expect.any(String), detail: expect.any(String)});
    const wrong = await pluginRequest(admin, 'DELETE', '/policy');
    expect(wrong.status).toBe(405);
});

test('a cookie-authenticated POST without the CSRF token is refused and changes nothing', async () => {
    const login = await fetch(`${env().url}/api/v4/users/login`, {method: 'POST', headers: {'X-Requested-With': 'XMLHttpRequest'}, body: JSON.stringify({login_id: env().admin.username, password: env().admin.password})});
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = cookies.find((c) => c.startsWith('MMCSRF='))!.slice('MMCSRF='.length);
    const before = await currentPolicy();
    const attempt = (headers: Record<string, string>) => fetch(`${env().url}/plugins/${env().pluginId}/api/v1/policy`, {
        method: 'PUT',
        headers: {Cookie: cookies.join('; '), ...headers},
        body: JSON.stringify(policyInput(before, {stale_after_days: 7})),
    });
    expect((await attempt({})).status).toBe(401);
    expect((await attempt({'X-Requested-With': 'XMLHttpRequest'})).status).toBe(401);
    expect(await currentPolicy()).toEqual(before);

    const withToken = await attempt({'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf});
    expect(withToken.status).toBe(200);
    await pluginRequest(admin, 'PUT', '/policy', policyInput(await currentPolicy(), {stale_after_days: before.stale_after_days}));
});

test('policy: invalid bodies are 400 and change nothing; oversized bodies are 413', async () => {
    const before = await currentPolicy();
    const bad = [
        '{',
        '[]',
        JSON.stringify({...policyInput(before), stale_after_days: 0}),
        JSON.stringify({...policyInput(before), stale_after_days: 'ninety'}),
        JSON.stringify({...policyInput(before), expiring_within_days: 100000}),
        JSON.stringify({...policyInput(before), surprise: true}),
        JSON.stringify({...policyInput(before), findings: {made_up: true}}),
        JSON.stringify({...policyInput(before), exemptions: [{kind: 'token', id: 'short', reason: 'x'}]}),
        JSON.stringify({...policyInput(before), exemptions: [{kind: 'team', id: newId(), reason: 'x'}]}),
    ];
    for (const body of bad) {
        const response = await pluginRequest(admin, 'PUT', '/policy', body);
        expect([body.slice(0, 60), response.status]).toEqual([body.slice(0, 60), 400]);
        expect(response.body).toEqual({error: expect.any(String), detail: expect.any(String)});
    }
    const huge = await pluginRequest(admin, 'PUT', '/policy', JSON.stringify({...policyInput(before), pad: 'x'.repeat(2 * 1024 * 1024)}));
    expect(huge.status).toBe(413);
    expect(await currentPolicy()).toEqual(before);
});

test('policy: exemptions get their author and time from the server', async () => {
    const before = await currentPolicy();
    const userId = env().fixtures.users['ci-bot'].id;
    const saved = await pluginRequest(admin, 'PUT', '/policy', policyInput(before, {exemptions: [...before.exemptions, {kind: 'user', id: userId, reason: 'deploy bot, reviewed', added_by: '', added_at: 0}]}));
    expect(saved.status).toBe(200);
    const policy = saved.body as Policy;
    expect(policy.version).toBe(before.version + 1);
    expect(policy.exemptions.find((e) => e.id === userId)).toMatchObject({added_by: env().fixtures.users.sysadmin.id, added_at: expect.any(Number)});
    const trail = await readTrail('&action=policy_update');
    expect(trail[0]).toMatchObject({actor_id: env().fixtures.users.sysadmin.id, action: 'policy_update'});
    await pluginRequest(admin, 'PUT', '/policy', policyInput(policy, {exemptions: before.exemptions}));
});

test('50 concurrent policy writers: no lost update, every 409 carries the current policy', async () => {
    const start = await currentPolicy();
    const results = await Promise.all(Array.from({length: 50}, (_, i) => pluginRequest(admin, 'PUT', '/policy', policyInput(start, {stale_after_days: 100 + i}))));
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok.length + conflicts.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const conflict of conflicts) {
        expect(conflict.body).toMatchObject({error: expect.any(String), current: {version: expect.any(Number)}});
        expect((conflict.body as {current: Policy}).current.version).toBeGreaterThan(start.version);
    }
    const end = await currentPolicy();
    expect(end.version).toBe(start.version + ok.length);
    console.log(`policy writers: 50, succeeded: ${ok.length}, conflicts: ${conflicts.length}, final version ${end.version} (started at ${start.version})`);
});

test('views: each admin reads and writes only their own', async () => {
    const opsAdmin = await userClient('ops-admin');
    const view = {name: 'bots', query: '', filters: {state: 'all', findings: ['owner_bot'], owner_kinds: []}, sort: {column: 'owner', direction: 'asc'}, columns: ['owner', 'state'], page_size: 50};
    expect((await pluginRequest(admin, 'PUT', '/views', {views: [view]})).status).toBe(200);
    expect(((await pluginRequest(opsAdmin, 'GET', '/views')).body as {views: unknown[]}).views).toEqual([]);
    expect(((await pluginRequest(admin, 'GET', '/views')).body as {views: unknown[]}).views).toEqual([view]);
    expect((await pluginRequest(admin, 'PUT', '/views', {views: [{...view, page_size: 0}]})).status).toBe(400);
    const reviewed = await pluginRequest(admin, 'POST', '/views/reviewed');
    expect((reviewed.body as {last_reviewed_at: number}).last_reviewed_at).toBeGreaterThan(0);
});

test('first-seen registry: first seen kept, removal recorded, bounded writes', async () => {
    const ids = Array.from({length: 1000}, newId);
    const first = await pluginRequest(admin, 'POST', '/seen', {token_ids: ids, complete: false});
    expect(first.status).toBe(200);
    const firstBody = first.body as {tokens: Record<string, {first_seen: number}>; kv_writes: number};
    expect(Object.keys(firstBody.tokens)).toHaveLength(1000);
    expect(firstBody.kv_writes).toBeLessThanOrEqual(16);
    console.log(`KV writes for a first scan of 1,000 new ids: ${firstBody.kv_writes}`);

    const again = await pluginRequest(admin, 'POST', '/seen', {token_ids: ids.slice(1), complete: false});
    const againBody = again.body as {tokens: Record<string, {first_seen: number}>; kv_writes: number};
    expect(againBody.tokens[ids[1]].first_seen).toBe(firstBody.tokens[ids[1]].first_seen);
    console.log(`KV writes for a rescan of the same ids: ${againBody.kv_writes}`);

    const lookup = await pluginRequest(admin, 'POST', '/seen/lookup', {token_ids: [ids[0], newId()]});
    expect(Object.keys((lookup.body as {tokens: object}).tokens)).toEqual([ids[0]]);
    expect((await pluginRequest(admin, 'POST', '/seen', {token_ids: ['not-an-id'], complete: false})).status).toBe(400);
});

test('500 concurrent trail appends: exactly 500 records, newest first, no duplicates', async () => {
    const actionId = newId();
    const tokenIds = Array.from({length: 500}, newId);
    const results = await Promise.all(tokenIds.map((tokenId) => pluginRequest(admin, 'POST', '/trail', {
        records: [{action_id: actionId, phase: 'intent', action: 'disable', token_id: tokenId, owner_id: env().fixtures.users.bob.id, outcome: '', error: '', count: 0, source: 'console'}],
    })));
    expect(results.filter((r) => r.status !== 201).slice(0, 3)).toEqual([]);

    const records = (await readTrail(`&action=disable&owner=${env().fixtures.users.bob.id}`)).filter((r) => r.action_id === actionId);
    expect(records).toHaveLength(500);
    expect(new Set(records.map((r) => r.id)).size).toBe(500);
    expect(new Set(records.map((r) => r.token_id))).toEqual(new Set(tokenIds));
    for (let i = 1; i < records.length; i++) {
        expect(records[i - 1].id > records[i].id).toBe(true);
        expect(records[i - 1].at).toBeGreaterThanOrEqual(records[i].at);
    }
    console.log(`trail appends: 500 concurrent, records found: ${records.length}`);
});

test('trail input is validated; the actor comes from the session, never the body', async () => {
    const record = {action_id: newId(), phase: 'intent', action: 'revoke', token_id: newId(), owner_id: '', outcome: '', error: '', count: 0, source: 'console'};
    expect((await pluginRequest(admin, 'POST', '/trail', {records: [{...record, actor_id: env().fixtures.users.bob.id}]})).status).toBe(400);
    expect((await pluginRequest(admin, 'POST', '/trail', {records: [{...record, phase: 'sideways'}]})).status).toBe(400);
    expect((await pluginRequest(admin, 'GET', '/trail?limit=0')).status).toBe(400);
    expect((await pluginRequest(admin, 'GET', '/trail?actor=nope')).status).toBe(400);
    const saved = await pluginRequest(admin, 'POST', '/trail', {records: [record]});
    expect((saved.body as {records: TrailRecord[]}).records[0].actor_id).toBe(env().fixtures.users.sysadmin.id);
});

test('policy, registry and trail survive disabling the plugin and restarting the server', async () => {
    const policy = await currentPolicy();
    const changed = (await pluginRequest(admin, 'PUT', '/policy', policyInput(policy, {stale_after_days: 45}))).body as Policy;
    const id = newId();
    const seen = ((await pluginRequest(admin, 'POST', '/seen', {token_ids: [id], complete: false})).body as {tokens: Record<string, unknown>}).tokens[id];
    const trailBefore = (await readTrail()).length;

    await admin.disablePlugin(env().pluginId);
    await waitForPluginState(admin, env().pluginId, false);
    await admin.enablePlugin(env().pluginId);
    await waitForPluginState(admin, env().pluginId, true);
    expect(await currentPolicy()).toEqual(changed);

    await restartServer();
    admin = await adminClient();
    await waitForPluginState(admin, env().pluginId, true);
    expect(await currentPolicy()).toEqual(changed);
    const lookup = await pluginRequest(admin, 'POST', '/seen/lookup', {token_ids: [id]});
    expect((lookup.body as {tokens: Record<string, unknown>}).tokens[id]).toEqual(seen);
    expect((await readTrail()).length).toBe(trailBefore);
});
