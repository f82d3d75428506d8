// SIMULATED Mattermost 11.9 / 11.10 token expiry, for a FaultProxy in front of a real server that has
// none (no served server is that new). It adds what those versions send, as server/public v0.4.3's
// model names it: `expires_at` (Unix ms, 0 = never) on every token the REST API returns, and
// ServiceSettings.MaximumPersonalAccessTokenLifetimeDays in the admin config and (as a string) in the
// client config. With `nonCompliantCount` it also answers 11.10's GET /users/tokens/non_compliant/count
// itself, counting as core does: active tokens of non-bot owners that never expire or expire after
// now + the limit. Everything else is the real server's answer.
import http from 'http';

import type {AnswerRewriter} from './faults';

export interface ExpiryOptions {
    // By token id; tokens not listed (made by other tests) get `otherwise`.
    expiresAt: Record<string, number>;
    otherwise: number;
    maxLifetimeDays: number;

    // 11.10 has the count route, 11.9 does not.
    nonCompliantCount: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_ROUTES = /^\/api\/v4\/users\/(tokens|tokens\/search|tokens\/[a-z0-9]{26}|[a-z0-9]{26}\/tokens)$/;
const COUNT_ROUTE = '/api/v4/users/tokens/non_compliant/count';

interface RawToken {
    id?: unknown;
    user_id?: unknown;
    is_active?: unknown;
    expires_at?: number;
}

export class SimulatedExpiry implements AnswerRewriter {
    constructor(private readonly target: string, private readonly options: ExpiryOptions) {}

    expiryOf(tokenId: string): number {
        return this.options.expiresAt[tokenId] ?? this.options.otherwise;
    }

    rewrite({method, path}: {method: string; path: string}, status: number, payload: Buffer): Buffer {
        const route = path.split('?')[0];
        if (status !== 200 || route === COUNT_ROUTE) {
            return payload;
        }
        if (TOKEN_ROUTES.test(route) && (method === 'GET' || route.endsWith('/search'))) {
            return this.edit(payload, (body) => {
                for (const token of (Array.isArray(body) ? body : [body]) as RawToken[]) {
                    if (typeof token?.id === 'string' && 'user_id' in token) {
                        token.expires_at = this.expiryOf(token.id);
                    }
                }
                return body;
            });
        }
        if (route === '/api/v4/config/client' && method === 'GET') {
            return this.edit(payload, (config) => ({...config as object, MaximumPersonalAccessTokenLifetimeDays: String(this.options.maxLifetimeDays)}));
        }
        if (route === '/api/v4/config' && method === 'GET') {
            return this.edit(payload, (config) => {
                const c = config as {ServiceSettings?: Record<string, unknown>};
                c.ServiceSettings = {...c.ServiceSettings, MaximumPersonalAccessTokenLifetimeDays: this.options.maxLifetimeDays};
                return c;
            });
        }
        return payload;
    }

    async answer({method, path, headers}: {method: string; path: string; headers: http.IncomingHttpHeaders}) {
        if (!this.options.nonCompliantCount || method !== 'GET' || path.split('?')[0] !== COUNT_ROUTE) {
            return undefined;
        }

        // Read with the caller's own credentials, so a caller without manage_system gets the server's refusal.
        const forwarded: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
        for (const name of ['cookie', 'authorization']) {
            if (typeof headers[name] === 'string') {
                forwarded[name] = headers[name] as string;
            }
        }
        const tokens: RawToken[] = [];
        for (let page = 0; ; page++) {
            const response = await fetch(`${this.target}/api/v4/users/tokens?page=${page}&per_page=200`, {headers: forwarded});
            if (!response.ok) {
                return {status: response.status, body: await response.json()};
            }
            const list = await response.json() as RawToken[];
            tokens.push(...list);
            if (list.length < 200) {
                break;
            }
        }
        const bots = await fetch(`${this.target}/api/v4/bots?include_deleted=true&per_page=200`, {headers: forwarded});
        if (!bots.ok) {
            return {status: bots.status, body: await bots.json()};
        }
        const botIds = new Set(((await bots.json()) as Array<{user_id: string}>).map((b) => b.user_id));
        const limit = Date.now() + this.options.maxLifetimeDays * DAY_MS;
        const count = tokens.filter((t) => {
            const expires = this.expiryOf(String(t.id));
            return t.is_active === true && !botIds.has(String(t.user_id)) && (expires === 0 || expires > limit);
        }).length;
        return {status: 200, body: {count}};
    }

    private edit(payload: Buffer, change: (body: unknown) => unknown): Buffer {
        return Buffer.from(JSON.stringify(change(JSON.parse(payload.toString('utf8')))));
    }
}
