import {Api} from './api';
import {setApi} from './current';
import {newActionId, runTokenAction} from './actions';
import {FakeServer} from './testing/fake_server';
import type {TrailInput} from '../engine/types';

const SITE = 'http://mm.test';
const TRAIL = `/plugins/${PLUGIN_ID}/api/v1/trail`;

const tok = (n: number) => ({id: `t${String(n).padStart(25, '0')}`, user_id: `u${String(n % 3).padStart(25, '0')}`});

let server: FakeServer;

// The order of every request, so "intent before action before outcome" can be asserted.
function log(): string[] {
    return server.calls.map((c) => {
        if (c.method === 'GET') {
            return `read:${c.path.split('/').pop()}`;
        }
        return c.path === TRAIL ? `trail:${(c.body as {records: TrailInput[]}).records.map((r) => r.phase[0]).join('')}` : `${c.path.split('/').pop()}:${(c.body as {token_id: string}).token_id}`;
    });
}

function trailRecords(phase: 'intent' | 'outcome'): TrailInput[] {
    return server.callsTo('POST', TRAIL).flatMap((c) => (c.body as {records: TrailInput[]}).records).filter((r) => r.phase === phase);
}

beforeEach(() => {
    server = new FakeServer().install();
    setApi(new Api({baseURL: SITE, retry: {baseDelayMs: 1, maxDelayMs: 1, random: () => 0}}));
    server.on('POST', TRAIL, (req) => ({status: 201, body: {records: (req.body as {records: TrailInput[]}).records}}));
    server.on('POST', /^\/api\/v4\/users\/tokens\/(revoke|disable|enable)$/, {body: {status: 'OK'}});
});

afterEach(() => {
    server.uninstall();
    setApi(undefined);
});

test('action ids are 26 chars of [a-z0-9] and differ', () => {
    const ids = new Set(Array.from({length: 200}, newActionId));
    expect(ids.size).toBe(200);
    for (const id of ids) {
        expect(id).toMatch(/^[a-z0-9]{26}$/);
    }
});

test('a single revoke: intent, action, outcome, one action id, no bulk summary', async () => {
    const run = await runTokenAction('revoke', [tok(1)], {source: 'console'});
    expect(run.results).toEqual([{tokenId: tok(1).id, ok: true}]);
    expect(log()).toEqual(['trail:i', `revoke:${tok(1).id}`, 'trail:o']);
    const [intent] = trailRecords('intent');
    const [out] = trailRecords('outcome');
    expect(intent).toEqual({action_id: run.actionId, phase: 'intent', action: 'revoke', token_id: tok(1).id, owner_id: tok(1).user_id, source: 'console'});
    expect(out).toEqual({...intent, phase: 'outcome', outcome: 'ok'});
    expect(run.trailError).toBeUndefined();
});

test('bulk: summary intent/outcome with count, per-token errors carry the server message, no retry of the action', async () => {
    server.on('POST', '/api/v4/users/tokens/disable', (req) => ((req.body as {token_id: string}).token_id === tok(2).id ?
        {status: 503, body: {id: 'x', message: 'database unavailable'}} : {body: {status: 'OK'}}));
    const tokens = [tok(1), tok(2), tok(3), tok(1)];
    const progress: string[] = [];
    const run = await runTokenAction('disable', tokens, {source: 'command', onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`)});

    expect(run.results).toEqual([
        {tokenId: tok(1).id, ok: true},
        {tokenId: tok(2).id, ok: false, error: 'database unavailable', status: 503},
        {tokenId: tok(3).id, ok: true},
    ]);
    expect(server.callsTo('POST', '/api/v4/users/tokens/disable')).toHaveLength(3);
    expect(log()[0]).toBe('trail:iiii');
    expect(log()[log().length - 1]).toBe('trail:oooo');

    const intents = trailRecords('intent');
    const outcomes = trailRecords('outcome');
    expect(new Set([...intents, ...outcomes].map((r) => r.action_id))).toEqual(new Set([run.actionId]));
    expect(intents[0]).toMatchObject({action: 'bulk_disable', token_id: '', owner_id: '', count: 3, source: 'command'});
    expect(outcomes.find((r) => r.action === 'bulk_disable')).toMatchObject({outcome: 'error', error: '1 of 3 failed', count: 3});
    expect(outcomes.find((r) => r.token_id === tok(2).id)).toMatchObject({outcome: 'error', error: 'database unavailable'});
    expect(outcomes.filter((r) => r.outcome === 'ok')).toHaveLength(2);
    expect(progress).toEqual(expect.arrayContaining(['intent:4/4', 'act:3/3', 'outcome:4/4']));
});

test('a failed trail intent stops the action: nothing is done unrecorded', async () => {
    server.on('POST', TRAIL, {status: 500, body: {error: 'kv', detail: 'could not write'}});
    await expect(runTokenAction('revoke', [tok(1), tok(2)], {source: 'console'})).rejects.toMatchObject({status: 500, detail: 'could not write'});
    expect(server.callsTo('POST', /tokens\/revoke$/)).toHaveLength(0);

    // The intent is not sent again (that could record it twice); a 500 may hide that it was
    // written, so what follows only closes it as not attempted.
    expect(server.callsTo('POST', TRAIL).map((c) => (c.body as {records: TrailInput[]}).records.map((r) => `${r.phase}:${r.outcome ?? ''}`).join(','))).toEqual([
        'intent:,intent:,intent:',
        'outcome:error,outcome:error,outcome:error',
    ]);
});

test.each([
    [400, 2000],

    // A 503 may hide a write, so the batch it answered is closed too.
    [503, 2501],
])('intents go in batches of at most 1000; a later batch failing with %i stops everything and closes the recorded ones', async (status, closed) => {
    let batches = 0;
    server.on('POST', TRAIL, (req) => {
        const records = (req.body as {records: TrailInput[]}).records;
        if (records[0].phase === 'intent' && ++batches === 3) {
            return {status, body: 'busy'};
        }
        return {status: 201, body: {records}};
    });
    const tokens = Array.from({length: 2500}, (_, i) => tok(i));
    await expect(runTokenAction('enable', tokens, {source: 'console'})).rejects.toMatchObject({status});
    expect(server.callsTo('POST', /tokens\/enable$/)).toHaveLength(0);
    const sizes = server.callsTo('POST', TRAIL).map((c) => (c.body as {records: unknown[]}).records.length);
    expect(sizes.slice(0, 3)).toEqual([1000, 1000, 501]);
    const closing = trailRecords('outcome');
    expect(closing).toHaveLength(closed);
    expect(closing.every((r) => r.outcome === 'error' && /not attempted/.test(r.error ?? ''))).toBe(true);
});

test('outcomes are batched too', async () => {
    const tokens = Array.from({length: 1200}, (_, i) => tok(i));
    const run = await runTokenAction('enable', tokens, {source: 'console', concurrency: 50});
    expect(run.results.every((r) => r.ok)).toBe(true);
    const sizes = server.callsTo('POST', TRAIL).map((c) => (c.body as {records: unknown[]}).records.length);
    expect(sizes).toEqual([1000, 201, 1000, 201]);
});

test('at most `concurrency` actions run at once', async () => {
    let inFlight = 0;
    let peak = 0;
    server.on('POST', '/api/v4/users/tokens/revoke', async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return {body: {status: 'OK'}};
    });
    await runTokenAction('revoke', Array.from({length: 30}, (_, i) => tok(i)), {source: 'console', concurrency: 4});
    expect(peak).toBe(4);
});

test('cancelling stops new actions, lets running ones finish, and records every outcome', async () => {
    const controller = new AbortController();
    let calls = 0;
    server.on('POST', '/api/v4/users/tokens/revoke', async () => {
        if (++calls === 2) {
            controller.abort();
        }
        await new Promise((r) => setTimeout(r, 5));
        return {body: {status: 'OK'}};
    });
    const tokens = Array.from({length: 10}, (_, i) => tok(i));
    const run = await runTokenAction('revoke', tokens, {source: 'console', signal: controller.signal, concurrency: 2});

    expect(calls).toBe(2);
    expect(run.results.filter((r) => r.ok)).toHaveLength(2);
    expect(run.results.filter((r) => !r.ok).every((r) => r.error === 'cancelled before it was attempted')).toBe(true);
    const outcomes = trailRecords('outcome');
    expect(outcomes).toHaveLength(11);
    expect(outcomes.find((r) => r.action === 'bulk_revoke')).toMatchObject({error: '8 of 10 failed'});
});

test('an outcome that cannot be written is reported, not thrown: the actions did happen', async () => {
    server.on('POST', TRAIL, (req) => {
        const records = (req.body as {records: TrailInput[]}).records;
        return records[0].phase === 'outcome' ? {status: 500, body: {error: 'kv', detail: 'full'}} : {status: 201, body: {records}};
    });
    server.on('GET', TRAIL, {body: {records: [], next: ''}});
    const run = await runTokenAction('revoke', [tok(1)], {source: 'console', settleMs: 30});
    expect(run.results).toEqual([{tokenId: tok(1).id, ok: true}]);
    expect(run.trailError).toBe('full');

    // Written again only after a read showed the previous attempt had not landed.
    const order = server.calls.filter((c) => c.path === TRAIL).map((c) => c.method);
    expect(order.slice(0, 4)).toEqual(['POST', 'POST', 'GET', 'POST']);
});

test('outcomes whose answer was lost are not written twice when the trail already has them', async () => {
    const stored: Array<TrailInput & {id: string}> = [];
    server.on('POST', TRAIL, (req) => {
        const records = (req.body as {records: TrailInput[]}).records;
        stored.push(...records.map((r, i) => ({...r, id: String(stored.length + i)})));
        return records[0].phase === 'outcome' ? {status: 502, body: 'bad gateway'} : {status: 201, body: {records}};
    });
    server.on('GET', TRAIL, (req) => ({body: {records: stored.filter((r) => r.token_id === req.query.get('token')), next: ''}}));
    const run = await runTokenAction('disable', [tok(1), tok(2)], {source: 'console', settleMs: 1000});
    expect(run.trailError).toBeUndefined();
    expect(stored.filter((r) => r.phase === 'outcome')).toHaveLength(3);
    expect(server.callsTo('GET', TRAIL)[0].query.get('token')).toBe(tok(1).id);
});

test('an action whose answer was lost is checked by reading the token, and counts as done only if it was', async () => {
    server.on('POST', '/api/v4/users/tokens/disable', (req) => ({status: 504, body: {id: 'gateway', message: `lost ${(req.body as {token_id: string}).token_id}`}}));
    server.on('GET', /^\/api\/v4\/users\/tokens\/(\w+)$/, (_req, match) => ({body: {id: match[1], user_id: 'u', is_active: match[1] !== tok(1).id}}));
    const run = await runTokenAction('disable', [tok(1), tok(2)], {source: 'console'});
    expect(run.results).toEqual([
        {tokenId: tok(1).id, ok: true},
        {tokenId: tok(2).id, ok: false, error: `lost ${tok(2).id}`, status: 504},
    ]);

    // The action itself was sent once per token: only the read was repeated.
    expect(server.callsTo('POST', '/api/v4/users/tokens/disable')).toHaveLength(2);
    expect(trailRecords('outcome').filter((r) => r.token_id).map((r) => r.outcome)).toEqual(['ok', 'error']);
});

test('a revoke whose answer was lost counts as done when the token is gone', async () => {
    server.on('POST', '/api/v4/users/tokens/revoke', {status: 502, body: 'bad gateway'});
    const run = await runTokenAction('revoke', [tok(1)], {source: 'console'});
    expect(run.results).toEqual([{tokenId: tok(1).id, ok: true}]);
});

test('when the token cannot be read either, the outcome is unknown, never done', async () => {
    server.on('POST', '/api/v4/users/tokens/enable', {status: 503, body: {message: 'restarting'}});
    server.on('GET', /^\/api\/v4\/users\/tokens\/\w+$/, {status: 503, body: {message: 'restarting'}});
    const run = await runTokenAction('enable', [tok(1)], {source: 'console', settleMs: 30});
    expect(run.results).toEqual([{tokenId: tok(1).id, ok: false, error: expect.stringMatching(/^outcome unknown: .*\(restarting\)$/), status: 503}]);
    expect(trailRecords('outcome')[0]).toMatchObject({outcome: 'error', error: expect.stringMatching(/^outcome unknown/)});
});

test('a 4xx is a plain failure: nothing is read back', async () => {
    server.on('POST', '/api/v4/users/tokens/revoke', {status: 403, body: {message: 'no permission'}});
    const run = await runTokenAction('revoke', [tok(1)], {source: 'console'});
    expect(run.results).toEqual([{tokenId: tok(1).id, ok: false, error: 'no permission', status: 403}]);
    expect(server.calls.filter((c) => c.method === 'GET')).toHaveLength(0);
});

test('an empty selection does nothing', async () => {
    const run = await runTokenAction('revoke', [], {source: 'console'});
    expect(run.results).toEqual([]);
    expect(server.calls).toHaveLength(0);
});

test('an action in flight is not aborted by the signal', async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    server.on('POST', '/api/v4/users/tokens/revoke', (req) => {
        expect(req.signal).toBeUndefined();
        return new Promise((resolve) => {
            release = () => resolve({body: {status: 'OK'}});
        });
    });
    const p = runTokenAction('revoke', [tok(1)], {source: 'console', signal: controller.signal});
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    release();
    await expect(p).resolves.toMatchObject({results: [{tokenId: tok(1).id, ok: true}]});
});
