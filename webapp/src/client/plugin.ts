// The plugin's own routes (/plugins/token-audit/api/v1). Reads and registry reports are safe to
// repeat; writes are not retried because a lost answer may hide a write that happened.
import {SEEN_IDS_PER_REQUEST} from '../engine/policy/limits';
import type {Policy, PolicyInput, SavedView, Seen, TrailInput, TrailPage, TrailQuery, TrailRecord, ViewsDoc} from '../engine/types';

import {ApiError} from './errors';
import {getApi} from './current';
import {inventoryChanged} from './inventoryCache';
import type {SavePolicyResult, SeenReport} from './types';

export interface CallOptions {
    signal?: AbortSignal;
}

// The server accepts at most this many records per POST /trail.
export const TRAIL_BATCH = 1000;

export function getPolicy(opts: CallOptions = {}): Promise<Policy> {
    return getApi().pluginFetch<Policy>('GET', '/policy', {signal: opts.signal, idempotent: true});
}

// A conflict is an answer, not a failure: someone else saved first and `current` is their policy.
export async function savePolicy(input: PolicyInput, opts: CallOptions = {}): Promise<SavePolicyResult> {
    try {
        const policy = await getApi().pluginFetch<Policy>('PUT', '/policy', {body: input, signal: opts.signal});
        return {ok: true, policy};
    } catch (err) {
        if (err instanceof ApiError && err.status === 409 && err.body && typeof err.body === 'object' && 'current' in err.body) {
            return {ok: false, conflict: true, current: (err.body as {current: Policy}).current};
        }
        throw err;
    } finally {
        // The policy judges every token; a lost answer may hide a save that happened, and a conflict
        // means another admin saved.
        inventoryChanged();
    }
}

export function getViews(opts: CallOptions = {}): Promise<ViewsDoc> {
    return getApi().pluginFetch<ViewsDoc>('GET', '/views', {signal: opts.signal, idempotent: true});
}

// PUT replaces the whole list with the same content each time, so repeating it is harmless.
export function saveViews(views: SavedView[], opts: CallOptions = {}): Promise<ViewsDoc> {
    return getApi().pluginFetch<ViewsDoc>('PUT', '/views', {body: {views}, signal: opts.signal, idempotent: true});
}

// Moves the line after which tokens count as new.
export async function markReviewed(opts: CallOptions = {}): Promise<ViewsDoc> {
    try {
        return await getApi().pluginFetch<ViewsDoc>('POST', '/views/reviewed', {signal: opts.signal});
    } finally {
        inventoryChanged();
    }
}

export function getTrail(query: TrailQuery = {}, opts: CallOptions = {}): Promise<TrailPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') {
            params.set(key, String(value));
        }
    }
    const qs = params.toString();
    return getApi().pluginFetch<TrailPage>('GET', `/trail${qs ? `?${qs}` : ''}`, {signal: opts.signal, idempotent: true});
}

// Not retried: a repeated append would record the same thing twice.
export async function appendTrail(records: TrailInput[], opts: CallOptions = {}): Promise<TrailRecord[]> {
    const out: TrailRecord[] = [];
    for (let i = 0; i < records.length; i += TRAIL_BATCH) {
        const res = await getApi().pluginFetch<{records: TrailRecord[]}>('POST', '/trail', {body: {records: records.slice(i, i + TRAIL_BATCH)}, signal: opts.signal});
        out.push(...(res?.records ?? []));
    }
    return out;
}

export interface SeenOptions extends CallOptions {
    // For tests: smaller parts show the splitting with a few tokens.
    idsPerRequest?: number;
}

// Reporting ids twice only refreshes last_seen, so this is retried like a read.
// `complete` tells the registry these are all tokens that exist, so the missing ones are removed.
// Ids go in id order, a request per SEEN_IDS_PER_REQUEST; a complete report names the stretch of
// ids each part covers, so that each part removes only the missing ids between its neighbours'.
export async function reportSeen(tokenIds: string[], complete: boolean, opts: SeenOptions = {}): Promise<SeenReport> {
    const parts = seenParts(tokenIds, opts.idsPerRequest);
    const out: SeenReport = {tokens: {}, removed: {}};
    for (const [i, part] of parts.entries()) {
        const body: {token_ids: string[]; complete: boolean; after?: string; through?: string} = {token_ids: part, complete};
        if (complete && i > 0) {
            body.after = parts[i - 1][parts[i - 1].length - 1];
        }
        if (complete && i < parts.length - 1) {
            body.through = part[part.length - 1];
        }
        const res = await getApi().pluginFetch<Partial<SeenReport>>('POST', '/seen', {body, signal: opts.signal, idempotent: true});
        Object.assign(out.tokens, res?.tokens);
        Object.assign(out.removed, res?.removed);
    }
    return out;
}

export async function lookupSeen(tokenIds: string[], opts: SeenOptions = {}): Promise<Record<string, Seen>> {
    const found: Record<string, Seen> = {};
    for (const part of seenParts(tokenIds, opts.idsPerRequest)) {
        const res = await getApi().pluginFetch<{tokens?: Record<string, Seen>}>('POST', '/seen/lookup', {body: {token_ids: part}, signal: opts.signal, idempotent: true});
        Object.assign(found, res?.tokens);
    }
    return found;
}

// Distinct ids in the order the server compares them (ids are ASCII, so UTF-16 order is byte
// order), in parts of at most SEEN_IDS_PER_REQUEST; always one part, if empty.
function seenParts(tokenIds: readonly string[], size = SEEN_IDS_PER_REQUEST): string[][] {
    const ids = [...new Set(tokenIds)].sort();
    const parts: string[][] = [];
    for (let i = 0; i < ids.length; i += size) {
        parts.push(ids.slice(i, i + size));
    }
    return parts.length ? parts : [[]];
}

export interface PostPlace {
    channelId: string;

    // The thread's root post when the command was typed in a reply; '' or absent for the channel.
    rootId?: string;
}

// How the /tokens hook answers: the server posts `message` (markdown) to the caller only, in the
// channel or thread, and answers the post's id for replaceEphemeral. Not retried: a lost answer
// may hide a post that arrived.
export async function postEphemeral(place: PostPlace, message: string, opts: CallOptions = {}): Promise<string> {
    const body: Record<string, string> = {channel_id: place.channelId, message};
    if (place.rootId) {
        body.root_id = place.rootId;
    }
    const res = await getApi().pluginFetch<{id?: string}>('POST', '/ephemeral', {body, signal: opts.signal});
    return res?.id ?? '';
}

// Replaces the text of an ephemeral post postEphemeral sent, in place. Replacing with the same
// text twice changes nothing, so this is retried like a read.
export async function replaceEphemeral(postId: string, message: string, opts: CallOptions = {}): Promise<void> {
    await getApi().pluginFetch<void>('PUT', `/ephemeral/${encodeURIComponent(postId)}`, {body: {message}, signal: opts.signal, idempotent: true});
}
