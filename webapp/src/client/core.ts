// Mattermost's own REST API (/api/v4): tokens, their owners and their sessions, the config that
// says what the server supports, and the three token actions.
import type {UserProfile} from '@mattermost/types/users';

import {serverFeatures} from '../engine';
import type {Owner, ServerFeatures, Token, Usage} from '../engine';

import {ApiError} from './errors';
import {getApi} from './current';
import type {CallOptions} from './plugin';

// The server silently caps per_page at 200; asking for more would make every page look short.
export const TOKENS_PER_PAGE = 200;
export const OWNERS_PER_BATCH = 100;

// A server (or proxy) that ignores `page` would repeat one full page forever.
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

    // False when paging stopped for a reason other than reaching the end.
    complete: boolean;
}

// The store query behind /users/tokens has no ORDER BY: pages may overlap, so keep the first copy
// of every id. Tokens created or deleted while paging may still be missed or kept; a reload fixes it.
export async function listAllTokens(opts: CallOptions & {onPage?: (tokensSoFar: number) => void} = {}): Promise<TokenListing> {
    const api = getApi();
    const byId = new Map<string, Token>();
    let fruitless = 0;
    for (let page = 0; ; page++) {
        const url = `${api.routes().getUsersRoute()}/tokens?page=${page}&per_page=${TOKENS_PER_PAGE}`;
        const raw = await api.request<unknown[]>('GET', url, {signal: opts.signal, idempotent: true});
        const list = Array.isArray(raw) ? raw : [];
        const before = byId.size;
        for (const item of list) {
            const token = toToken(item);
            if (token.id && !byId.has(token.id)) {
                byId.set(token.id, token);
            }
        }
        opts.onPage?.(byId.size);
        if (list.length < TOKENS_PER_PAGE) {
            return {tokens: [...byId.values()], complete: true};
        }
        fruitless = byId.size === before ? fruitless + 1 : 0;
        if (fruitless >= MAX_FRUITLESS_PAGES) {
            return {tokens: [...byId.values()], complete: false};
        }
    }
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
    await api.request<unknown>('POST', `${api.routes().getUsersRoute()}/tokens/${action}`, {body: {token_id: tokenId}});
}

function dedupe(tokens: Token[]): Token[] {
    const seen = new Set<string>();
    return tokens.filter((t) => !seen.has(t.id) && seen.add(t.id));
}
