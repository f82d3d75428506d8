// Revoke/disable/enable with an audit trail: intent records first, so nothing is ever done
// unrecorded; then the actions; then what came of each.
import type {Token, TokenActionName, TrailInput} from '../engine/types';

import {disableToken, enableToken, getToken, revokeToken} from './core';
import {getApi} from './current';
import {abortError, ApiError, isAbortError, messageOf} from './errors';
import {appendTrail, getTrail, TRAIL_BATCH} from './plugin';
import {runPool, sleep} from './runner';
import type {ActionOptions, ActionRun, TokenActionResult} from './types';

const ACT: Record<TokenActionName, (id: string) => Promise<void>> = {
    revoke: revokeToken,
    disable: disableToken,
    enable: enableToken,
};

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_ERROR_LENGTH = 1000;
const NOT_ATTEMPTED_CANCELLED = 'cancelled before it was attempted';
const NOT_ATTEMPTED_TRAIL = 'not attempted: the audit trail could not be written';
const OUTCOME_UNKNOWN = 'outcome unknown: no answer came and the token could not be checked afterwards';

// How long a run keeps trying to learn and record what happened when the server stops answering
// (a restart takes about this long); the admin sees the "recording" step meanwhile.
export const SETTLE_MS = 60000;
const SETTLE_STEP_MS = 1000;

// 26 chars of [a-z0-9] like a Mattermost id; bytes >= 252 are redrawn so every character is equally likely.
export function newActionId(): string {
    let id = '';
    const buf = new Uint8Array(32);
    while (id.length < 26) {
        crypto.getRandomValues(buf);
        for (const b of buf) {
            if (b < 252 && id.length < 26) {
                id += ID_ALPHABET[b % 36];
            }
        }
    }
    return id;
}

// In-flight actions are never aborted (the server may already have acted); cancelling only stops
// new ones from starting, and every token still gets an outcome record.
export async function runTokenAction(
    action: TokenActionName,
    tokens: ReadonlyArray<Pick<Token, 'id' | 'user_id'>>,
    opts: ActionOptions,
): Promise<ActionRun> {
    const unique = [...new Map(tokens.map((t) => [t.id, t])).values()];
    const actionId = newActionId();
    if (!unique.length) {
        return {action, actionId, results: []};
    }
    const {source, signal} = opts;
    const progress = opts.onProgress;

    const tokenIntents: TrailInput[] = unique.map((t) => ({action_id: actionId, phase: 'intent', action, token_id: t.id, owner_id: t.user_id, source}));
    // More than one token: the bulk action is on record too, as one line an admin can find.
    const bulkIntent: TrailInput | undefined = unique.length > 1 ?
        {action_id: actionId, phase: 'intent', action: `bulk_${action}`, token_id: '', owner_id: '', count: unique.length, source} :
        undefined;
    const intents = bulkIntent ? [bulkIntent, ...tokenIntents] : tokenIntents;
    await writeIntents(intents, {signal, onDone: (done) => progress?.({phase: 'intent', done, total: intents.length})});

    const settled = await runPool(unique, (t) => ACT[action](t.id), {
        concurrency: opts.concurrency ?? getApi().concurrency,
        signal,
        onSettled: (done, total) => progress?.({phase: 'act', done, total}),
    });
    const deadline = Date.now() + (opts.settleMs ?? SETTLE_MS);
    const checked = await runPool(settled, async (s, i) => {
        if (s.status === 'rejected' && unknownOutcome(s.reason)) {
            return patiently(() => tookEffect(action, unique[i].id), deadline);
        }
        return undefined;
    }, {concurrency: opts.concurrency ?? getApi().concurrency});
    const results: TokenActionResult[] = settled.map((s, i) => {
        const check = checked[i];
        if (s.status === 'fulfilled' || (check.status === 'fulfilled' && check.value === true)) {
            return {tokenId: unique[i].id, ok: true};
        }
        let error = isAbortError(s.reason) ? NOT_ATTEMPTED_CANCELLED : messageOf(s.reason) || 'failed';
        if (check.status === 'rejected') {
            error = `${OUTCOME_UNKNOWN} (${error})`;
        }
        const result: TokenActionResult = {tokenId: unique[i].id, ok: false, error};
        if (s.reason instanceof ApiError && s.reason.status) {
            result.status = s.reason.status;
        }
        return result;
    });

    const outcomes: TrailInput[] = results.map((r, i) => outcomeOf(tokenIntents[i], r.error));
    if (bulkIntent) {
        const failed = results.filter((r) => !r.ok).length;
        outcomes.push(outcomeOf(bulkIntent, failed ? `${failed} of ${results.length} failed` : undefined));
    }
    const run: ActionRun = {action, actionId, results};
    try {
        // Deliberately without the signal: what was done must be recorded even after a cancel.
        for (let i = 0; i < outcomes.length; i += TRAIL_BATCH) {
            await recordOnce(outcomes.slice(i, i + TRAIL_BATCH), deadline);
        }
        progress?.({phase: 'outcome', done: outcomes.length, total: outcomes.length});
    } catch (err) {
        run.trailError = messageOf(err);
    }
    return run;
}

// No answer, or a server or gateway error: the server may have acted all the same.
function unknownOutcome(err: unknown): boolean {
    return err instanceof ApiError && !isAbortError(err) && (err.status === 0 || err.status >= 500);
}

// Whether the token is now as the action leaves it. A read, so it can be repeated.
async function tookEffect(action: TokenActionName, tokenId: string): Promise<boolean> {
    const token = await getToken(tokenId);
    if (action === 'revoke') {
        return token === undefined;
    }
    return token !== undefined && token.is_active === (action === 'enable');
}

// Repeats `attempt` while it fails in a way that may pass (the server restarting, overloaded, or the
// plugin briefly absent) until the deadline; then the last failure stands.
async function patiently<T>(attempt: () => Promise<T>, deadline: number): Promise<T> {
    for (;;) {
        try {
            return await attempt();
        } catch (err) {
            const passing = err instanceof ApiError && (err.retryable || err.status === 404);
            if (!passing || Date.now() >= deadline) {
                throw err;
            }
            await sleep(Math.min(SETTLE_STEP_MS, deadline - Date.now()));
        }
    }
}

// Appends outcome records so that they end up in the trail exactly once. A write is not simply
// repeated: after a failure that may hide success, the trail is read to see whether it landed.
// The server writes one append in a single step, so one of its records tells for all of them.
async function recordOnce(records: TrailInput[], deadline: number): Promise<void> {
    const probe = records.find((r) => r.token_id) ?? records[0];
    const landed = async () => {
        const page = await getTrail(probe.token_id ? {token: probe.token_id, limit: 200} : {action: probe.action, limit: 200});
        return page.records.some((r) => r.action_id === probe.action_id && r.phase === probe.phase && r.action === probe.action && r.token_id === probe.token_id);
    };
    await patiently(async () => {
        try {
            await appendTrail(records);
        } catch (err) {
            if (unknownOutcome(err) && await patiently(landed, deadline)) {
                return;
            }
            throw err;
        }
    }, deadline);
}

interface IntentOptions {
    signal?: AbortSignal;

    // How many intents are on record so far.
    onDone: (done: number) => void;
}

async function writeIntents(intents: TrailInput[], {signal, onDone}: IntentOptions): Promise<void> {
    let written = 0;
    try {
        for (; written < intents.length; written += TRAIL_BATCH) {
            if (signal?.aborted) {
                throw abortError();
            }
            await appendTrail(intents.slice(written, written + TRAIL_BATCH), {signal});
            onDone(Math.min(written + TRAIL_BATCH, intents.length));
        }
    } catch (err) {
        // Close the intents that may be on record so the trail does not suggest work that never ran:
        // the failed batch too when its answer was lost, since it may have been written.
        // Best effort: the trail just failed, so this may fail too, and the caller hears of the first failure.
        const why = isAbortError(err) ? NOT_ATTEMPTED_CANCELLED : NOT_ATTEMPTED_TRAIL;
        const maybeWritten = unknownOutcome(err) ? written + TRAIL_BATCH : written;
        const closing = intents.slice(0, maybeWritten).map((i) => outcomeOf(i, why));
        if (closing.length) {
            await appendTrail(closing).catch(() => undefined);
        }
        throw err;
    }
}

// The record that closes an intent: how it ended, and why when it failed.
function outcomeOf(intent: TrailInput, error?: string): TrailInput {
    const rec: TrailInput = {...intent, phase: 'outcome', outcome: error ? 'error' : 'ok'};
    if (error) {
        rec.error = error.slice(0, MAX_ERROR_LENGTH);
    }
    return rec;
}
