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
    // A fixed URL, or a function read on every request (the host's config can arrive late).
    siteURL?: string | (() => string);
    retry?: Partial<RetryPolicy>;
    concurrency?: number;

    // The host's redux getState, for SiteURL and the client config it already loaded.
    getState?: () => unknown;
}

export class Api {
    readonly client: Client4;
    readonly retry: RetryPolicy;
    readonly concurrency: number;
    readonly getState?: () => unknown;
    private readonly site: () => string;
    private count = 0;

    constructor(opts: ApiOptions = {}) {
        const site = opts.siteURL;
        this.site = typeof site === 'function' ? site : () => site || siteURLFromState(opts.getState?.());
        this.retry = {...DEFAULT_RETRY, ...opts.retry};
        this.concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
        this.getState = opts.getState;
        this.client = new Client4();

        // The browser's session cookie authenticates us; never a bearer token.
        this.client.setIncludeCookies(true);
        this.client.setUrl(this.siteURL());
    }

    // Requests made so far, retries included.
    get requests(): number {
        return this.count;
    }

    siteURL(): string {
        return trimSlash(this.site());
    }

    // Client4 builds routes from its URL, so keep it current before handing it out.
    routes(): Client4 {
        this.client.setUrl(this.siteURL());
        return this.client;
    }

    request<T>(method: HttpMethod, url: string, opts: RequestOptions = {}): Promise<T> {
        const once = () => this.once<T>(method, url, opts);
        return opts.idempotent ? withRetry(once, this.retry, opts.signal) : once();
    }

    // `path` is under /plugins/<id>/api/v1, e.g. '/policy'.
    pluginFetch<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
        return this.request<T>(method, `${this.siteURL()}/plugins/${PLUGIN_ID}/api/v1${path}`, opts);
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
            throw errorFromResponse(res.status, url, body, res.headers.get('Retry-After'), Date.now());
        }
        return body as T;
    }
}

export function siteURLFromState(state: unknown): string {
    const config = (state as {entities?: {general?: {config?: {SiteURL?: unknown}}}} | undefined)?.entities?.general?.config;
    const fromConfig = typeof config?.SiteURL === 'string' ? config.SiteURL : '';
    if (fromConfig) {
        return fromConfig;
    }
    return typeof window === 'undefined' ? '' : window.location.origin;
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
