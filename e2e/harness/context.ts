// What a test file needs to talk to the server that global setup started.
import fs from 'fs';

import {Client4} from '@mattermost/client';

import {Environment} from './environment';
import {stateFile} from './paths';
import {loggedIn} from './seed';

export function environment(): Environment {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
}

export function adminClient(): Promise<Client4> {
    const env = environment();
    return loggedIn(env.url, env.admin.username, env.admin.password);
}

export function userClient(username: string): Promise<Client4> {
    const env = environment();
    return loggedIn(env.url, username, env.fixtures.password);
}

// Calls a plugin route with a bearer session, returning status and parsed body.
export async function pluginRequest(client: Client4 | null, method: string, route: string, body?: unknown): Promise<{status: number; body: unknown}> {
    const env = environment();
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
    if (client) {
        headers.Authorization = `Bearer ${client.getToken()}`;
    }
    const response = await fetch(`${env.url}/plugins/${env.pluginId}/api/v1${route}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        // non-JSON answers are returned as text
    }
    return {status: response.status, body: parsed};
}
