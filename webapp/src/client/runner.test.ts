import {ApiError, errorFromResponse, isForbidden, isRetryableStatus, messageOf, parseRetryAfter} from './errors';
import {DEFAULT_RETRY, retryDelay, runPool, withRetry} from './runner';

describe('isRetryableStatus', () => {
    test.each([
        [0, true], [429, true], [500, true], [502, true], [503, true], [504, true],
        [501, false], [505, false], [400, false], [401, false], [403, false], [404, false], [409, false], [413, false],
    ])('%i -> %s', (status, want) => {
        expect(isRetryableStatus(status)).toBe(want);
    });
});

describe('parseRetryAfter', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    test.each([
        [null, undefined],
        ['', undefined],
        ['3', 3000],
        [' 0 ', 0],
        ['Wed, 01 Jan 2025 12:00:10 GMT', 10000],
        ['Wed, 01 Jan 2025 11:00:00 GMT', 0],
        ['soon', undefined],
    ])('%p -> %p', (value, want) => {
        expect(parseRetryAfter(value, now)).toBe(want);
    });
});

describe('errorFromResponse', () => {
    test.each([
        [{error: 'conflict', detail: 'changed'}, 'conflict', 'changed'],
        [{id: 'api.x', message: 'Mattermost says no', status_code: 400}, 'api.x', 'Mattermost says no'],
        ['limit exceeded\n', '', 'limit exceeded'],
        [undefined, '', ''],
    ])('%p', (body, code, detail) => {
        const err = errorFromResponse({status: 400, url: 'u', body, retryAfter: null, nowMs: 0});
        expect(err).toMatchObject({status: 400, code, detail});
        expect(err.message).toBe(detail || code || 'HTTP 400');
    });
});

test('messageOf gives the sentence to show for a failure from any layer', () => {
    expect(messageOf(new ApiError({status: 400, code: 'invalid', detail: 'bad id'}))).toBe('bad id');
    expect(messageOf(new ApiError({status: 502}))).toBe('HTTP 502');
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf({status: 500, detail: 'kv full', message: 'ignored'})).toBe('kv full');
    expect(messageOf({message: 'from a mock'})).toBe('from a mock');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(null)).toBe('null');
});

test('isForbidden recognises a refusal whatever carries it', () => {
    expect(isForbidden(new ApiError({status: 403}))).toBe(true);
    expect(isForbidden({status: 403})).toBe(true);
    expect(isForbidden(new ApiError({status: 401}))).toBe(false);
    expect(isForbidden({status: '403'})).toBe(false);
    expect(isForbidden(undefined)).toBe(false);
});

describe('retryDelay', () => {
    const policy = {...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, random: () => 0.5};
    test.each([
        [0, undefined, 50],
        [1, undefined, 100],
        [3, undefined, 400],
        [10, undefined, 500],
        [0, 2000, 2050],
        [0, 60000, 5050],
    ])('attempt %i, Retry-After %p -> %i', (attempt, after, want) => {
        expect(retryDelay(attempt, policy, after)).toBe(want);
    });
});

describe('withRetry', () => {
    const fast = {...DEFAULT_RETRY, retries: 3, baseDelayMs: 1, maxDelayMs: 1, random: () => 0};

    test('does not retry errors that are not retryable', async () => {
        const fn = jest.fn().mockRejectedValue(new ApiError({status: 404}));
        await expect(withRetry(fn, fast)).rejects.toMatchObject({status: 404});
        expect(fn).toHaveBeenCalledTimes(1);
    });

    test('does not retry a plain exception (a bug, not the network)', async () => {
        const fn = jest.fn().mockRejectedValue(new TypeError('x is undefined'));
        await expect(withRetry(fn, fast)).rejects.toThrow('x is undefined');
        expect(fn).toHaveBeenCalledTimes(1);
    });

    test('an abort while waiting ends the retries', async () => {
        const controller = new AbortController();
        const fn = jest.fn().mockRejectedValue(new ApiError({status: 503}));
        const p = withRetry(fn, {...fast, baseDelayMs: 10000, maxDelayMs: 10000, random: () => 1}, controller.signal);
        await Promise.resolve();
        controller.abort();
        await expect(p).rejects.toMatchObject({code: 'aborted'});
        expect(fn).toHaveBeenCalledTimes(1);
    });
});

describe('runPool', () => {
    test('keeps order, settles every item and respects the limit', async () => {
        let active = 0;
        let peak = 0;
        const out = await runPool([5, 1, 3, 2, 4, 0], async (n) => {
            active++;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, n));
            active--;
            if (n === 3) {
                throw new Error('three');
            }
            return n * 10;
        }, {concurrency: 2});
        expect(peak).toBe(2);
        expect(out.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([50, 10, 'three', 20, 40, 0]);
    });

    test('after an abort no new item starts', async () => {
        const controller = new AbortController();
        const started: number[] = [];
        const out = await runPool([0, 1, 2, 3, 4, 5], async (n) => {
            started.push(n);
            if (n === 1) {
                controller.abort();
            }
        }, {concurrency: 2, signal: controller.signal});
        expect(started).toEqual([0, 1]);
        expect(out.slice(2).every((s) => s.status === 'rejected' && (s.reason as ApiError).code === 'aborted')).toBe(true);
    });

    test('an empty list resolves at once', async () => {
        await expect(runPool([], async () => 1)).resolves.toEqual([]);
    });
});
