// Mattermost's own REST API (/api/v4): tokens, their owners and their sessions, the config that
// says what the server supports, and the three token actions.
import type {UserProfile} from '@mattermost/types/users';

import {serverFeatures} from '../engine';
import type {Owner, ServerFeatures, Token, Usage} from '../engine';

import {ApiError} from './errors';
import {getApi} from './current';
import {inventoryChanged} from './inventoryCache';
import type {CallOptions} from './plugin';

// The server silently caps per_page at 200; asking for more would make every page look short.
export const TOKENS_PER_PAGE = 200;

// Mattermost's POST /users/ids takes up to 200 ids (api4.GetUsersByIds' own limit is larger).
export const OWNERS_PER_BATCH = 200;

// A listing that never agrees with itself is read this many times at most, then given as partial.
const MAX_LISTING_PASSES = 3;

// A server (or proxy) that ignores `page` would repeat one full page forever: a pass gives up once
// this many pages beyond what its distinct tokens fill have been read.
const MAX_FRUITLESS_PAGES = 3;

// Copies only the fields we know, so a `token` secret in any answer never travels further.
export function toToken(raw: unknown): Token {
    const r = (raw ?? {}) as Record<string, unknown>;
    const token: Token = {
        id: String(r.id ?? ''),
        user_id: String(r.user_id ?? ''),
        description: typeof r.description === 'string' ? r.description : '',
        is_active: r.is_active === true,
    };
    if (typeof r.expires_at === 'number') {
        token.expires_at = r.expires_at;
    }
    return token;
}

export function toOwner(user: Pick<UserProfile, 'id' | 'username' | 'email' | 'first_name' | 'last_name' | 'delete_at' | 'roles'> & {is_bot?: boolean}): Owner {
    return {
        id: user.id,
        username: user.username ?? '',
        email: user.email ?? '',
        first_name: user.first_name ?? '',
        last_name: user.last_name ?? '',
        deactivated: (user.delete_at ?? 0) > 0,
        bot: user.is_bot === true,
        system_admin: (user.roles ?? '').split(/\s+/).includes('system_admin'),
    };
}

export interface TokenListing {
    tokens: Token[];

    // False when no pass over the pages agreed with itself (see listAllTokens).
    complete: boolean;
}

export interface ListingOptions extends CallOptions {
    // Called with the tokens each page added that no earlier page had, as pages arrive.
    onTokens?: (added: Token[], soFar: number) => void;

    // For tests: a smaller page shows paging with a few tokens.
    perPage?: number;

    // Pages in flight at once; the API's concurrency by default.
    window?: number;
}

// The store query behind /users/tokens has no ORDER BY, so pages are read in parallel in a sliding
// window and every id is kept once. A pass is complete when its pages, up to the first short one,
// held as many tokens as distinct ids: an overlap (a token moved between pages while paging) shows
// as fewer distinct ids than rows, and the listing is read again, keeping every token any pass saw.
// A token deleted meanwhile may still be kept, or one skipped by a shift never noticed; a reload
// fixes both.
export async function listAllTokens(opts: ListingOptions = {}): Promise<TokenListing> {
    const byId = new Map<string, Token>();
    const keep = (list: unknown[]) => {
        const added: Token[] = [];
        for (const item of list) {
            const token = toToken(item);
            if (token.id && !byId.has(token.id)) {
                byId.set(token.id, token);
                added.push(token);
            }
        }
        if (added.length) {
            opts.onTokens?.(added, byId.size);
        }
    };
    for (let pass = 0; pass < MAX_LISTING_PASSES; pass++) {
        if (await readListingPass(opts, keep)) {
            return {tokens: [...byId.values()], complete: true};
        }
    }
    return {tokens: [...byId.values()], complete: false};
}

// One pass over the pages; true when it reached a short page and held no id twice.
async function readListingPass(opts: ListingOptions, keep: (list: unknown[]) => void): Promise<boolean> {
    const api = getApi();
    const perPage = opts.perPage ?? TOKENS_PER_PAGE;
    const window = Math.max(1, opts.window ?? api.concurrency);
    const pages: unknown[][] = [];
    const seenThisPass = new Set<string>();
    let next = 0;
    let end = Infinity;
    let stop = false;
    const read = async (page: number) => {
        const url = `${api.routes().getUsersRoute()}/tokens?page=${page}&per_page=${perPage}`;
        let raw: unknown;
        try {
            raw = await api.request<unknown[]>('GET', url, {signal: opts.signal, idempotent: true});
        } catch (err) {
            stop = true;
            throw err;
        }
        const list = Array.isArray(raw) ? raw : [];
        pages[page] = list;
        for (const item of list) {
            seenThisPass.add(tokenIdOf(item));
        }
        keep(list);
        if (list.length < perPage) {
            end = Math.min(end, page);
        }
    };
    const lane = async () => {
        while (next <= end && !stop) {
            if (next >= Math.ceil(seenThisPass.size / perPage) + MAX_FRUITLESS_PAGES + window) {
                stop = true;
                return;
            }
            await read(next++);
        }
    };

    // The first page alone: a refusal, or a server with one page of tokens, costs one request.
    await read(next++);
    await Promise.all(Array.from({length: window}, lane));
    if (end === Infinity || pages.slice(end + 1).some((list) => list.length)) {
        // Gave up, or rows appeared after the end: the listing grew while it was read.
        return false;
    }
    const listed = pages.slice(0, end + 1);
    const ids = new Set(listed.flatMap((list) => list.map(tokenIdOf)));
    return !ids.has('') && ids.size === listed.reduce((rows, list) => rows + list.length, 0);
}

function tokenIdOf(item: unknown): string {
    const id = (item as {id?: unknown} | null)?.id;
    return typeof id === 'string' ? id : '';
}

// No Client4 method exists for this route. The server matches token id, user id or username,
// exactly on recent servers and by prefix on older ones.
export async function searchTokens(term: string, opts: CallOptions = {}): Promise<Token[]> {
    const api = getApi();
    const raw = await api.request<unknown[]>('POST', `${api.routes().getUsersRoute()}/tokens/search`, {body: {term}, signal: opts.signal, idempotent: true});
    return dedupe((Array.isArray(raw) ? raw : []).map(toToken));
}

export async function getTokensForUser(userId: string, opts: CallOptions = {}): Promise<Token[]> {
    const api = getApi();
    const out: Token[] = [];
    for (let page = 0; ; page++) {
        const url = `${api.routes().getUserRoute(userId)}/tokens?page=${page}&per_page=${TOKENS_PER_PAGE}`;
        const raw = await api.request<unknown[]>('GET', url, {signal: opts.signal, idempotent: true});
        const list = Array.isArray(raw) ? raw : [];
        out.push(...list.map(toToken));
        if (list.length < TOKENS_PER_PAGE) {
            return dedupe(out);
        }
    }
}

// Undefined when the token does not exist (or is not visible to this admin).
export async function getToken(tokenId: string, opts: CallOptions = {}): Promise<Token | undefined> {
    const api = getApi();
    try {
        const raw = await api.request<unknown>('GET', `${api.routes().getUsersRoute()}/tokens/${encodeURIComponent(tokenId)}`, {signal: opts.signal, idempotent: true});
        return toToken(raw);
    } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
            return undefined;
        }
        throw err;
    }
}

// Accepts '@name' as typed in a command. Undefined when no such user exists.
export async function getUserByUsername(username: string, opts: CallOptions = {}): Promise<Owner | undefined> {
    const api = getApi();
    const name = username.replace(/^@/, '');
    try {
        const user = await api.request<UserProfile>('GET', `${api.routes().getUsersRoute()}/username/${encodeURIComponent(name)}`, {signal: opts.signal, idempotent: true});
        return toOwner(user);
    } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
            return undefined;
        }
        throw err;
    }
}

// One batch of at most OWNERS_PER_BATCH ids. /users/ids returns deactivated users and bots too.
export async function getOwnersBatch(userIds: string[], opts: CallOptions = {}): Promise<Owner[]> {
    const api = getApi();
    const users = await api.request<UserProfile[]>('POST', `${api.routes().getUsersRoute()}/ids`, {body: userIds, signal: opts.signal, idempotent: true});
    return (Array.isArray(users) ? users : []).map(toOwner);
}

interface RawSession {
    create_at?: number;
    last_activity_at?: number;
    props?: Record<string, unknown>;
}

// Usage of one owner's tokens, keyed by token id. A token's session is dropped on disable and
// re-created on next use, so this is "seen active", not a full history.
export async function getTokenUsageForOwner(userId: string, opts: CallOptions = {}): Promise<Record<string, Usage>> {
    const api = getApi();
    const sessions = await api.request<RawSession[]>('GET', `${api.routes().getUserRoute(userId)}/sessions`, {signal: opts.signal, idempotent: true});
    return usageFromSessions(Array.isArray(sessions) ? sessions : []);
}

export function usageFromSessions(sessions: RawSession[]): Record<string, Usage> {
    const usage: Record<string, Usage> = {};
    for (const s of sessions) {
        const id = s.props?.user_access_token_id;
        if (s.props?.type !== 'UserAccessToken' || typeof id !== 'string' || !id) {
            continue;
        }
        const created = s.create_at ?? 0;
        const active = Math.max(s.last_activity_at ?? 0, created);
        const prev = usage[id];
        usage[id] = prev ? {first_active: Math.min(prev.first_active, created), last_active: Math.max(prev.last_active, active)} : {first_active: created, last_active: active};
    }
    return usage;
}

export type ClientConfig = Record<string, unknown>;

// The host store already holds the client config (format=old: every value a string); only ask the
// server when it does not.
export async function getClientConfig(opts: CallOptions = {}): Promise<ClientConfig> {
    const api = getApi();
    const fromStore = (api.getState?.() as {entities?: {general?: {config?: ClientConfig}}} | undefined)?.entities?.general?.config;
    if (fromStore && 'EnableUserAccessTokens' in fromStore) {
        return fromStore;
    }
    return api.request<ClientConfig>('GET', `${api.routes().getBaseRoute()}/config/client?format=old`, {signal: opts.signal, idempotent: true});
}

// The admin config, when the System Console already loaded it; never fetched just for this.
export function adminConfigFromStore(): Record<string, unknown> | undefined {
    const state = getApi().getState?.() as {entities?: {admin?: {config?: Record<string, unknown>}}} | undefined;
    return state?.entities?.admin?.config;
}

// The client config's strings first, the admin config (when the console loaded it) for the rest.
export function detectFeatures(tokens: readonly Token[], clientConfig: ClientConfig | undefined, adminConfig?: Record<string, unknown>): ServerFeatures {
    const service = adminConfig?.ServiceSettings as Record<string, unknown> | undefined;
    return serverFeatures(tokens, {
        EnableUserAccessTokens: clientConfig?.EnableUserAccessTokens ?? service?.EnableUserAccessTokens,
        MaximumPersonalAccessTokenLifetimeDays: clientConfig?.MaximumPersonalAccessTokenLifetimeDays ?? service?.MaximumPersonalAccessTokenLifetimeDays,
    });
}

// Mattermost's own count of tokens breaking the maximum lifetime (11.10+); undefined where the
// server does not have the route (404) or the admin may not read it.
export async function getCoreNonCompliantCount(opts: CallOptions = {}): Promise<number | undefined> {
    const api = getApi();
    try {
        const raw = await api.request<{count?: unknown}>('GET', `${api.routes().getUsersRoute()}/tokens/non_compliant/count`, {signal: opts.signal, idempotent: true});
        return typeof raw?.count === 'number' ? raw.count : undefined;
    } catch (err) {
        if (err instanceof ApiError && [400, 403, 404, 405, 501].includes(err.status)) {
            return undefined;
        }
        throw err;
    }
}

// The bare actions, never retried: a repeated POST may act twice or hide that the first worked.
// UI code uses runTokenAction, which records them in the audit trail.
export function revokeToken(tokenId: string): Promise<void> {
    return tokenAction('revoke', tokenId);
}

export function disableToken(tokenId: string): Promise<void> {
    return tokenAction('disable', tokenId);
}

export function enableToken(tokenId: string): Promise<void> {
    return tokenAction('enable', tokenId);
}

async function tokenAction(action: 'revoke' | 'disable' | 'enable', tokenId: string): Promise<void> {
    const api = getApi();
    try {
        await api.request<unknown>('POST', `${api.routes().getUsersRoute()}/tokens/${action}`, {body: {token_id: tokenId}});
    } finally {
        // Also when it failed: a lost answer may hide an action that happened.
        inventoryChanged();
    }
}

function dedupe(tokens: Token[]): Token[] {
    const seen = new Set<string>();
    return tokens.filter((t) => !seen.has(t.id) && seen.add(t.id));
}
