// A stand-in for the Mattermost server behind global.fetch, for unit tests of client/ and of code
// that uses it. Routes match on method and path; every call is recorded with its headers and body.

export interface FakeRequest {
    method: string;
    url: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string>;
    body: unknown;
    signal?: AbortSignal;
}

export interface FakeReply {
    status?: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export type FakeHandler = (req: FakeRequest, match: RegExpMatchArray) => FakeReply | Promise<FakeReply>;

interface Route {
    method: string;
    pattern: RegExp;
    handler: FakeHandler;
}

export class FakeServer {
    readonly calls: FakeRequest[] = [];
    private routes: Route[] = [];
    private saved?: typeof fetch;

    // `path` is a string (exact, query ignored) or a RegExp over the path.
    on(method: string, path: string | RegExp, handler: FakeHandler | FakeReply): this {
        const pattern = typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path;
        this.routes.unshift({method: method.toUpperCase(), pattern, handler: typeof handler === 'function' ? handler : () => handler});
        return this;
    }

    callsTo(method: string, path: string | RegExp): FakeRequest[] {
        return this.calls.filter((c) => c.method === method.toUpperCase() && (typeof path === 'string' ? c.path === path : path.test(c.path)));
    }

    install(): this {
        this.saved = globalThis.fetch;
        globalThis.fetch = this.fetch as typeof fetch;
        return this;
    }

    uninstall(): void {
        globalThis.fetch = this.saved as typeof fetch;
    }

    readonly fetch = async (input: string, init: RequestInit = {}): Promise<unknown> => {
        const u = new URL(input);
        const headers = {...(init.headers as Record<string, string> | undefined)};
        const req: FakeRequest = {
            method: (init.method || 'GET').toUpperCase(),
            url: input,
            path: u.pathname,
            query: u.searchParams,
            headers,
            body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
            signal: init.signal ?? undefined,
        };
        this.calls.push(req);
        if (init.signal?.aborted) {
            throw abortDOMError();
        }
        const route = this.routes.find((r) => r.method === req.method && r.pattern.test(req.path));
        const reply: FakeReply = route ? await raceAbort(Promise.resolve(route.handler(req, req.path.match(route.pattern) as RegExpMatchArray)), init.signal ?? undefined) : {status: 404, body: {id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.'}};
        const status = reply.status ?? 200;
        const text = reply.body === undefined ? '' : (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        const replyHeaders = new Map(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        return {
            ok: status >= 200 && status < 300,
            status,
            headers: {get: (name: string) => replyHeaders.get(name.toLowerCase()) ?? null},
            text: async () => text,
        };
    };
}

// A handler that never answers until the request is aborted.
export function never(): Promise<FakeReply> {
    return new Promise(() => undefined);
}

function abortDOMError(): Error {
    const err = new Error('The operation was aborted.');
    err.name = 'AbortError';
    return err;
}

function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) {
        return p;
    }
    return new Promise<T>((resolve, reject) => {
        // A handler may itself abort the request it serves, as a real fetch's caller can mid-flight.
        if (signal.aborted) {
            reject(abortDOMError());
            return;
        }
        signal.addEventListener('abort', () => reject(abortDOMError()), {once: true});
        p.then(resolve, reject);
    });
}
