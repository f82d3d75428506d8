// How the plugin's client reads a large server, on the real one with small parts: the token list
// in parallel windows of pages (no ORDER BY behind it, so passes that overlap are read again), the
// first-seen registry in id ranges, and GET /usage in pages. The client runs in Node here, as the
// console runs it in the browser, with the admin's session.
import crypto from 'crypto';

import {Client4} from '@mattermost/client';

import {Api, listAllTokens, lookupSeen, reportSeen, setApi} from '../../webapp/src/client';
import {SEEN_IDS_PER_REQUEST} from '../../webapp/src/engine';
import {adminClient, environment, pluginRequest} from '../harness/context';
import {FaultProxy} from '../harness/faults';

let admin: Client4;
let proxy: FaultProxy;
const env = () => environment();
const newId = () => Array.from(crypto.randomBytes(26), (b) => 'abcdefghijkmnopqrstuwxyz13456789'[b % 32]).join('');

beforeAll(async () => {
    admin = await adminClient();
    proxy = await FaultProxy.start(env().url);
    Object.assign(globalThis, {PLUGIN_ID: env().pluginId});
    const api = new Api({baseURL: proxy.url, retry: {retries: 0}});
    api.client.setToken(admin.getToken());
    setApi(api);
});

afterEach(() => {
    proxy.clear();
    proxy.rewriteAnswers(undefined);
    proxy.events.length = 0;
});

afterAll(async () => {
    setApi(undefined);
    await proxy.close();
});

// Every token on the server as the REST API gives it one owner at a time.
async function tokensOwnerByOwner(): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
        const users = await admin.getProfiles(page, 200);
        for (const user of users) {
            ids.push(...(await admin.getUserAccessTokensForUser(user.id, 0, 200)).map((t) => t.id));
        }
        if (users.length < 200) {
            return ids.sort();
        }
    }
}

const pagesAsked = (page: number) => proxy.requests('GET', new RegExp(`^/api/v4/users/tokens\\?page=${page}&`)).length;

test('the token list read three tokens a page, six pages at a time, holds every token once', async () => {
    const listing = await listAllTokens({perPage: 3});

    const ids = listing.tokens.map((t) => t.id);
    expect(listing.complete).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(await tokensOwnerByOwner());
    expect(pagesAsked(0)).toBe(1);
    expect(pagesAsked(Math.ceil(ids.length / 3))).toBe(1);
});

// A rewriter that moves the first row of every later page onto page 0's first row, as an unordered
// query may while rows change: one token is listed twice and another not at all.
function shiftRows(passesToShift: number) {
    let passes = 0;
    let firstRow: unknown;
    return {
        rewrite(request: {method: string; path: string}, status: number, payload: Buffer): Buffer {
            const page = /^\/api\/v4\/users\/tokens\?page=(\d+)&/.exec(request.path)?.[1];
            if (request.method !== 'GET' || page === undefined || status !== 200) {
                return payload;
            }
            const rows = JSON.parse(payload.toString('utf8')) as unknown[];
            if (page === '0') {
                passes++;
                firstRow = rows[0];
                return payload;
            }
            if (passes > passesToShift || !rows.length) {
                return payload;
            }
            return Buffer.from(JSON.stringify([firstRow, ...rows.slice(1)]));
        },
    };
}

test('simulated: a pass whose pages overlap is read again, and the listing is complete once a pass agrees', async () => {
    proxy.rewriteAnswers(shiftRows(1));

    const listing = await listAllTokens({perPage: 3});

    const ids = listing.tokens.map((t) => t.id);
    expect(pagesAsked(0)).toBe(2);
    expect(listing.complete).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(await tokensOwnerByOwner());
});

test('simulated: a listing that overlaps on every pass keeps what it saw and is not called complete', async () => {
    proxy.rewriteAnswers(shiftRows(Infinity));

    const listing = await listAllTokens({perPage: 3});

    expect(pagesAsked(0)).toBe(3);
    expect(listing.complete).toBe(false);
    const ids = listing.tokens.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
});

test('a complete scan reported in id ranges of four removes exactly the ids that are gone, range by range', async () => {
    const ghosts = [newId(), newId(), newId(), newId(), newId()];
    expect((await pluginRequest(admin, 'POST', '/seen', {token_ids: ghosts, complete: false})).status).toBe(200);
    const real = (await listAllTokens()).tokens.map((t) => t.id);

    const report = await reportSeen(real, true, {idsPerRequest: 4});

    const parts = proxy.requests('POST', /\/api\/v1\/seen$/).map((e) => JSON.parse(e.body) as {token_ids: string[]; after?: string; through?: string});
    expect(parts).toHaveLength(Math.ceil(real.length / 4));
    expect(parts.every((p) => p.token_ids.length <= 4)).toBe(true);
    expect(parts.flatMap((p) => p.token_ids)).toEqual([...real].sort());
    for (const ghost of ghosts) {
        expect(report.removed[ghost]?.removed_at).toBeGreaterThan(0);
    }
    const found = await lookupSeen([...real, ...ghosts], {idsPerRequest: 4});
    expect(real.every((id) => found[id]?.removed_at === 0)).toBe(true);
    expect(ghosts.every((id) => found[id]?.removed_at > 0)).toBe(true);
});

test('/seen refuses a range that does not hold its ids, and more ids than SEEN_IDS_PER_REQUEST, changing nothing', async () => {
    const [low, high] = [newId(), newId()].sort();
    const outside = await pluginRequest(admin, 'POST', '/seen', {token_ids: [low], complete: true, after: high});
    expect(outside).toMatchObject({status: 400, body: {error: 'invalid_value'}});
    const tooMany = await pluginRequest(admin, 'POST', '/seen', {token_ids: Array.from({length: SEEN_IDS_PER_REQUEST + 1}, newId), complete: false});
    expect(tooMany).toMatchObject({status: 400, body: {error: 'invalid_value'}});
    const found = await pluginRequest(admin, 'POST', '/seen/lookup', {token_ids: [low]});
    expect(found).toMatchObject({status: 200, body: {tokens: {}}});
});
