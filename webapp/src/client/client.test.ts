import {Api, localeFromState, pageBaseURL, siteURLFromState} from './api';
import {setApi} from './current';
import {ApiError} from './errors';
import {
    disableToken,
    CHANNELS_PER_SEARCH,
    getChannel,
    getPolicy,
    getToken,
    getTrail,
    getUserByUsername,
    getViews,
    loadInventory,
    lookupSeen,
    postEphemeral,
    replaceEphemeral,
    reportSeen,
    revokeToken,
    savePolicy,
    searchChannels,
    searchTokens,
} from './index';
import {FakeServer, FakeRequest, never} from './testing/fake_server';
import type {Inventory} from './types';
import {SEEN_IDS_PER_REQUEST} from '../engine/policy/limits';
import {DEFAULT_POLICY} from '../engine/policy/policy';

const SITE = 'http://mm.test';
const API = `${SITE}/api/v4`;
const PLUGIN = `/plugins/${PLUGIN_ID}/api/v1`;

// Mattermost-shaped ids: 26 chars of [a-z0-9].
function mmid(prefix: string, n: number): string {
    return prefix + String(n).padStart(26 - prefix.length, '0');
}

function rawToken(n: number, userN = n % 7, extra: Record<string, unknown> = {}) {
    return {id: mmid('t', n), user_id: mmid('u', userN), description: `token ${n}`, is_active: n % 5 !== 0, token: '', ...extra};
}

function user(n: number, extra: Record<string, unknown> = {}) {
    return {id: mmid('u', n), username: `user${n}`, email: `user${n}@x.test`, first_name: '', last_name: '', delete_at: 0, roles: 'system_user', ...extra};
}

let server: FakeServer;

function useApi(opts: ConstructorParameters<typeof Api>[0] = {}) {
    const api = new Api({baseURL: SITE, retry: {baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5}, ...opts});
    setApi(api);
    return api;
}

// Defaults for everything loadInventory touches; tests override single routes.
function standardRoutes(tokens: unknown[], users: Array<ReturnType<typeof user>>) {
    server.
        on('GET', '/api/v4/users/tokens', (req) => {
            const page = Number(req.query.get('page'));
            const per = Number(req.query.get('per_page'));
            return {body: tokens.slice(page * per, (page + 1) * per)};
        }).
        on('POST', '/api/v4/users/ids', (req) => ({body: users.filter((u) => (req.body as string[]).includes(u.id))})).
        on('GET', /^\/api\/v4\/users\/[a-z0-9]+\/sessions$/, {body: []}).
        on('GET', '/api/v4/config/client', {body: {EnableUserAccessTokens: 'true', SiteURL: SITE}}).
        on('POST', `${PLUGIN}/seen`, (req) => ({body: {tokens: Object.fromEntries((req.body as {token_ids: string[]}).token_ids.map((id) => [id, {first_seen: 1000, last_seen: 2000, removed_at: 0}])), removed: {}, kv_writes: 1}})).
        on('GET', `${PLUGIN}/policy`, {body: DEFAULT_POLICY}).
        on('GET', `${PLUGIN}/views`, {body: {views: [], last_reviewed_at: 0}});
}

beforeEach(() => {
    server = new FakeServer().install();
    useApi();
    document.cookie = 'MMCSRF=csrf-token-value';
});

afterEach(() => {
    server.uninstall();
    setApi(undefined);
    jest.useRealTimers();
});

describe('loadInventory', () => {
    test('pages until a short page, and reads again when pages overlapped, keeping each token once', async () => {
        const all = Array.from({length: 360}, (_, i) => rawToken(i));
        const overlapping = [all.slice(0, 200), all.slice(150, 350), all.slice(350)];
        standardRoutes([], Array.from({length: 7}, (_, i) => user(i)));
        let passes = 0;

        // The first pass sees a token move between pages (as an unordered query may), the second a stable list.
        server.on('GET', '/api/v4/users/tokens', (req) => {
            const page = Number(req.query.get('page'));
            passes += page === 0 ? 1 : 0;
            return {body: passes === 1 ? overlapping[page] ?? [] : all.slice(page * 200, (page + 1) * 200)};
        });

        const inv = await loadInventory();

        expect(inv.tokens).toHaveLength(360);
        expect(new Set(inv.tokens.map((t) => t.id)).size).toBe(360);
        const listCalls = server.callsTo('GET', '/api/v4/users/tokens');
        expect(listCalls.every((c) => c.query.get('per_page') === '200')).toBe(true);
        expect(listCalls.filter((c) => c.query.get('page') === '0')).toHaveLength(2);
        expect(inv.tokens.every((t) => !('token' in t))).toBe(true);

        // The registry is told the full set, as complete.
        const seen = server.callsTo('POST', `${PLUGIN}/seen`);
        expect(seen).toHaveLength(1);
        expect((seen[0].body as {complete: boolean; token_ids: string[]}).complete).toBe(true);
        expect((seen[0].body as {token_ids: string[]}).token_ids).toHaveLength(360);
    });

    test('a listing that overlaps on every pass keeps every token but does not claim completeness', async () => {
        const all = Array.from({length: 360}, (_, i) => rawToken(i));
        const overlapping = [all.slice(0, 200), all.slice(150, 350), all.slice(350)];
        standardRoutes([], Array.from({length: 7}, (_, i) => user(i)));
        server.on('GET', '/api/v4/users/tokens', (req) => ({body: overlapping[Number(req.query.get('page'))] ?? []}));

        const inv = await loadInventory();

        expect(inv.tokens).toHaveLength(360);
        expect(server.callsTo('GET', '/api/v4/users/tokens').filter((c) => c.query.get('page') === '0')).toHaveLength(3);
        expect((server.callsTo('POST', `${PLUGIN}/seen`)[0].body as {complete: boolean}).complete).toBe(false);
    });

    test('reads pages side by side: many are in flight at once', async () => {
        const all = Array.from({length: 2000}, (_, i) => rawToken(i));
        standardRoutes(all, Array.from({length: 7}, (_, i) => user(i)));
        // After the first page, no page is answered until six are asked for at once (a listing read
        // one page at a time would never finish), and never more than six are.
        let inFlight = 0;
        let most = 0;
        let releaseAll: () => void = () => undefined;
        const sixAsked = new Promise<void>((resolve) => {
            releaseAll = resolve;
        });
        server.on('GET', '/api/v4/users/tokens', async (req) => {
            const page = Number(req.query.get('page'));
            if (page > 0) {
                inFlight++;
                most = Math.max(most, inFlight);
                if (inFlight === 6) {
                    releaseAll();
                }
                await sixAsked;
                inFlight--;
            }
            return {body: all.slice(page * 200, (page + 1) * 200)};
        });

        const inv = await loadInventory();

        expect(inv.tokens).toHaveLength(2000);
        expect(most).toBe(6);
        expect((server.callsTo('POST', `${PLUGIN}/seen`)[0].body as {complete: boolean}).complete).toBe(true);
    });

    test('offers what has arrived as token pages come in: the tokens so far and the owners read yet', async () => {
        const users = Array.from({length: 300}, (_, i) => user(i));
        const all = users.map((_, i) => rawToken(i, i)).concat(users.map((_, i) => rawToken(300 + i, i)));
        standardRoutes(all, users);
        const sizes: number[] = [];
        let last: Inventory | undefined;

        const inv = await loadInventory({onPartial: (snapshot) => {
            last = snapshot();
            sizes.push(last.tokens.length);
            expect(new Set(last.tokens.map((t) => t.id)).size).toBe(last.tokens.length);
            expect(last.seen).toEqual({});
        }});

        expect(sizes[0]).toBe(200);
        expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
        expect(sizes[sizes.length - 1]).toBe(600);
        expect(inv.tokens).toHaveLength(600);
        expect(Object.keys(last!.owners).length).toBeLessThanOrEqual(300);
        expect(Object.values(last!.owners).every((o) => users.some((u) => u.id === o.id))).toBe(true);
    });

    test('stops paging a server that ignores `page`, and then does not claim completeness', async () => {
        const page = Array.from({length: 200}, (_, i) => rawToken(i));
        standardRoutes([], []);
        server.on('GET', '/api/v4/users/tokens', {body: page});
        const inv = await loadInventory();
        expect(inv.tokens).toHaveLength(200);

        // Each of the three passes gives up after the page its tokens fill, three more and a window of six.
        expect(server.callsTo('GET', '/api/v4/users/tokens').length).toBeLessThanOrEqual(3 * 10);
        expect((server.callsTo('POST', `${PLUGIN}/seen`)[0].body as {complete: boolean}).complete).toBe(false);
    });

    test('joins owners in batches of 200, usage from token sessions, seen, policy, views and features', async () => {
        const users = Array.from({length: 250}, (_, i) => user(i, {
            is_bot: i === 1,
            delete_at: i === 2 ? 5 : 0,
            roles: i === 3 ? 'system_user system_admin' : 'system_user',
        }));
        const tokens = users.map((_, i) => rawToken(i, i));
        standardRoutes(tokens, users);
        server.on('GET', `/api/v4/users/${mmid('u', 4)}/sessions`, {body: [
            {id: 's1', create_at: 100, last_activity_at: 500, props: {type: 'UserAccessToken', user_access_token_id: mmid('t', 4)}, token: 'secret'},
            {id: 's2', create_at: 50, last_activity_at: 300, props: {type: 'UserAccessToken', user_access_token_id: mmid('t', 4)}},
            {id: 's3', create_at: 10, last_activity_at: 9000, props: {}},
        ]});
        server.on('GET', `${PLUGIN}/views`, {body: {views: [], last_reviewed_at: 77}});

        const inv = await loadInventory();

        const batches = server.callsTo('POST', '/api/v4/users/ids').map((c) => (c.body as string[]).length);
        expect(batches.sort((a, b) => a - b)).toEqual([50, 200]);
        expect(Object.keys(inv.owners)).toHaveLength(250);
        expect(inv.owners[mmid('u', 1)].bot).toBe(true);
        expect(inv.owners[mmid('u', 2)].deactivated).toBe(true);
        expect(inv.owners[mmid('u', 3)].system_admin).toBe(true);
        expect(inv.owners[mmid('u', 0)]).toMatchObject({bot: false, deactivated: false, system_admin: false});
        expect(inv.usage).toEqual({[mmid('t', 4)]: {first_active: 50, last_active: 500}});
        expect(server.callsTo('GET', /\/sessions$/)).toHaveLength(250);
        expect(inv.seen[mmid('t', 0)]).toEqual({first_seen: 1000, last_seen: 2000, removed_at: 0});
        expect(inv.views.last_reviewed_at).toBe(77);
        expect(inv.policy).toEqual(DEFAULT_POLICY);
        expect(inv.policyIsDefault).toBe(false);
        expect(inv.features).toEqual({tokensEnabled: true, expirySupported: false});
        expect(inv.failures).toEqual([]);
        expect(inv.requests).toBe(server.calls.length);
    });

    test('reads usage from the plugin in one request when it can, for the listed tokens only', async () => {
        const users = Array.from({length: 30}, (_, i) => user(i));
        standardRoutes(users.map((_, i) => rawToken(i, i)), users);
        server.on('GET', `${PLUGIN}/usage`, {body: {usage: {
            [mmid('t', 4)]: {first_active: 50, last_active: 500},
            [mmid('t', 99)]: {first_active: 1, last_active: 2},
        }}});

        const inv = await loadInventory();

        expect(inv.usage).toEqual({[mmid('t', 4)]: {first_active: 50, last_active: 500}});
        expect(inv.usageUnknown).toEqual([]);
        expect(inv.failures).toEqual([]);
        expect(server.callsTo('GET', /\/sessions$/)).toHaveLength(0);
        expect(inv.requests).toBe(server.calls.length);
    });

    test('reads each owner\'s sessions when the plugin cannot read them (501)', async () => {
        const users = Array.from({length: 3}, (_, i) => user(i));
        standardRoutes(users.map((_, i) => rawToken(i, i)), users);
        server.on('GET', `${PLUGIN}/usage`, {status: 501, body: {error: 'usage_unavailable', detail: 'unknown schema'}});
        server.on('GET', `/api/v4/users/${mmid('u', 1)}/sessions`, {body: [
            {create_at: 10, last_activity_at: 20, props: {type: 'UserAccessToken', user_access_token_id: mmid('t', 1)}},
        ]});

        const inv = await loadInventory();

        expect(inv.usage).toEqual({[mmid('t', 1)]: {first_active: 10, last_active: 20}});
        expect(inv.failures).toEqual([]);
        expect(server.callsTo('GET', `${PLUGIN}/usage`)).toHaveLength(1);
        expect(server.callsTo('GET', /\/sessions$/)).toHaveLength(3);
    });

    test('keeps what loaded when some owners\' sessions, the registry and the policy fail', async () => {
        useApi({retry: {retries: 1, baseDelayMs: 1, maxDelayMs: 1, random: () => 0}});
        const users = Array.from({length: 5}, (_, i) => user(i));
        standardRoutes(users.map((_, i) => rawToken(i, i)), users);
        for (const n of [1, 3]) {
            server.on('GET', `/api/v4/users/${mmid('u', n)}/sessions`, {status: 500, body: {id: 'app.session.get.app_error', message: 'db down'}});
        }
        server.on('POST', `${PLUGIN}/seen`, {status: 503, body: 'unavailable'});
        server.on('GET', `${PLUGIN}/policy`, {status: 500, body: {error: 'kv', detail: 'KV store failed'}});

        const inv = await loadInventory();

        expect(inv.tokens).toHaveLength(5);
        expect(Object.keys(inv.owners)).toHaveLength(5);
        expect(inv.usageUnknown.sort()).toEqual([mmid('u', 1), mmid('u', 3)]);
        expect(inv.policyIsDefault).toBe(true);
        expect(inv.policy).toEqual(DEFAULT_POLICY);
        expect(inv.seen).toEqual({});
        const parts = inv.failures.map((f) => [f.part, f.status, f.message, f.ids.length]).sort();
        expect(parts).toEqual([
            ['policy', 500, 'KV store failed', 0],
            ['seen', 503, 'unavailable', 0],
            ['usage', 500, 'db down', 2],
        ]);

        // Each failed read was tried twice (retries: 1).
        expect(server.callsTo('GET', `/api/v4/users/${mmid('u', 1)}/sessions`)).toHaveLength(2);
    });

    test('fails as a whole when the token list cannot be read (not an admin)', async () => {
        standardRoutes([], []);
        server.on('GET', '/api/v4/users/tokens', {status: 403, body: {id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.'}});
        await expect(loadInventory()).rejects.toMatchObject({status: 403, retryable: false, code: 'api.context.permissions.app_error'});
        expect(server.callsTo('GET', '/api/v4/users/tokens')).toHaveLength(1);
    });

    test('feature detection: tokens disabled in the store config, expiry from a token field', async () => {
        const state = {entities: {general: {config: {SiteURL: SITE, EnableUserAccessTokens: 'false'}}}};
        useApi({baseURL: undefined, getState: () => state});
        standardRoutes([rawToken(1, 1, {expires_at: 0})], [user(1)]);
        const inv = await loadInventory();
        expect(inv.features).toEqual({tokensEnabled: false, expirySupported: true});
        expect(inv.tokens[0].expires_at).toBe(0);
        expect(server.callsTo('GET', '/api/v4/config/client')).toHaveLength(0);
    });

    test('feature detection: lifetime setting in the client config means expiry is supported', async () => {
        standardRoutes([rawToken(1, 1)], [user(1)]);
        server.on('GET', '/api/v4/config/client', {body: {EnableUserAccessTokens: 'true', MaximumPersonalAccessTokenLifetimeDays: '30'}});
        const inv = await loadInventory();
        expect(inv.features).toEqual({tokensEnabled: true, expirySupported: true, maxLifetimeDays: 30});
    });

    test('reports progress per phase', async () => {
        standardRoutes([rawToken(1, 1), rawToken(2, 2)], [user(1), user(2)]);
        const phases: string[] = [];
        await loadInventory({onProgress: (p) => phases.push(`${p.phase}:${p.done}/${p.total}`)});
        expect(phases).toEqual(expect.arrayContaining(['tokens:2/2', 'owners:1/1', 'usage:2/2', 'seen:1/1', 'preferences:1/1']));
    });

    test('cancellation stops further requests and rejects', async () => {
        const users = Array.from({length: 40}, (_, i) => user(i));
        standardRoutes(users.map((_, i) => rawToken(i, i)), users);
        const controller = new AbortController();
        let sessionCalls = 0;
        server.on('GET', /\/sessions$/, () => {
            sessionCalls++;
            if (sessionCalls === 3) {
                controller.abort();
            }
            return never();
        });

        await expect(loadInventory({signal: controller.signal})).rejects.toMatchObject({code: 'aborted'});
        const after = server.calls.length;
        await new Promise((r) => setTimeout(r, 20));
        expect(server.calls.length).toBe(after);

        // Only what was in flight at the abort, never the remaining owners.
        expect(server.callsTo('GET', /\/sessions$/).length).toBeLessThanOrEqual(6);
    });
});

describe('retries', () => {
    test('429 is retried after Retry-After, then succeeds', async () => {
        jest.useFakeTimers();
        useApi({retry: {baseDelayMs: 10, maxDelayMs: 100, random: () => 0}});
        let n = 0;
        server.on('GET', `${PLUGIN}/policy`, () => (++n === 1 ? {status: 429, body: 'limit exceeded', headers: {'Retry-After': '2'}} : {body: DEFAULT_POLICY}));

        const p = getPolicy();
        await jest.advanceTimersByTimeAsync(1999);
        expect(server.calls).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(1);
        await expect(p).resolves.toEqual(DEFAULT_POLICY);
        expect(server.calls).toHaveLength(2);
    });

    test('5xx and network failures are retried with exponential backoff for reads', async () => {
        jest.useFakeTimers();
        useApi({retry: {baseDelayMs: 100, maxDelayMs: 10000, random: () => 0.999}});
        let n = 0;
        const at: number[] = [];
        server.on('GET', /\/tokens\/[a-z0-9]+$/, () => {
            at.push(Date.now());
            n++;
            if (n === 2) {
                throw new TypeError('Failed to fetch');
            }
            return n < 4 ? {status: 502, body: 'bad gateway'} : {body: rawToken(1)};
        });
        const p = getToken(mmid('t', 1));
        await jest.advanceTimersByTimeAsync(5000);
        await expect(p).resolves.toMatchObject({id: mmid('t', 1)});
        const gaps = at.slice(1).map((t, i) => t - at[i]);

        // Full jitter below a cap that doubles: ~100, ~200, ~400.
        expect(gaps).toEqual([99, 199, 399]);
    });

    test('gives up after the configured retries with the last error', async () => {
        useApi({retry: {retries: 2, baseDelayMs: 1, maxDelayMs: 1, random: () => 0}});
        server.on('GET', `${PLUGIN}/views`, {status: 503, body: {error: 'unavailable', detail: 'try later'}});
        await expect(getViews()).rejects.toMatchObject({status: 503, code: 'unavailable', detail: 'try later', retryable: true});
        expect(server.calls).toHaveLength(3);
    });

    test.each([
        ['revoke', revokeToken],
        ['disable', disableToken],
    ])('%s is never retried, even on 503', async (action, fn) => {
        server.on('POST', `/api/v4/users/tokens/${action}`, {status: 503, body: {id: 'x', message: 'overloaded'}});
        await expect(fn(mmid('t', 1))).rejects.toMatchObject({status: 503, detail: 'overloaded'});
        expect(server.calls).toHaveLength(1);
        expect(server.calls[0].body).toEqual({token_id: mmid('t', 1)});
    });

    test('4xx reads are not retried', async () => {
        server.on('GET', `${PLUGIN}/trail`, {status: 400, body: {error: 'bad_query', detail: 'limit must be 1..200'}});
        await expect(getTrail({limit: 500})).rejects.toMatchObject({status: 400, retryable: false, message: 'limit must be 1..200'});
        expect(server.calls).toHaveLength(1);
        expect(server.calls[0].query.get('limit')).toBe('500');
    });
});

describe('requests', () => {
    function header(req: FakeRequest, name: string): string | undefined {
        const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
        return key ? req.headers[key] : undefined;
    }

    test('plugin POSTs carry the CSRF token and X-Requested-With; GETs no CSRF', async () => {
        server.on('POST', `${PLUGIN}/seen/lookup`, {body: {tokens: {}}});
        server.on('GET', `${PLUGIN}/policy`, {body: DEFAULT_POLICY});
        await lookupSeen([mmid('t', 1)]);
        await getPolicy();
        const [post, get] = server.calls;
        expect(post.url).toBe(`${SITE}${PLUGIN}/seen/lookup`);
        expect(header(post, 'X-CSRF-Token')).toBe('csrf-token-value');
        expect(header(post, 'X-Requested-With')).toBe('XMLHttpRequest');
        expect(header(post, 'Content-Type')).toBe('application/json');
        expect(header(get, 'X-CSRF-Token')).toBeUndefined();
        expect(header(get, 'Authorization')).toBeUndefined();
    });

    describe.each([
        ['at the root', undefined, ''],
        ['under a subpath', '/mattermost', '/mattermost'],
        ['under a subpath with a trailing slash', '/mattermost/', '/mattermost'],
    ])('requests go where the page is, %s, never to SiteURL', (_where, basename, path) => {
        afterEach(() => {
            delete window.basename;
        });

        test('REST and plugin calls', async () => {
            window.basename = basename;
            server.on('GET', /policy$/, {body: DEFAULT_POLICY}).on('GET', /\/users\/tokens\/[a-z0-9]+$/, {body: rawToken(1)});
            useApi({baseURL: undefined, getState: () => ({entities: {general: {config: {SiteURL: 'http://public-name.example.com/chat'}}}})});
            await getPolicy();
            await getToken(mmid('t', 1));
            expect(server.calls.map((c) => c.url)).toEqual([
                `${window.location.origin}${path}${PLUGIN}/policy`,
                `${window.location.origin}${path}/api/v4/users/tokens/${mmid('t', 1)}`,
            ]);
            expect(pageBaseURL()).toBe(`${window.location.origin}${path}`);
        });

        test('links that leave the page use SiteURL, else the page address', () => {
            window.basename = basename;
            expect(siteURLFromState({entities: {general: {config: {SiteURL: 'http://public-name.example.com/chat/'}}}})).toBe('http://public-name.example.com/chat');
            expect(siteURLFromState({entities: {general: {config: {SiteURL: ''}}}})).toBe(`${window.location.origin}${path}`);
            expect(siteURLFromState(undefined)).toBe(`${window.location.origin}${path}`);
        });
    });

    test('savePolicy returns the current policy on a version conflict', async () => {
        const current = {...DEFAULT_POLICY, version: 4};
        server.on('PUT', `${PLUGIN}/policy`, (req) => ((req.body as {version: number}).version === 4 ?
            {body: {...current, version: 5}} :
            {status: 409, body: {error: 'conflict', detail: 'changed meanwhile', current}}));
        const input = {version: 3, stale_after_days: 30, expiring_within_days: 7, findings: {}, exemptions: []};
        await expect(savePolicy(input)).resolves.toEqual({ok: false, conflict: true, current});
        await expect(savePolicy({...input, version: 4})).resolves.toEqual({ok: true, policy: {...current, version: 5}});
    });

    test('searchTokens posts the term to the core search route and drops secrets', async () => {
        server.on('POST', '/api/v4/users/tokens/search', {body: [rawToken(1, 1, {token: 'should-not-survive'}), rawToken(1, 1)]});
        const found = await searchTokens('user1');
        expect(server.calls[0].url).toBe(`${API}/users/tokens/search`);
        expect(server.calls[0].body).toEqual({term: 'user1'});
        expect(found).toEqual([{id: mmid('t', 1), user_id: mmid('u', 1), description: 'token 1', is_active: true}]);
    });

    test('searchChannels asks the System Console search for one page, by name or id, and keeps only what the picker shows', async () => {
        const channel = {id: mmid('c', 1), name: 'security', display_name: 'Security', team_display_name: 'Audit', team_name: 'audit', header: 'h', type: 'O'};
        server.on('POST', '/api/v4/channels/search', {body: {channels: [channel, {id: '', name: 'broken'}], total_count: 2}});
        await expect(searchChannels('sec')).resolves.toEqual([{id: mmid('c', 1), name: 'security', display_name: 'Security', team_display_name: 'Audit'}]);
        expect(server.calls[0].query.get('system_console')).toBe('true');
        expect(server.calls[0].body).toEqual({term: 'sec', include_search_by_id: true, page: 0, per_page: CHANNELS_PER_SEARCH});
    });

    test('getChannel finds a channel by its id through the same search, and answers undefined when none has it', async () => {
        const channel = {id: mmid('c', 1), name: 'ops', display_name: '', team_display_name: 'Audit'};
        server.on('POST', '/api/v4/channels/search', (req) => ({body: {channels: (req.body as {term: string}).term === mmid('c', 1) ? [channel] : [], total_count: 1}}));
        await expect(getChannel(mmid('c', 1))).resolves.toEqual({id: mmid('c', 1), name: 'ops', display_name: 'ops', team_display_name: 'Audit'});
        await expect(getChannel(mmid('c', 2))).resolves.toBeUndefined();
        server.on('POST', '/api/v4/channels/search', {status: 403, body: {message: 'no'}});
        await expect(getChannel(mmid('c', 1))).rejects.toMatchObject({status: 403});
    });

    test('getUserByUsername accepts @name and answers undefined for an unknown user', async () => {
        server.on('GET', '/api/v4/users/username/alice', {body: user(1, {username: 'alice', is_bot: true})});
        await expect(getUserByUsername('@alice')).resolves.toMatchObject({username: 'alice', bot: true});
        await expect(getUserByUsername('nobody')).resolves.toBeUndefined();
    });

    test('reportSeen splits a large scan into id-ordered parts of at most SEEN_IDS_PER_REQUEST, each naming the stretch it covers', async () => {
        const n = SEEN_IDS_PER_REQUEST;
        const ids = Array.from({length: 2.5 * n}, (_, i) => mmid('t', (i * 7919) % (2.5 * n)));
        server.on('POST', `${PLUGIN}/seen`, (req) => {
            const body = req.body as {token_ids: string[]};
            const first = body.token_ids[0];
            return {body: {tokens: {[first]: {first_seen: 1, last_seen: 2, removed_at: 0}}, removed: {[`gone-${first}`]: {first_seen: 1, last_seen: 2, removed_at: 3}}, kv_writes: 16}};
        });

        const report = await reportSeen([...ids, ids[0]], true);

        const bodies = server.callsTo('POST', `${PLUGIN}/seen`).map((c) => c.body as {token_ids: string[]; complete: boolean; after?: string; through?: string});
        expect(bodies.map((b) => b.token_ids.length)).toEqual([n, n, n / 2]);
        const sent = bodies.flatMap((b) => b.token_ids);
        expect(sent).toEqual([...new Set(ids)].sort());
        expect(bodies.map(({after, through, complete}) => ({after, through, complete}))).toEqual([
            {after: undefined, through: sent[n - 1], complete: true},
            {after: sent[n - 1], through: sent[2 * n - 1], complete: true},
            {after: sent[2 * n - 1], through: undefined, complete: true},
        ]);
        expect(Object.keys(report.tokens)).toEqual([sent[0], sent[n], sent[2 * n]]);
        expect(Object.keys(report.removed)).toHaveLength(3);
    });

    test('an incomplete scan and a lookup are split too, without stretches', async () => {
        const n = SEEN_IDS_PER_REQUEST;
        const ids = Array.from({length: n + 1}, (_, i) => mmid('t', i));
        server.on('POST', `${PLUGIN}/seen`, {body: {tokens: {}, removed: {}, kv_writes: 0}});
        server.on('POST', `${PLUGIN}/seen/lookup`, (req) => ({body: {tokens: {[(req.body as {token_ids: string[]}).token_ids[0]]: {first_seen: 1, last_seen: 2, removed_at: 0}}}}));

        await reportSeen(ids, false);
        const found = await lookupSeen(ids);

        expect(server.callsTo('POST', `${PLUGIN}/seen`).map((c) => c.body)).toEqual([
            {token_ids: ids.slice(0, n), complete: false},
            {token_ids: ids.slice(n), complete: false},
        ]);
        expect(server.callsTo('POST', `${PLUGIN}/seen/lookup`).map((c) => (c.body as {token_ids: string[]}).token_ids.length)).toEqual([n, 1]);
        expect(Object.keys(found)).toEqual([ids[0], ids[n]]);
    });

    test('reads GET /usage page by page, each after the previous page\'s next', async () => {
        const users = Array.from({length: 3}, (_, i) => user(i));
        standardRoutes(users.map((_, i) => rawToken(i, i)), users);
        server.on('GET', `${PLUGIN}/usage`, (req) => (req.query.get('after') === mmid('t', 0) ?
            {body: {usage: {[mmid('t', 2)]: {first_active: 5, last_active: 6}}, next: ''}} :
            {body: {usage: {[mmid('t', 0)]: {first_active: 1, last_active: 2}}, next: mmid('t', 0)}}));

        const inv = await loadInventory();

        expect(server.callsTo('GET', `${PLUGIN}/usage`).map((c) => c.query.get('after'))).toEqual([null, mmid('t', 0)]);
        expect(inv.usage).toEqual({[mmid('t', 0)]: {first_active: 1, last_active: 2}, [mmid('t', 2)]: {first_active: 5, last_active: 6}});
        expect(server.callsTo('GET', /\/sessions$/)).toHaveLength(0);
    });

    test('reportSeen, postEphemeral and replaceEphemeral send the contract bodies', async () => {
        server.on('POST', `${PLUGIN}/seen`, {body: {tokens: {}, removed: {a: {first_seen: 1, last_seen: 2, removed_at: 3}}, kv_writes: 0}});
        server.on('POST', `${PLUGIN}/ephemeral`, {status: 201, body: {id: mmid('p', 1)}});
        server.on('PUT', `${PLUGIN}/ephemeral/${mmid('p', 1)}`, {status: 204});
        await expect(reportSeen(['a'], true)).resolves.toEqual({tokens: {}, removed: {a: {first_seen: 1, last_seen: 2, removed_at: 3}}});
        await expect(postEphemeral({channelId: mmid('c', 1)}, 'hi')).resolves.toBe(mmid('p', 1));
        await expect(postEphemeral({channelId: mmid('c', 1), rootId: mmid('r', 1)}, 'in a thread')).resolves.toBe(mmid('p', 1));
        await expect(replaceEphemeral(mmid('p', 1), 'the answer')).resolves.toBeUndefined();
        expect(server.calls.map((c) => [c.method, c.body])).toEqual([
            ['POST', {token_ids: ['a'], complete: true}],
            ['POST', {channel_id: mmid('c', 1), message: 'hi'}],
            ['POST', {channel_id: mmid('c', 1), root_id: mmid('r', 1), message: 'in a thread'}],
            ['PUT', {message: 'the answer'}],
        ]);
    });

    test('a replacement whose answer was lost is sent again; a post is not', async () => {
        server.on('PUT', `${PLUGIN}/ephemeral/${mmid('p', 1)}`, (req) => (server.callsTo('PUT', req.path).length === 1 ? {status: 502} : {status: 204}));
        server.on('POST', `${PLUGIN}/ephemeral`, {status: 502});
        await expect(replaceEphemeral(mmid('p', 1), 'the answer')).resolves.toBeUndefined();
        await expect(postEphemeral({channelId: mmid('c', 1)}, 'hi')).rejects.toMatchObject({status: 502});
        expect(server.calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'POST']);
    });

    test('errors carry status, code and the server\'s words', async () => {
        server.on('GET', `${PLUGIN}/policy`, {status: 403, body: {error: 'forbidden', detail: 'Only system admins may use Token Audit.'}});
        const err = await getPolicy().catch((e) => e);
        expect(err).toBeInstanceOf(ApiError);
        expect(err).toMatchObject({status: 403, code: 'forbidden', detail: 'Only system admins may use Token Audit.', retryable: false});
        expect(err.message).toBe('Only system admins may use Token Audit.');
    });
});
test('the admin\'s locale comes from their profile, else the server default, else English', () => {
    const me = 'm'.repeat(26);
    const state = (locale?: string, fallback?: string) => ({entities: {users: {currentUserId: me, profiles: {[me]: {locale}}}, general: {config: {DefaultClientLocale: fallback}}}});
    expect(localeFromState(state('de', 'es'))).toBe('de');
    expect(localeFromState(state('', 'es'))).toBe('es');
    expect(localeFromState(state())).toBe('en');
    expect(localeFromState(undefined)).toBe('en');
});

