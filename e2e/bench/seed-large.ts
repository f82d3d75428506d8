// A realistic population for the benchmark on top of the harness fixtures, cached as a database
// dump. People arrive by bulk import and bots through the REST API; the tokens and their sessions are
// a bench fixture written straight into the server's PostgreSQL (see insertTokens), since creating
// 100,000 tokens one REST call at a time took 38 minutes here. Restoring the dump takes seconds.
//
//   npx tsx e2e/bench/seed-large.ts [--users 2000 --tokens 10000 ...]   builds the cached dump ahead of `make bench`
// Every size is also read from TA_BENCH_<NAME> (e.g. TA_BENCH_USERS=500); flags win.
import {execFileSync} from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import {parseArgs} from 'util';
import zlib from 'zlib';

import {Client4} from '@mattermost/client';
import {Client} from 'pg';

import {detectFeatures} from '../../webapp/src/client/core';
import {runPool} from '../../webapp/src/client/runner';
import {Started, startEnvironment} from '../harness/environment';
import {ensureMattermost, pinKey} from '../harness/mattermost-build';
import {cacheRoot} from '../harness/paths';
import {createDatabase} from '../harness/postgres';
import {Fixtures, SeededToken, adminLogin, loggedIn, seed} from '../harness/seed';
import {startServer} from '../harness/server';

export interface Population {
    // Human accounts besides the harness fixtures; `admins` and `deactivatedPct` are shares of them.
    users: number;
    deactivatedPct: number;
    admins: number;
    bots: number;
    tokens: number;
    disabledPct: number;
    usedPct: number;
}

const defaults: Population = {users: 2000, deactivatedPct: 10, admins: 20, bots: 50, tokens: 10000, disabledPct: 20, usedPct: 30};

const flags: Record<keyof Population, string> = {
    users: 'users',
    deactivatedPct: 'deactivated-pct',
    admins: 'admins',
    bots: 'bots',
    tokens: 'tokens',
    disabledPct: 'disabled-pct',
    usedPct: 'used-pct',
};

export const populationOptions = Object.fromEntries(Object.values(flags).map((flag) => [flag, {type: 'string' as const}]));

export function populationFrom(values: Record<string, unknown>): Population {
    const population = {...defaults};
    for (const key of Object.keys(flags) as Array<keyof Population>) {
        const raw = values[flags[key]] ?? process.env[`TA_BENCH_${flags[key].replace(/-/g, '_').toUpperCase()}`];
        if (raw === undefined) {
            continue;
        }
        const value = Number(raw);
        if (!Number.isInteger(value) || value < 0 || (key.endsWith('Pct') && value > 100)) {
            throw new Error(`--${flags[key]} must be a whole number${key.endsWith('Pct') ? ' from 0 to 100' : ''}, not ${raw}`);
        }
        population[key] = value;
    }
    if (population.admins > population.users) {
        throw new Error('--admins cannot exceed --users');
    }
    return population;
}

// REST seeding (the bots) is bound by the server's two cores; more lanes only queue.
const SEED_CONCURRENCY = 8;

// A fixed seed: the same parameters give the same population, which is what the cache key promises.
function prng(seedValue: number): () => number {
    let a = seedValue;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

const firstNames = ['anna', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kemal', 'lena', 'mateo', 'nia', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tariq'];
const lastNames = ['adams', 'berg', 'costa', 'diaz', 'eriksen', 'fischer', 'garcia', 'haddad', 'ito', 'jensen', 'kowalski', 'li', 'moreau', 'novak', 'okafor', 'patel', 'rossi', 'silva', 'tanaka', 'weber'];
const humanPurposes = ['laptop cli', 'ci runner', 'backup script', 'grafana datasource', 'jira sync', 'home automation', 'report export', 'terraform provider', 'mobile shortcut', 'load test'];
const botPurposes = ['deploy pipeline', 'alert relay', 'release notes', 'nightly export', 'standup reminder', 'incident bridge'];

interface Person {
    id: string;
    username: string;
    kind: 'human' | 'admin' | 'bot';
    deactivated: boolean;
}

interface PlannedToken {
    owner: Person;
    description: string;
    active: boolean;
    used: boolean;
}

async function inPool<T, R>(label: string, items: readonly T[], worker: (item: T) => Promise<R>): Promise<R[]> {
    const started = Date.now();
    const settled = await runPool(items, worker, {concurrency: SEED_CONCURRENCY});
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
        throw new Error(`${label}: ${(failed as PromiseRejectedResult).reason}`);
    }
    console.log(`  ${label}: ${items.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

// Bots and admins own more tokens than most people; most people own one or two, a few own many.
function planTokens(people: Person[], population: Population, random: () => number): PlannedToken[] {
    const humans = people.filter((p) => p.kind === 'human');
    const candidates = [...people.filter((p) => p.kind !== 'human'), ...shuffled(humans, random).slice(0, Math.round(humans.length * 0.75))];
    const owners = candidates.slice(0, population.tokens);
    const weight = (p: Person) => (p.kind === 'bot' ? 10 : p.kind === 'admin' ? 3 : Math.exp(random() * 2.5));
    const weights = owners.map(weight);
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = owners.map(() => 1);
    for (let extra = population.tokens - owners.length; extra > 0; extra--) {
        let pick = random() * total;
        let i = 0;
        while (pick > weights[i] && i < owners.length - 1) {
            pick -= weights[i++];
        }
        counts[i]++;
    }
    const tokens = shuffled(owners.flatMap((owner, i) => Array.from({length: counts[i]}, (_, n): PlannedToken => {
        const purposes = owner.kind === 'bot' ? botPurposes : humanPurposes;
        return {owner, description: `${purposes[Math.floor(random() * purposes.length)]} ${n + 1}`, active: true, used: false};
    })), random);
    for (const token of tokens.slice(0, Math.round(tokens.length * population.disabledPct / 100))) {
        token.active = false;
    }

    // Only a token that stays usable keeps its session: disabling a token or deactivating its owner drops them.
    const usable = shuffled(tokens.filter((t) => t.active && !t.owner.deactivated), random);
    for (const token of usable.slice(0, Math.round(tokens.length * population.usedPct / 100))) {
        token.used = true;
    }
    return tokens;
}

// Enough of the zip format for the import job: one stored (uncompressed) entry.
function zipOne(name: string, data: Buffer): Buffer {
    const fileName = Buffer.from(name);
    const crc = zlib.crc32(data);
    const common = (header: Buffer, at: number) => {
        header.writeUInt16LE(20, at);
        header.writeUInt16LE(0x21, at + 8);
        header.writeUInt32LE(crc, at + 10);
        header.writeUInt32LE(data.length, at + 14);
        header.writeUInt32LE(data.length, at + 18);
        header.writeUInt16LE(fileName.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + fileName.length, 12);
    end.writeUInt32LE(local.length + fileName.length + data.length, 16);
    return Buffer.concat([local, fileName, data, central, fileName, end]);
}

async function call<T>(admin: Client4, method: string, url: string, body: string | Buffer, contentType = 'application/json'): Promise<T> {
    const response = await fetch(url, admin.getOptions({method, body, headers: {'Content-Type': contentType}}) as RequestInit);
    if (!response.ok) {
        throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    }
    return response.json() as Promise<T>;
}

// An unlicensed server refuses to create or activate a user once 250 are active (app/limits.go);
// a bulk import, which is how a large team arrives on a new server, is not held to that. Uploaded
// and run through the REST API, as `mmctl import` does.
async function importUsers(admin: Client4, users: object[]): Promise<void> {
    const started = Date.now();
    const jsonl = [{type: 'version', version: 1}, ...users.map((user) => ({type: 'user', user}))].map((line) => JSON.stringify(line)).join('\n');
    const file = zipOne('users.jsonl', Buffer.from(jsonl));
    const filename = 'bench-users.zip';
    const upload = await call<{id: string}>(admin, 'POST', `${admin.getBaseRoute()}/uploads`, JSON.stringify({type: 'import', filename, file_size: file.length}));
    await call(admin, 'POST', `${admin.getBaseRoute()}/uploads/${upload.id}`, file, 'application/octet-stream');
    let job = await admin.createJob({type: 'import_process', data: {import_file: `${upload.id}_${filename}`}} as never);
    while (!['success', 'error', 'canceled'].includes(job.status)) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await admin.getJob(job.id);
    }
    if (job.status !== 'success') {
        throw new Error(`importing users: ${job.status} ${JSON.stringify(job.data)}`);
    }
    console.log(`  users (bulk import): ${users.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Mattermost's ids (model.NewId): 16 random bytes in its base32 alphabet, 26 characters.
function newId(): string {
    const alphabet = 'ybndrfg8ejkmcpqxot1uwisza345h769';
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of crypto.randomBytes(16)) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    return (out + alphabet[(value << (5 - bits)) & 31]).slice(0, 26);
}

// The columns the fixture writes, as Mattermost's migrations define them; expiresat only where the
// server has token expiry (Mattermost 11.9 on, see server/source/tokens.go).
const tokenColumns = ['id', 'token', 'userid', 'description', 'isactive'];
const sessionColumns = ['id', 'token', 'createat', 'expiresat', 'lastactivityat', 'userid', 'deviceid', 'roles', 'isoauth', 'props', 'expirednotify'];

// Reads the table from the server's own database and refuses one this fixture would fill wrongly:
// a column it writes is missing, or one it does not write must be given.
async function checkTable(db: Client, table: string, writes: string[]): Promise<Set<string>> {
    const {rows} = await db.query<{column_name: string; is_nullable: string; column_default: string | null}>(
        'SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table]);
    const present = new Set(rows.map((r) => r.column_name));
    const missing = writes.filter((c) => !present.has(c));
    const unfilled = rows.filter((r) => !writes.includes(r.column_name) && r.is_nullable === 'NO' && r.column_default === null).map((r) => r.column_name);
    if (missing.length || unfilled.length) {
        throw new Error(`the bench cannot write ${table} of this Mattermost: ${missing.length ? `missing ${missing.join(', ')}` : ''}${unfilled.length ? ` required ${unfilled.join(', ')}` : ''}`);
    }
    return present;
}

const sessionExpiryMs = 100 * 365 * 24 * 3600 * 1000; // model.SessionUserAccessTokenExpiryHours
const dayMs = 86400000;

// A bench fixture, not how tokens are made: the REST API would cost a call per token (and one more
// per used token, to open its session). The rows are what Mattermost writes for them
// (App.CreateUserAccessToken, App.createSessionForUserAccessToken): a token row with a fresh random
// secret, and for a used token one session carrying its id in props, with the owner's roles. Each
// secret is made by PostgreSQL and never leaves it (the cache replaces them again).
async function insertTokens(dataSource: string, plan: PlannedToken[], expiries: Array<number | undefined>, random: () => number): Promise<string[]> {
    const started = Date.now();
    const ids = plan.map(() => newId());
    await withDatabase(dataSource, async (db) => {
        const tokenTable = await checkTable(db, 'useraccesstokens', tokenColumns);
        await checkTable(db, 'sessions', sessionColumns);
        const expiry = tokenTable.has('expiresat');
        const now = Date.now();
        const batch = 10000;
        await db.query('BEGIN');
        for (let i = 0; i < plan.length; i += batch) {
            const part = plan.slice(i, i + batch);
            await db.query(
                `INSERT INTO useraccesstokens (${tokenColumns.join(', ')}${expiry ? ', expiresat' : ''})
                 SELECT t.id, substr(md5(random()::text || t.id), 1, 26), t.userid, t.description, t.isactive${expiry ? ', t.expiresat' : ''}
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[]) AS t(id, userid, description, isactive, expiresat)`,
                [ids.slice(i, i + batch), part.map((p) => p.owner.id), part.map((p) => p.description), part.map((p) => p.active), expiries.slice(i, i + batch).map((e) => e ?? 0)]);
        }

        // Used at some time in the last half year, and perhaps again since.
        const used = plan.map((p, i) => ({p, id: ids[i]})).filter(({p}) => p.used);
        const createAt = used.map(() => now - Math.floor(random() * 180 * dayMs));
        const lastActivityAt = createAt.map((at) => at + Math.floor(random() * (now - at)));
        for (let i = 0; i < used.length; i += batch) {
            const part = used.slice(i, i + batch);
            const inserted = await db.query(
                `INSERT INTO sessions (${sessionColumns.join(', ')})
                 SELECT s.id, substr(md5(random()::text || s.id), 1, 26), s.createat, s.createat + ${sessionExpiryMs}, s.lastactivityat, u.id, '', u.roles, false,
                     jsonb_build_object('type', 'UserAccessToken', 'user_access_token_id', s.tokenid, 'is_guest', 'false')
                         || CASE WHEN u.isbot THEN '{"is_bot": "true"}'::jsonb ELSE '{}'::jsonb END,
                     false
                 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS s(id, tokenid, createat, lastactivityat)
                 JOIN useraccesstokens t ON t.id = s.tokenid
                 JOIN (SELECT users.id, users.roles, bots.userid IS NOT NULL AS isbot FROM users LEFT JOIN bots ON bots.userid = users.id) u ON u.id = t.userid`,
                [part.map(() => newId()), part.map(({id}) => id), createAt.slice(i, i + batch), lastActivityAt.slice(i, i + batch)]);
            if (inserted.rowCount !== part.length) {
                throw new Error(`sessions: ${inserted.rowCount} of ${part.length} written; some owners were not found`);
            }
        }
        await db.query('COMMIT');
        console.log(`  tokens (bench fixture, SQL): ${plan.length}, ${used.length} with a session, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
    return ids;
}

export async function seedLarge(url: string, dataSource: string, population: Population): Promise<Fixtures> {
    const started = Date.now();
    const fixtures = await seed(url);
    const admin = await loggedIn(url, adminLogin.username, adminLogin.password);
    const random = prng(6);

    const names = Array.from({length: population.users}, (_, i) => `${firstNames[i % firstNames.length]}.${lastNames[Math.floor(i / firstNames.length) % lastNames.length]}.${i + 1}`);
    const order = shuffled(names, random);
    const admins = new Set(order.slice(0, population.admins));
    const deactivated = new Set(order.slice(population.admins, population.admins + Math.round(population.users * population.deactivatedPct / 100)));
    const importedAt = Date.now();
    await importUsers(admin, names.map((username) => {
        const [first, last] = username.split('.');

        // People sign in through GitLab, as they mostly do on servers this size. With passwords, each
        // account would cost a PBKDF2 hash (600,000 rounds): about a second of CPU, 15 minutes in all.
        return {username, email: `${username}@example.com`, auth_service: 'gitlab', auth_data: username, first_name: first, last_name: last,
            roles: admins.has(username) ? 'system_user system_admin' : 'system_user', ...(deactivated.has(username) ? {delete_at: importedAt} : {})};
    }));
    const ids = new Map<string, string>();
    await withDatabase(dataSource, async (db) => {
        for (const row of (await db.query<{id: string; username: string}>('SELECT id, username FROM users WHERE username = ANY($1)', [names])).rows) {
            ids.set(row.username, row.id);
        }
    });
    if (ids.size !== names.length) {
        throw new Error(`the import made ${ids.size} of ${names.length} users`);
    }
    const humans = names.map((username): Person => ({id: ids.get(username)!, username, kind: admins.has(username) ? 'admin' : 'human', deactivated: deactivated.has(username)}));
    const bots = await inPool('bots', Array.from({length: population.bots}, (_, i) => `bot-${botPurposes[i % botPurposes.length].replace(/ /g, '-')}-${i + 1}`), async (username): Promise<Person> => {
        const bot = await admin.createBot({username, display_name: username, description: 'benchmark bot'} as never);
        return {id: bot.user_id, username, kind: 'bot', deactivated: false};
    });

    const plan = planTokens([...humans, ...bots], population, random);
    const expirySupported = detectFeatures([], undefined, await admin.getConfig() as unknown as Record<string, unknown>).expirySupported;
    const now = Date.now();
    const expiry = () => (expirySupported && random() < 0.6 ? now + Math.ceil(random() * 365) * dayMs : undefined);
    const expiries = plan.map(expiry);
    const tokenIds = await insertTokens(dataSource, plan, expiries, random);

    for (const person of [...humans, ...bots]) {
        fixtures.users[person.username] = {id: person.id, username: person.username};
    }
    fixtures.tokens.push(...plan.map((p, i): SeededToken => ({id: tokenIds[i], userId: p.owner.id, username: p.owner.username, description: p.description, active: p.active, used: p.used})));
    console.log(`seeded ${Object.keys(fixtures.users).length} accounts and ${fixtures.tokens.length} tokens in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return fixtures;
}

// The parameters, the Mattermost pin and the seeding code all shape the data, so all go in the key.
function cacheKey(population: Population): string {
    const hash = crypto.createHash('sha256');
    hash.update(JSON.stringify(population));
    hash.update(pinKey());
    for (const file of [__filename, path.join(__dirname, '..', 'harness', 'seed.ts')]) {
        hash.update(fs.readFileSync(file));
    }
    return hash.digest('hex').slice(0, 16);
}

function pgEnv(dataSource: string): NodeJS.ProcessEnv {
    const url = new URL(dataSource);
    return {
        ...process.env,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: url.pathname.slice(1),
    };
}

async function withDatabase<T>(dataSource: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({connectionString: dataSource});
    await client.connect();
    try {
        return await work(client);
    } finally {
        await client.end();
    }
}

// pg_dump refuses a server of a newer major version than itself (the embedded PostgreSQL is 16).
async function dumpUnavailable(dataSource: string): Promise<string | undefined> {
    let version: string;
    try {
        version = execFileSync('pg_dump', ['--version'], {encoding: 'utf8'});
    } catch {
        return 'pg_dump is not installed';
    }
    const toolMajor = Number(/(\d+)(\.\d+)?/.exec(version)?.[1]);
    const serverMajor = Math.floor(Number(await withDatabase(dataSource, async (c) => (await c.query('SHOW server_version_num')).rows[0].server_version_num)) / 10000);
    return toolMajor >= serverMajor ? undefined : `pg_dump ${toolMajor} cannot dump PostgreSQL ${serverMajor}`;
}

// Mattermost stores token and session secrets in the clear; none of them may reach the cache
// file. Random values keep every row (and so every token's usage) and make them useless.
async function scrubSecrets(dataSource: string): Promise<void> {
    await withDatabase(dataSource, async (c) => {
        for (const table of ['useraccesstokens', 'sessions']) {
            await c.query(`UPDATE ${table} SET token = substr(md5(random()::text || id), 1, 26)`);
        }
    });
}

async function buildCache(population: Population, dump: string, meta: string): Promise<string | undefined> {
    const database = await createDatabase();
    try {
        const unavailable = await dumpUnavailable(database.dataSource);
        if (unavailable) {
            return unavailable;
        }
        console.log(`Seeding the benchmark population once (${JSON.stringify(population)}); later runs restore ${dump}`);
        const server = await startServer({build: ensureMattermost(), dataSource: database.dataSource});
        let fixtures: Fixtures;
        try {
            fixtures = await seedLarge(server.url, database.dataSource, population);
        } finally {
            await server.stop();
            fs.rmSync(server.scratch, {recursive: true, force: true});
        }
        await scrubSecrets(database.dataSource);
        fs.mkdirSync(path.dirname(dump), {recursive: true});
        execFileSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}.partial`], {env: pgEnv(database.dataSource), stdio: 'inherit'});
        fs.writeFileSync(`${meta}.partial`, JSON.stringify(fixtures));
        fs.renameSync(`${dump}.partial`, dump);
        fs.renameSync(`${meta}.partial`, meta);
        return undefined;
    } finally {
        await database.drop();
        await database.stopEmbedded();
    }
}

function cacheFiles(population: Population) {
    const base = path.join(cacheRoot, `bench-${cacheKey(population)}`);
    return {dump: `${base}.dump`, meta: `${base}.json`};
}

// A server with the plugin deployed on the population: restored from the cached dump, which is built
// first when missing; seeded directly (and slowly) when no usable pg_dump is around.
export async function benchEnvironment(population: Population): Promise<Started> {
    const {dump, meta} = cacheFiles(population);
    if (!fs.existsSync(meta)) {
        const unavailable = await buildCache(population, dump, meta);
        if (unavailable) {
            console.log(`Not caching the benchmark database (${unavailable}); seeding it for this run only`);
            return startEnvironment({populate: (url, dataSource) => seedLarge(url, dataSource, population)});
        }
    }
    const fixtures: Fixtures = JSON.parse(fs.readFileSync(meta, 'utf8'));
    return startEnvironment({
        restore: async (dataSource) => {
            const started = Date.now();
            execFileSync('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--jobs=2', `--dbname=${pgEnv(dataSource).PGDATABASE}`, dump], {env: pgEnv(dataSource), stdio: 'inherit'});
            console.log(`restored ${dump} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            return fixtures;
        },
    });
}

async function main() {
    const population = populationFrom(parseArgs({options: populationOptions}).values);
    const {dump, meta} = cacheFiles(population);
    if (fs.existsSync(meta)) {
        console.log(`${dump} is already cached`);
        return;
    }
    const unavailable = await buildCache(population, dump, meta);
    if (unavailable) {
        throw new Error(`cannot cache the benchmark database: ${unavailable}`);
    }
    console.log(`cached ${dump}`);
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
