// The one place that talks HTTP. Client4 supplies the routes and the headers the server insists on
// (X-Requested-With, the CSRF token from the MMCSRF cookie, cookie credentials); the fetch itself
// is ours because Client4's methods hide the HTTP status of non-JSON answers (the rate limiter's
// 429 is plain text), drop Retry-After and take no AbortSignal.
import {Client4} from '@mattermost/client';

import {abortError, ApiError, errorFromResponse} from './errors';
import {DEFAULT_CONCURRENCY, DEFAULT_RETRY, RetryPolicy, withRetry} from './runner';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
    body?: unknown;
    signal?: AbortSignal;

    // True only when doing the request twice cannot do anything twice.
    idempotent?: boolean;
}

export interface ApiOptions {
    // Where requests go: a fixed URL, or a function read on every request. By default the page's
    // own address (pageBaseURL), as the Mattermost webapp sends its own calls.
    baseURL?: string | (() => string);
    retry?: Partial<RetryPolicy>;
    concurrency?: number;

    // The host's redux getState, for the client config it already loaded.
    getState?: () => unknown;
}

export class Api {
    readonly client: Client4;
    readonly retry: RetryPolicy;
    readonly concurrency: number;
    readonly getState?: () => unknown;
    private readonly base: () => string;
    private count = 0;

    constructor(opts: ApiOptions = {}) {
        const base = opts.baseURL;
        this.base = typeof base === 'function' ? base : () => base || pageBaseURL();
        this.retry = {...DEFAULT_RETRY, ...opts.retry};
        this.concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
        this.getState = opts.getState;
        this.client = new Client4();

        // The browser's session cookie authenticates us; never a bearer token.
        this.client.setIncludeCookies(true);
        this.client.setUrl(this.baseURL());
    }

    // Requests made so far, retries included.
    get requests(): number {
        return this.count;
    }

    baseURL(): string {
        return trimSlash(this.base());
    }

    // Client4 builds routes from its URL, so keep it current before handing it out.
    routes(): Client4 {
        this.client.setUrl(this.baseURL());
        return this.client;
    }

    request<T>(method: HttpMethod, url: string, opts: RequestOptions = {}): Promise<T> {
        const once = () => this.once<T>(method, url, opts);
        return opts.idempotent ? withRetry(once, this.retry, opts.signal) : once();
    }

    // `path` is under /plugins/<id>/api/v1, e.g. '/policy'.
    pluginFetch<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
        return this.request<T>(method, `${this.baseURL()}/plugins/${PLUGIN_ID}/api/v1${path}`, opts);
    }

    private async once<T>(method: HttpMethod, url: string, opts: RequestOptions): Promise<T> {
        if (opts.signal?.aborted) {
            throw abortError(url);
        }
        this.count++;
        const init = this.client.getOptions({
            method,
            body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            signal: opts.signal,
        });
        let res: Response;
        try {
            res = await fetch(url, init as RequestInit);
        } catch (err) {
            if (opts.signal?.aborted) {
                throw abortError(url);
            }
            throw new ApiError({status: 0, code: 'network', detail: 'The server could not be reached.', url, cause: err});
        }
        let text: string;
        try {
            text = await res.text();
        } catch (err) {
            if (opts.signal?.aborted) {
                throw abortError(url);
            }
            throw new ApiError({status: 0, code: 'network', detail: 'The answer was cut off.', url, cause: err});
        }
        const body = parseBody(text);
        if (!res.ok) {
            throw errorFromResponse({status: res.status, url, body, retryAfter: res.headers.get('Retry-After'), nowMs: Date.now()});
        }
        return body as T;
    }
}

// Requests go where the page is, as the webapp's own utils/url.tsx sends them: admins often reach a
// server at another address than its SiteURL (a cross-origin request there would be refused), or
// under a subpath.
export function pageBaseURL(): string {
    if (typeof window === 'undefined') {
        return '';
    }
    return trimSlash(window.location.origin + (window.basename ?? ''));
}

// For links that leave the page (sent in a post, opened elsewhere) the configured SiteURL is the
// server's public name; without one, the address this page came from.
export function siteURLFromState(state: unknown): string {
    const config = (state as {entities?: {general?: {config?: {SiteURL?: unknown}}}} | undefined)?.entities?.general?.config;
    const fromConfig = typeof config?.SiteURL === 'string' ? config.SiteURL : '';
    return trimSlash(fromConfig) || pageBaseURL();
}

interface LocaleState {
    entities?: {
        users?: {currentUserId?: string; profiles?: Record<string, {locale?: string} | undefined>};
        general?: {config?: {DefaultClientLocale?: string}};
    };
}

// The admin's language as the webapp's IntlProvider picks it: their own setting, else the server's
// default client locale, else English.
export function localeFromState(state: unknown): string {
    const entities = (state as LocaleState | undefined)?.entities;
    const me = entities?.users?.currentUserId;
    return (me && entities?.users?.profiles?.[me]?.locale) || entities?.general?.config?.DefaultClientLocale || 'en';
}

function trimSlash(url: string): string {
    return url.replace(/\/+$/, '');
}

function parseBody(text: string): unknown {
    if (!text) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
