// Bounded concurrency and retries. Kept apart from HTTP so the rules (who may be retried, how long
// to wait) are visible in one place and testable without a server.
import {abortError, ApiError} from './errors';

export const DEFAULT_CONCURRENCY = 6;

export interface RetryPolicy {
    retries: number;
    baseDelayMs: number;
    maxDelayMs: number;

    // A server asking for longer than this is waited for only this long; the retry may fail again.
    maxRetryAfterMs: number;

    // Injectable so tests can make jitter deterministic.
    random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
    retries: 4,
    baseDelayMs: 300,
    maxDelayMs: 10000,
    maxRetryAfterMs: 60000,
    random: Math.random,
};

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(abortError());
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortError());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, {once: true});
    });
}

// Full jitter spreads a crowd of clients that failed together; Retry-After, when given, wins.
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) {
        return Math.min(retryAfterMs, policy.maxRetryAfterMs) + Math.floor(policy.random() * policy.baseDelayMs);
    }
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * (2 ** attempt));
    return Math.floor(policy.random() * cap);
}

// Only for requests that may safely happen twice: the caller decides, this just retries.
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await fn();
        } catch (err) {
            if (!(err instanceof ApiError) || !err.retryable || attempt >= policy.retries || signal?.aborted) {
                throw err;
            }
            await sleep(retryDelay(attempt, policy, err.retryAfterMs), signal);
        }
    }
}

export interface PoolOptions {
    concurrency?: number;
    signal?: AbortSignal;
    onSettled?: (done: number, total: number) => void;
}

// Runs every item, at most `concurrency` at a time, and reports each outcome instead of failing
// fast: a load keeps what it got. After cancellation no new item starts; those report an abort.
export async function runPool<T, R>(
    items: readonly T[],
    worker: (item: T, index: number) => Promise<R>,
    opts: PoolOptions = {},
): Promise<Array<PromiseSettledResult<R>>> {
    const results: Array<PromiseSettledResult<R>> = new Array(items.length);
    const limit = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
    let next = 0;
    let done = 0;
    const lane = async () => {
        while (next < items.length) {
            const i = next++;
            if (opts.signal?.aborted) {
                results[i] = {status: 'rejected', reason: abortError()};
            } else {
                try {
                    results[i] = {status: 'fulfilled', value: await worker(items[i], i)};
                } catch (reason) {
                    results[i] = {status: 'rejected', reason};
                }
            }
            done++;
            opts.onSettled?.(done, items.length);
        }
    };
    await Promise.all(Array.from({length: Math.min(limit, items.length)}, lane));
    return results;
}
