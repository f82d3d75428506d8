// One real server with the plugin deployed and the fixtures seeded: used by global setup and `make dev`.
import fs from 'fs';
import path from 'path';

import {ensureMattermost, Pin} from './mattermost-build';
import {waitForFirstWatchRun} from './kv';
import {deployBundle} from './plugin';
import {pluginBundle} from './paths';
import {createDatabase} from './postgres';
import {Fixtures, adminLogin, loggedIn, seed} from './seed';
import {RunningServer, startServer} from './server';

export interface Environment {
    url: string;
    version: string;
    pluginId: string;
    scratch: string;
    socket: string;
    logFile: string;
    configFile: string;
    // The server's own database, for tests that must read what the plugin stored, not what it says.
    dataSource: string;
    mmctl: string;
    serverPid: number;
    admin: typeof adminLogin;
    fixtures: Fixtures;
}

export interface Started {
    environment: Environment;
    server: RunningServer;
    shutdown(): Promise<void>;
}

// How the fresh database gets its data; by default the fixtures are seeded through the REST API.
export interface Seeding {
    // Runs on the empty database before the server first starts (e.g. restoring a dump) and returns its fixtures.
    restore?: (dataSource: string) => Promise<Fixtures>;
    populate?: (url: string, dataSource: string) => Promise<Fixtures>;
}

// The host page reads this before its bundle, to give the plugin the React this version's webapp gives plugins.
function describeWebapp(scratch: string, pin: Pin) {
    fs.writeFileSync(path.join(scratch, 'client', 'host-env.js'), `globalThis.hostWebapp = ${JSON.stringify({react: pin.react})};\n`);
}

export interface EnvironmentOptions {
    // Serve Mattermost under this path of SiteURL, e.g. '/mattermost'.
    subpath?: string;
}

export async function startEnvironment(seeding: Seeding = {}, {subpath}: EnvironmentOptions = {}): Promise<Started> {
    const build = ensureMattermost();
    const database = await createDatabase();
    let server: RunningServer | undefined;
    const shutdown = async () => {
        await server?.stop();
        if (server && !process.env.TA_KEEP_SCRATCH) {
            fs.rmSync(server.scratch, {recursive: true, force: true});
        }
        await database.drop();
        await database.stopEmbedded();
    };
    try {
        const restored = await seeding.restore?.(database.dataSource);
        server = await startServer({build, dataSource: database.dataSource, subpath});
        describeWebapp(server.scratch, build.pin);
        const fixtures = restored ?? await (seeding.populate ?? seed)(server.url, database.dataSource);
        const admin = await loggedIn(server.url, adminLogin.username, adminLogin.password);
        const pluginId = await deployBundle(admin, pluginBundle());
        await waitForFirstWatchRun(database.dataSource, pluginId);
        const ping = await fetch(`${server.url}/api/v4/system/ping`);
        const environment: Environment = {
            url: server.url,
            version: (ping.headers.get('X-Version-Id') ?? '').split('.').slice(0, 3).join('.'),
            pluginId,
            scratch: server.scratch,
            socket: server.socket,
            logFile: server.logFile,
            configFile: server.configFile,
            dataSource: database.dataSource,
            mmctl: build.mmctl,
            serverPid: server.pid,
            admin: adminLogin,
            fixtures,
        };
        return {environment, server, shutdown};
    } catch (err) {
        if (server) {
            console.error(`Mattermost log: ${server.logFile}`);
            process.env.TA_KEEP_SCRATCH = '1';
        }
        await shutdown().catch(() => undefined);
        throw err;
    }
}

export interface Peer {
    url: string;
    stop(): Promise<void>;
}

// A second server on the same database, with the same plugin uploaded to it (DESIGN.md §6). Without
// a licence the two are no cluster and send each other nothing; what they share is the database, so
// the plugin's KV locks, claims and compare-and-set writes must hold across them on their own.
export async function startPeer(environment: Environment): Promise<Peer> {
    const server = await startServer({build: ensureMattermost(), dataSource: environment.dataSource});
    const stop = async () => {
        await server.stop();
        if (!process.env.TA_KEEP_SCRATCH) {
            fs.rmSync(server.scratch, {recursive: true, force: true});
        }
    };
    try {
        const admin = await loggedIn(server.url, adminLogin.username, adminLogin.password);
        await deployBundle(admin, pluginBundle());
        return {url: server.url, stop};
    } catch (err) {
        console.error(`Mattermost log of the second server: ${server.logFile}`);
        process.env.TA_KEEP_SCRATCH = '1';
        await stop().catch(() => undefined);
        throw err;
    }
}
