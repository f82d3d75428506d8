// Every request the stand-in makes goes where the page is, as the Mattermost webapp's do
// (utils/url.tsx: window.location.origin + window.basename), never to the configured SiteURL.

declare global {
    interface Window {
        publicPath?: string;
        basename?: string;
    }
}

const staticSuffix = '/static/';

// The server writes window.publicPath into root.html when SiteURL has a subpath
// (channels/utils/subpath.go); the webapp derives its basename from it (root.tsx).
export function setBasename(): void {
    window.publicPath = window.publicPath || staticSuffix;
    window.basename = window.publicPath.slice(0, window.publicPath.length - staticSuffix.length);
}

export function pageRoot(): string {
    return window.location.origin + (window.basename ?? '');
}

export class ApiError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

function csrfToken(): string {
    return document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice('MMCSRF='.length) ?? '';
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
    if (method !== 'GET') {
        headers['X-CSRF-Token'] = csrfToken();
    }
    const response = await fetch(pageRoot() + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await response.text();
    let parsed: unknown = null;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        parsed = text;
    }
    if (!response.ok) {
        const message = (parsed as {message?: string} | null)?.message ?? `${method} ${path}: ${response.status}`;
        throw new ApiError(response.status, message);
    }
    return parsed as T;
}

export const getJSON = <T = unknown>(path: string) => api<T>('GET', path);
