import {DEFAULT_POLICY} from '../engine';

import {Api} from './api';
import {disableToken, enableToken, revokeToken} from './core';
import {setApi} from './current';
import {ApiError, isAbortError} from './errors';
import {FakeServer} from './testing/fake_server';
import {INVENTORY_MAX_AGE_MS, InventoryCache, inventoryChanged} from './inventoryCache';
import {markReviewed, savePolicy} from './plugin';
import type {Inventory, LoadOptions} from './types';

const T0 = Date.UTC(2026, 0, 5, 12);

function inventory(loadedAt: number, extra: Partial<Inventory> = {}): Inventory {
    return {
        tokens: [], owners: {}, usage: {}, usageUnknown: [], seen: {}, removed: {},
        features: {tokensEnabled: true, expirySupported: false},
        policy: DEFAULT_POLICY, policyIsDefault: false, views: {views: [], last_reviewed_at: 0},
        loadedAt, requests: 1, failures: [], ...extra,
    };
}

let clock: number;
let load: jest.Mock<Promise<Inventory>, [LoadOptions]>;
let cache: InventoryCache;

// The next read waits until the test finishes it with an inventory.
function holdNextLoad(): (inv: Inventory) => void {
    let finish!: (inv: Inventory) => void;
    load.mockReturnValueOnce(new Promise((resolve) => {
        finish = resolve;
    }));
    return finish;
}

beforeEach(() => {
    clock = T0;
    load = jest.fn(async (_opts: LoadOptions) => inventory(clock));
    cache = new InventoryCache({load, now: () => clock});
});

test('an inventory is kept for a minute, then read again', async () => {
    const first = await cache.get();
    expect(first.reused).toBe(false);
    clock += INVENTORY_MAX_AGE_MS - 1;
    await expect(cache.get()).resolves.toEqual({inventory: first.inventory, reused: true});
    clock += 1;
    const third = await cache.get();
    expect(third.reused).toBe(false);
    expect(third.inventory.loadedAt).toBe(T0 + INVENTORY_MAX_AGE_MS);
    expect(load).toHaveBeenCalledTimes(2);
});

test('a clock that went back makes the kept inventory unusable, not younger', async () => {
    await cache.get();
    clock -= 1000;
    expect((await cache.get()).reused).toBe(false);
});

test('callers asking while a read runs share it', async () => {
    const finish = holdNextLoad();
    const a = cache.get();
    const b = cache.get();
    finish(inventory(clock));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.inventory).toBe(rb.inventory);
    expect([ra.reused, rb.reused]).toEqual([false, false]);
    expect(load).toHaveBeenCalledTimes(1);
});

test('a caller that gives up leaves the read to the others; the last one to give up cancels it', async () => {
    load.mockImplementationOnce(({signal}) => new Promise((_resolve, reject) => {
        signal!.addEventListener('abort', () => reject(new ApiError({status: 0, code: 'aborted'})));
    }));
    const one = new AbortController();
    const two = new AbortController();
    const a = cache.get({signal: one.signal});
    const b = cache.get({signal: two.signal});
    one.abort();
    await expect(a.catch(isAbortError)).resolves.toBe(true);
    expect(load.mock.calls[0][0].signal!.aborted).toBe(false);
    two.abort();
    await expect(b.catch(isAbortError)).resolves.toBe(true);
    expect(load.mock.calls[0][0].signal!.aborted).toBe(true);

    // The next caller starts afresh.
    expect((await cache.get()).reused).toBe(false);
    expect(load).toHaveBeenCalledTimes(2);
});

test('a failed read is not kept, and the next caller reads again', async () => {
    load.mockRejectedValueOnce(new ApiError({status: 500}));
    await expect(cache.get()).rejects.toBeInstanceOf(ApiError);
    expect((await cache.get()).reused).toBe(false);
    expect((await cache.get()).reused).toBe(true);
});

test('an inventory with a part missing is not kept', async () => {
    load.mockResolvedValueOnce(inventory(clock, {failures: [{part: 'usage', ids: [], message: 'x', status: 500}]}));
    await cache.get();
    expect((await cache.get()).reused).toBe(false);
    expect(load).toHaveBeenCalledTimes(2);
});

test('a change made through the plugin drops the kept inventory', async () => {
    await cache.get();
    inventoryChanged();
    expect((await cache.get()).reused).toBe(false);
    expect((await cache.get()).reused).toBe(true);
});

test('a read that overlapped a change is used by its callers but not kept', async () => {
    const finish = holdNextLoad();
    const during = cache.get();
    inventoryChanged();
    finish(inventory(clock));
    expect((await during).reused).toBe(false);
    expect((await cache.get()).reused).toBe(false);
    expect(load).toHaveBeenCalledTimes(2);
});

test('a read made elsewhere (the console\'s) answers the next caller', async () => {
    const keep = cache.track();
    const read = inventory(clock);
    keep(read);
    await expect(cache.get()).resolves.toEqual({inventory: read, reused: true});
    expect(load).not.toHaveBeenCalled();
});

describe('every write the plugin makes that changes an inventory drops the kept one', () => {
    const writes: Array<[string, () => Promise<unknown>, number]> = [
        ['revoke', () => revokeToken('t'.repeat(26)), 200],
        ['disable', () => disableToken('t'.repeat(26)), 200],
        ['enable', () => enableToken('t'.repeat(26)), 200],
        ['a revoke whose answer was lost', () => revokeToken('t'.repeat(26)), 502],
        ['a policy save', () => savePolicy({...DEFAULT_POLICY, expected_version: 0} as never), 200],
        ['mark all as reviewed', () => markReviewed(), 200],
    ];
    test.each(writes)('%s', async (_, write, status) => {
        const server = new FakeServer().install();
        server.on('POST', /^\/api\/v4\/users\/tokens\//, {status, body: status === 200 ? {status: 'OK'} : {message: 'bad gateway'}}).
            on('PUT', `/plugins/${PLUGIN_ID}/api/v1/policy`, {status, body: DEFAULT_POLICY}).
            on('POST', `/plugins/${PLUGIN_ID}/api/v1/views/reviewed`, {status, body: {views: [], last_reviewed_at: 1}});
        setApi(new Api({baseURL: 'http://mm.test', retry: {retries: 0}}));
        try {
            await cache.get();
            await write().catch(() => undefined);
            expect(server.calls).toHaveLength(1);
            expect((await cache.get()).reused).toBe(false);
        } finally {
            setApi(undefined);
            server.uninstall();
        }
    });
});
