// One error type for everything the client does, so callers can show the server's words and know
// whether trying again could help without caring which API (core or plugin) answered.

export interface ApiErrorInit {
    status: number;
    code?: string;
    detail?: string;
    url?: string;
    retryAfterMs?: number;
    body?: unknown;
    cause?: unknown;
}

export class ApiError extends Error {
    // 0 when no HTTP answer arrived (network failure or cancellation).
    readonly status: number;

    // The plugin's `error` or Mattermost's error id; 'network' or 'aborted' without an answer.
    readonly code: string;

    // The sentence to show: the plugin's `detail` or Mattermost's `message`.
    readonly detail: string;
    readonly url: string;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;

    // The parsed error body, for answers that carry more than a message (409's `current`).
    readonly body?: unknown;

    constructor(init: ApiErrorInit) {
        const detail = init.detail || '';
        super(detail || init.code || (init.status ? `HTTP ${init.status}` : 'request failed'), {cause: init.cause});
        this.name = 'ApiError';
        this.status = init.status;
        this.code = init.code || '';
        this.detail = detail;
        this.url = init.url || '';
        this.retryAfterMs = init.retryAfterMs;
        this.body = init.body;
        this.retryable = init.code !== 'aborted' && isRetryableStatus(init.status);
    }
}

// 501/505 will not change on a second try; overload and gateway trouble may.
export function isRetryableStatus(status: number): boolean {
    return status === 0 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

export function abortError(url = ''): ApiError {
    return new ApiError({status: 0, code: 'aborted', detail: 'The request was cancelled.', url});
}

export function isAbortError(err: unknown): boolean {
    return err instanceof ApiError ? err.code === 'aborted' : (err as {name?: string} | null)?.name === 'AbortError';
}

// Both error bodies we meet: the plugin's {error, detail} and Mattermost's AppError {id, message}.
export interface ErrorResponse {
    status: number;
    url: string;

    // The parsed body, or the text when it was not JSON.
    body: unknown;

    // The Retry-After header, if any, read against the time the answer came.
    retryAfter: string | null;
    nowMs: number;
}

export function errorFromResponse({status, url, body, retryAfter, nowMs}: ErrorResponse): ApiError {
    let code = '';
    let detail = '';
    if (body && typeof body === 'object') {
        const b = body as Record<string, unknown>;
        code = str(b.error) || str(b.id);
        detail = str(b.detail) || str(b.message);
    } else if (typeof body === 'string') {
        // Mattermost's rate limiter answers in plain text.
        detail = body.trim().slice(0, 500);
    }
    return new ApiError({status, code, detail, url, body, retryAfterMs: parseRetryAfter(retryAfter, nowMs)});
}

export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
    if (!value) {
        return undefined;
    }
    if (/^\s*\d+\s*$/.test(value)) {
        return Number(value) * 1000;
    }
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

// The sentence to show for a failure from any layer (ApiError, a plain Error, a mocked client's
// object): duck-typed, so all are read alike.
export function messageOf(err: unknown): string {
    const e = err as {detail?: unknown; message?: unknown} | null;
    if (typeof e?.detail === 'string' && e.detail) {
        return e.detail;
    }
    return typeof e?.message === 'string' ? e.message : String(err);
}

// The server refused this user (no manage_system): the whole page is refused, not just one request.
export function isForbidden(err: unknown): boolean {
    return (err as {status?: unknown} | null)?.status === 403;
}

function str(v: unknown): string {
    return typeof v === 'string' ? v : '';
}
