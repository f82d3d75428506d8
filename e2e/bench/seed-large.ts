// A realistic population for the benchmark, seeded through the REST API on top of the harness
// fixtures, and cached as a database dump: seeding takes about two minutes, restoring seconds.
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
import {Fixtures, SeededToken, adminLogin, clientFor, loggedIn, seed} from '../harness/seed';
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

// Bulk seeding is bound by the server's password hashing and its two cores; more lanes only queue.
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

// The answer to the create call is the only place a token's secret ever appears; it is used once,
// to open the token's session, and dropped.
async function createToken(url: string, admin: Client4, plan: PlannedToken, expiresAt: number | undefined): Promise<string> {
    const body = {description: plan.description, ...(expiresAt ? {expires_at: expiresAt} : {})};
    const response = await fetch(`${admin.getUserRoute(plan.owner.id)}/tokens`, admin.getOptions({method: 'post', body: JSON.stringify(body)}) as RequestInit);
    if (!response.ok) {
        throw new Error(`creating a token for ${plan.owner.username}: ${response.status} ${await response.text()}`);
    }
    const created = await response.json() as {id: string; token: string};
    if (plan.used) {
        await clientFor(url, created.token).getMe();
    }
    return created.id;
}

export async function seedLarge(url: string, population: Population): Promise<Fixtures> {
    const started = Date.now();
    const fixtures = await seed(url);
    const admin = await loggedIn(url, adminLogin.username, adminLogin.password);
    const random = prng(6);

    const names = Array.from({length: population.users}, (_, i) => `${firstNames[i % firstNames.length]}.${lastNames[Math.floor(i / firstNames.length) % lastNames.length]}.${i + 1}`);
    const order = shuffled(names, random);
    const admins = new Set(order.slice(0, population.admins));
    const deactivated = new Set(order.slice(population.admins, population.admins + Math.round(population.users * population.deactivatedPct / 100)));
    await importUsers(admin, names.map((username) => {
        const [first, last] = username.split('.');

        // People sign in through GitLab, as they mostly do on servers this size. With passwords, each
        // account would cost a PBKDF2 hash (600,000 rounds): about a second of CPU, 15 minutes in all.
        return {username, email: `${username}@example.com`, auth_service: 'gitlab', auth_data: username, first_name: first, last_name: last,
            roles: admins.has(username) ? 'system_user system_admin' : 'system_user'};
    }));
    const ids = new Map<string, string>();
    for (let i = 0; i < names.length; i += 200) {
        for (const user of await admin.getProfilesByUsernames(names.slice(i, i + 200))) {
            ids.set(user.username, user.id);
        }
    }
    const humans = names.map((username): Person => ({id: ids.get(username)!, username, kind: admins.has(username) ? 'admin' : 'human', deactivated: deactivated.has(username)}));
    const bots = await inPool('bots', Array.from({length: population.bots}, (_, i) => `bot-${botPurposes[i % botPurposes.length].replace(/ /g, '-')}-${i + 1}`), async (username): Promise<Person> => {
        const bot = await admin.createBot({username, display_name: username, description: 'benchmark bot'} as never);
        return {id: bot.user_id, username, kind: 'bot', deactivated: false};
    });

    const plan = planTokens([...humans, ...bots], population, random);
    const expirySupported = detectFeatures([], undefined, await admin.getConfig() as unknown as Record<string, unknown>).expirySupported;
    const now = Date.now();
    const expiry = () => (expirySupported && random() < 0.6 ? now + Math.ceil(random() * 365) * 86400000 : undefined);
    const expiries = plan.map(expiry);
    const tokenIds = await inPool(`tokens (${plan.filter((t) => t.used).length} used once)`, plan.map((p, i) => ({p, i})), ({p, i}) => createToken(url, admin, p, expiries[i]));
    await inPool('disabled tokens', tokenIds.filter((_, i) => !plan[i].active), (id) => admin.disableUserAccessToken(id));
    await inPool('deactivated users', humans.filter((p) => p.deactivated), (person) => admin.updateUserActive(person.id, false));

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
            fixtures = await seedLarge(server.url, population);
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
            return startEnvironment({populate: (url) => seedLarge(url, population)});
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
