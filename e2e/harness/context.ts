// What a test file needs to talk to the server that global setup started.
import fs from 'fs';

import {Client4} from '@mattermost/client';

import {Environment} from './environment';
import {stateFile} from './paths';
import {loggedIn} from './seed';

export function environment(): Environment & {controlUrl: string} {
    return JSON.parse(fs.readFileSync(stateFile(), 'utf8'));
}

async function serverLifecycle(step: 'restart' | 'kill' | 'start'): Promise<void> {
    const response = await fetch(`${environment().controlUrl}/${step}`, {method: 'POST'});
    if (response.status !== 204) {
        throw new Error(`${step} failed: ${await response.text()}`);
    }
}

// Restarts the Mattermost server gracefully (same database and scratch folder) and waits until it answers again.
export const restartServer = () => serverLifecycle('restart');

// Kills the server with SIGKILL and returns once it is gone; startServerAgain brings it back and waits for it.
export const killServer = () => serverLifecycle('kill');
export const startServerAgain = () => serverLifecycle('start');

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
        body: body === undefined ? undefined : typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body),
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

// Runs a slash command the way API and mobile clients do (no webapp hook): the server plugin answers.
export async function executeCommand(client: Client4 | null, command: string): Promise<{status: number; text: string}> {
    const env = environment();
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
    if (client) {
        headers.Authorization = `Bearer ${client.getToken()}`;
    }
    const response = await fetch(`${env.url}/api/v4/commands/execute`, {
        method: 'POST',
        headers,
        body: JSON.stringify({command, channel_id: env.fixtures.channelId, team_id: env.fixtures.teamId}),
    });
    const text = await response.text();
    return {status: response.status, text: response.ok ? (JSON.parse(text).text ?? '') : text};
}

// Polls until `read` returns a value equal to `expected`, then asserts it (so a timeout shows the diff).
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        value = await read();
    }
    expect(value).toEqual(expected);
}
