import {
    ALL_COLUMNS,
    buildRows,
    csvCell,
    DAY_MS,
    DEFAULT_POLICY,
    filterRows,
    isAtRisk,
    ownerKinds,
    pageRows,
    policyToInput,
    queryRows,
    riskScore,
    searchRows,
    sortByRisk,
    sortRows,
    summarize,
    toCSV,
    toJSON,
} from '..';
import type {Column, FindingName, Owner, Policy, Row, Seen, ServerFeatures, Token, Usage} from '..';

const NOW = Date.UTC(2025, 5, 1);
const WITH_EXPIRY: ServerFeatures = {tokensEnabled: true, expirySupported: true};
const NO_EXPIRY: ServerFeatures = {tokensEnabled: true, expirySupported: false};
const MAX_90: ServerFeatures = {tokensEnabled: true, expirySupported: true, maxLifetimeDays: 90};

function token(id: string, over: Partial<Token> = {}): Token {
    return {id, user_id: 'u-alice', description: `desc ${id}`, is_active: true, ...over};
}

function owner(id: string, over: Partial<Owner> = {}): Owner {
    return {id, username: id.replace(/^u-/, ''), email: `${id.replace(/^u-/, '')}@example.com`, first_name: '', last_name: '', deactivated: false, bot: false, system_admin: false, ...over};
}

const OWNERS: Record<string, Owner> = {
    'u-alice': owner('u-alice'),
    'u-root': owner('u-root', {system_admin: true}),
    'u-bot': owner('u-bot', {bot: true}),
    'u-gone': owner('u-gone', {deactivated: true}),
};

const recentUse: Usage = {first_active: NOW - (10 * DAY_MS), last_active: NOW - DAY_MS};
const seenLongAgo: Seen = {first_seen: NOW - (200 * DAY_MS), last_seen: NOW, removed_at: 0};

interface Case {
    name: string;
    token: Partial<Token>;
    usage?: Usage;
    seen?: Seen;
    policy?: Partial<Policy>;
    features?: ServerFeatures;
    reviewed?: number;
    usageUnknown?: boolean;
    want: FindingName[];
}

function findingsFor(c: Case): FindingName[] {
    const t = token('t1', c.token);
    const policy = {...DEFAULT_POLICY, ...c.policy};
    return buildRows({tokens: [t], owners: OWNERS, usage: c.usage ? {t1: c.usage} : {}, seen: c.seen ? {t1: c.seen} : {}, policy, features: c.features ?? WITH_EXPIRY, now: NOW, lastReviewedAt: c.reviewed ?? 0, usageUnknown: c.usageUnknown ? [t.user_id] : []})[0].findings;
}

const allOff = {owner_deactivated: false, owner_system_admin: false, owner_bot: false, never_expires: false, expiring_soon: false, stale: false, disabled: false};

describe('findings', () => {
    const cases: Case[] = [
        {name: 'a plain, used token with expiry far off', token: {expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, want: []},
        {name: 'owner deactivated', token: {user_id: 'u-gone', expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, want: ['owner_deactivated']},
        {name: 'owner is system admin', token: {user_id: 'u-root', expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, want: ['owner_system_admin']},
        {name: 'owner is a bot', token: {user_id: 'u-bot', expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, want: ['owner_bot']},
        {name: 'unknown owner gives no owner finding', token: {user_id: 'u-missing', expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, want: []},
        {name: 'never expires', token: {expires_at: 0}, usage: recentUse, want: ['never_expires']},
        {name: 'expiring within 14 days', token: {expires_at: NOW + (14 * DAY_MS)}, usage: recentUse, want: ['expiring_soon']},
        {name: 'expiring in 15 days is not soon', token: {expires_at: NOW + (15 * DAY_MS)}, usage: recentUse, want: []},
        {name: 'expiring_within_days from the policy', token: {expires_at: NOW + (20 * DAY_MS)}, usage: recentUse, policy: {expiring_within_days: 30}, want: ['expiring_soon']},
        {name: 'expired', token: {expires_at: NOW - 1}, usage: recentUse, want: ['expired']},
        {name: 'expired is always evaluated, even with every toggle off', token: {expires_at: NOW - 1, is_active: false}, policy: {findings: allOff}, want: ['expired']},
        {name: 'stale: last activity older than 90 days', token: {expires_at: NOW + DAY_MS * 100}, usage: {first_active: 0, last_active: NOW - (91 * DAY_MS)}, want: ['stale']},
        {name: 'not stale at 89 days', token: {expires_at: NOW + DAY_MS * 100}, usage: {first_active: 0, last_active: NOW - (89 * DAY_MS)}, want: []},
        {name: 'stale_after_days from the policy', token: {expires_at: NOW + DAY_MS * 100}, usage: {first_active: 0, last_active: NOW - (31 * DAY_MS)}, policy: {stale_after_days: 30}, want: ['stale']},
        {name: 'stale: never used and first seen 200 days ago', token: {expires_at: NOW + DAY_MS * 100}, seen: seenLongAgo, want: ['stale']},
        {name: 'not stale: never used but first seen yesterday', token: {expires_at: NOW + DAY_MS * 100}, seen: {first_seen: NOW - DAY_MS, last_seen: NOW, removed_at: 0}, want: []},
        {name: 'not stale: no usage and never seen (nothing to go on)', token: {expires_at: NOW + DAY_MS * 100}, want: []},
        {name: 'not stale: usage unknown because sessions failed to load', token: {expires_at: NOW + DAY_MS * 100}, seen: seenLongAgo, usageUnknown: true, want: []},
        {name: 'recent use beats an old first sighting', token: {expires_at: NOW + DAY_MS * 100}, seen: seenLongAgo, usage: recentUse, want: []},
        {name: 'disabled', token: {is_active: false, expires_at: NOW + DAY_MS * 100}, usage: recentUse, want: ['disabled']},
        {name: 'new: first seen after the last review', token: {expires_at: NOW + DAY_MS * 100}, usage: recentUse, seen: {first_seen: NOW - 1000, last_seen: NOW, removed_at: 0}, reviewed: NOW - 2000, want: ['new']},
        {name: 'not new: first seen before the last review', token: {expires_at: NOW + DAY_MS * 100}, usage: recentUse, seen: {first_seen: NOW - 3000, last_seen: NOW, removed_at: 0}, reviewed: NOW - 2000, want: []},
        {name: 'not new: never reviewed', token: {expires_at: NOW + DAY_MS * 100}, usage: recentUse, seen: {first_seen: NOW - 1000, last_seen: NOW, removed_at: 0}, reviewed: 0, want: []},
        {name: 'several at once, in canonical order', token: {user_id: 'u-root', is_active: false, expires_at: 0}, seen: seenLongAgo, want: ['owner_system_admin', 'never_expires', 'stale', 'disabled']},
        {name: 'policy toggles switch findings off', token: {user_id: 'u-root', is_active: false, expires_at: 0}, seen: seenLongAgo, policy: {findings: allOff}, want: []},
        {name: 'one toggle off leaves the others', token: {user_id: 'u-root', is_active: false, expires_at: 0}, seen: seenLongAgo, policy: {findings: {...allOff, stale: true}}, want: ['stale']},

        // A server without token expiry: no expiry field at all, no expiry finding, nothing breaks.
        {name: 'no expiry support: missing expires_at', token: {}, usage: recentUse, features: NO_EXPIRY, want: []},
        {name: 'no expiry support: a stray expires_at 0 is ignored', token: {expires_at: 0}, usage: recentUse, features: NO_EXPIRY, want: []},
        {name: 'no expiry support: a stray past expires_at is ignored', token: {expires_at: NOW - 1}, usage: recentUse, features: NO_EXPIRY, want: []},
        {name: 'no expiry support: other findings still work', token: {user_id: 'u-bot', is_active: false}, seen: seenLongAgo, features: NO_EXPIRY, want: ['owner_bot', 'stale', 'disabled']},
        {name: 'expiry supported but this token lacks the field', token: {}, usage: recentUse, want: []},

        // Core's non-compliance rule (11.10's non_compliant/count), with a 90-day maximum lifetime.
        {name: 'max lifetime: a token that never expires breaks it', token: {expires_at: 0}, usage: recentUse, features: MAX_90, want: ['never_expires', 'exceeds_max_lifetime']},
        {name: 'max lifetime: expiring after now + the limit breaks it', token: {expires_at: NOW + (91 * DAY_MS)}, usage: recentUse, features: MAX_90, want: ['exceeds_max_lifetime']},
        {name: 'max lifetime: expiring exactly at now + the limit is within it', token: {expires_at: NOW + (90 * DAY_MS)}, usage: recentUse, features: MAX_90, want: []},
        {name: 'max lifetime: an expired token does not break it', token: {expires_at: NOW - 1}, usage: recentUse, features: MAX_90, want: ['expired']},
        {name: 'max lifetime: bot tokens are exempt', token: {user_id: 'u-bot', expires_at: 0}, usage: recentUse, features: MAX_90, want: ['owner_bot', 'never_expires']},
        {name: 'max lifetime: disabled tokens are not counted', token: {is_active: false, expires_at: 0}, usage: recentUse, features: MAX_90, want: ['never_expires', 'disabled']},
        {name: 'max lifetime: deactivated owners still count', token: {user_id: 'u-gone', expires_at: NOW + (365 * DAY_MS)}, usage: recentUse, features: MAX_90, want: ['owner_deactivated', 'exceeds_max_lifetime']},
        {name: 'max lifetime: no limit set, no finding', token: {expires_at: 0}, usage: recentUse, features: {...MAX_90, maxLifetimeDays: 0}, want: ['never_expires']},
        {name: 'max lifetime: always evaluated, even with every toggle off', token: {expires_at: 0}, usage: recentUse, features: MAX_90, policy: {findings: allOff}, want: ['exceeds_max_lifetime']},
        {name: 'max lifetime: a server without expiry never raises it', token: {expires_at: 0}, usage: recentUse, features: {...NO_EXPIRY, maxLifetimeDays: 90}, want: []},
    ];

    test.each(cases)('$name', (c) => {
        expect(findingsFor(c)).toEqual(c.want);
    });
});

describe('exemptions', () => {
    const exempt = (kind: 'token' | 'user', id: string, reason = 'ok') => ({kind, id, reason, added_by: 'u-root', added_at: 1});
    const tokens = [token('t1', {user_id: 'u-root', expires_at: 0}), token('t2', {user_id: 'u-root', expires_at: 0}), token('t3', {user_id: 'u-bot', expires_at: 0})];

    test.each([
        ['a token exemption covers that token only', [exempt('token', 't1')], [true, false, false]],
        ['a user exemption covers all their tokens', [exempt('user', 'u-root')], [true, true, false]],
        ['no exemption', [], [false, false, false]],
        ['an exemption that has ended covers nothing', [{...exempt('user', 'u-root'), expires_at: NOW}], [false, false, false]],
        ['an exemption that ends later still covers', [{...exempt('user', 'u-root'), expires_at: NOW + 1}], [true, true, false]],
        ['an exemption with end 0 never ends', [{...exempt('token', 't2'), expires_at: 0}], [false, true, false]],
    ])('%s', (_name, exemptions, want) => {
        const rows = buildRows({tokens, owners: OWNERS, usage: {}, seen: {}, policy: {...DEFAULT_POLICY, exemptions}, features: WITH_EXPIRY, now: NOW, lastReviewedAt: 0});
        expect(rows.map((r) => r.findings.includes('exempted'))).toEqual(want);
    });

    test('a token whose own exemption ended falls back to its owner\'s', () => {
        const policy = {...DEFAULT_POLICY, exemptions: [{...exempt('token', 't1', 'migration'), expires_at: NOW - 1}, exempt('user', 'u-root', 'CI')]};
        const [row] = buildRows({tokens, owners: OWNERS, usage: {}, seen: {}, policy, features: WITH_EXPIRY, now: NOW, lastReviewedAt: 0});
        expect(row.exemption?.reason).toBe('CI');
    });

    test('an exempted row keeps its findings, names its exemption, scores 0 and leaves the risk counts', () => {
        const policy = {...DEFAULT_POLICY, exemptions: [exempt('user', 'u-root', 'CI'), exempt('token', 't1', 'deploy bot')]};
        const rows = buildRows({tokens, owners: OWNERS, usage: {}, seen: {}, policy, features: WITH_EXPIRY, now: NOW, lastReviewedAt: 0});
        expect(rows[0].findings).toEqual(['owner_system_admin', 'never_expires', 'exempted']);
        expect(rows[0].exemption?.reason).toBe('deploy bot');
        expect(rows[1].exemption?.reason).toBe('CI');
        expect(riskScore(rows[0])).toBe(0);
        expect(isAtRisk(rows[0])).toBe(false);
        const s = summarize(rows);
        expect(s.at_risk).toBe(1);
        expect(s.findings.exempted).toBe(2);
        expect(s.findings.owner_system_admin).toBe(0);
        expect(s.findings.never_expires).toBe(1);
        expect(s.findings.owner_bot).toBe(1);
    });
});

test('buildRows joins owner, usage and seen and never copies more than the token fields it got', () => {
    const t = {...token('t1', {user_id: 'u-bot'}), token: 'secret'} as Token;
    const [row] = buildRows({tokens: [t], owners: OWNERS, usage: {t1: recentUse}, seen: {t1: seenLongAgo}, policy: DEFAULT_POLICY, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0});
    expect(row.owner).toBe(OWNERS['u-bot']);
    expect(row.usage).toBe(recentUse);
    expect(row.seen).toBe(seenLongAgo);
    expect(JSON.parse(toJSON([row]))[0]).not.toHaveProperty('token');
    expect(toCSV([row])).not.toContain('secret');
});

test('buildRows does not fall for prototype keys', () => {
    const [row] = buildRows({tokens: [token('constructor', {user_id: '__proto__'})], owners: {}, usage: {}, seen: {}, policy: DEFAULT_POLICY, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0});
    expect(row.owner).toBeUndefined();
    expect(row.usage).toBeUndefined();
    expect(row.findings).toEqual([]);
});

// A small inventory used by the search/filter/sort/summary tests.
function sample(): Row[] {
    const tokens: Token[] = [
        token('tokenaaaa', {user_id: 'u-alice', description: 'CI deploy', expires_at: NOW + (5 * DAY_MS)}),
        token('tokenbbbb', {user_id: 'u-root', description: 'admin script', expires_at: 0}),
        token('tokencccc', {user_id: 'u-bot', description: 'Zapier', is_active: false, expires_at: NOW + (100 * DAY_MS)}),
        token('tokendddd', {user_id: 'u-gone', description: 'old laptop', expires_at: 0}),
        token('tokeneeee', {user_id: 'u-alice', description: 'ci DEPLOY 2', expires_at: NOW - DAY_MS}),
        token('tokenffff', {user_id: 'u-missing', description: ''}),
    ];
    const usage: Record<string, Usage> = {
        tokenaaaa: {first_active: NOW - (50 * DAY_MS), last_active: NOW - DAY_MS},
        tokenbbbb: {first_active: NOW - (300 * DAY_MS), last_active: NOW - (120 * DAY_MS)},
        tokeneeee: {first_active: NOW - (20 * DAY_MS), last_active: NOW - (2 * DAY_MS)},
    };
    const seen: Record<string, Seen> = {
        tokenaaaa: {first_seen: NOW - (60 * DAY_MS), last_seen: NOW, removed_at: 0},
        tokenbbbb: {first_seen: NOW - (400 * DAY_MS), last_seen: NOW, removed_at: 0},
        tokencccc: {first_seen: NOW - (10 * DAY_MS), last_seen: NOW, removed_at: 0},
        tokendddd: {first_seen: NOW - (200 * DAY_MS), last_seen: NOW, removed_at: 0},
        tokeneeee: {first_seen: NOW - (30 * DAY_MS), last_seen: NOW, removed_at: 0},
    };
    return buildRows({tokens, owners: OWNERS, usage, seen, policy: DEFAULT_POLICY, features: WITH_EXPIRY, now: NOW, lastReviewedAt: 0});
}

const ids = (rows: Row[]) => rows.map((r) => r.token.id.replace('token', ''));

describe('search', () => {
    test.each([
        ['', ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff']],
        ['   ', ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff']],
        ['deploy', ['aaaa', 'eeee']],
        ['DEPLOY', ['aaaa', 'eeee']],
        ['alice', ['aaaa', 'eeee']],
        ['@alice', ['aaaa', 'eeee']],
        ['bot@example', ['cccc']],
        ['tokendd', ['dddd']],
        ['u-missing', ['ffff']],
        ['zap', ['cccc']],
        ['nothing-like-this', []],
    ])('%p', (q, want) => {
        expect(ids(searchRows(sample(), q))).toEqual(want);
    });
});

test('search matches the text as shown: any whitespace is one space, invisible characters do not count', () => {
    const rows = buildRows({
        tokens: [token('tokenxxxx', {description: 'nbsp\u00A0here, line\none  two,\u3000zero\u200Bwidth'})],
        owners: OWNERS, usage: {}, seen: {}, policy: DEFAULT_POLICY, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0,
    });
    for (const typed of ['nbsp here', 'line one two', 'one\u00A0two', 'two, zerowidth', ' zero\u200Bwidth ']) {
        expect({typed, found: ids(searchRows(rows, typed))}).toEqual({typed, found: ['xxxx']});
    }
    expect(ids(searchRows(rows, 'nbsp  here,  line  one'))).toEqual(['xxxx']);
    expect(ids(searchRows(rows, 'here line'))).toEqual([]);
});

describe('filter', () => {
    test.each([
        [{}, ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff']],
        [{state: 'active' as const}, ['aaaa', 'bbbb', 'dddd', 'eeee', 'ffff']],
        [{state: 'inactive' as const}, ['cccc']],
        [{findings: ['never_expires' as const]}, ['bbbb', 'dddd']],
        [{findings: ['expired' as const, 'expiring_soon' as const]}, ['aaaa', 'eeee']],
        [{owner_kinds: ['bot' as const]}, ['cccc']],
        [{owner_kinds: ['admin' as const]}, ['bbbb']],
        [{owner_kinds: ['user' as const]}, ['aaaa', 'bbbb', 'dddd', 'eeee']],
        [{owner_kinds: ['deactivated' as const, 'bot' as const]}, ['cccc', 'dddd']],
        [{state: 'active' as const, findings: ['stale' as const], owner_kinds: ['admin' as const]}, ['bbbb']],
    ])('%j', (filters, want) => {
        expect(ids(filterRows(sample(), filters))).toEqual(want);
    });

    test('owner kinds overlap', () => {
        expect(ownerKinds(owner('x', {bot: true, deactivated: true}))).toEqual(['bot', 'deactivated']);
        expect(ownerKinds(owner('x', {system_admin: true}))).toEqual(['user', 'admin']);
        expect(ownerKinds(undefined)).toEqual([]);
    });
});

describe('sort', () => {
    const cases: Array<[Column, 'asc' | 'desc', string[]]> = [
        ['owner', 'asc', ['aaaa', 'eeee', 'cccc', 'dddd', 'bbbb', 'ffff']],
        ['owner', 'desc', ['bbbb', 'dddd', 'cccc', 'aaaa', 'eeee', 'ffff']],
        ['description', 'asc', ['ffff', 'bbbb', 'aaaa', 'eeee', 'dddd', 'cccc']],
        ['description', 'desc', ['cccc', 'dddd', 'eeee', 'aaaa', 'bbbb', 'ffff']],
        ['token_id', 'asc', ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff']],
        ['token_id', 'desc', ['ffff', 'eeee', 'dddd', 'cccc', 'bbbb', 'aaaa']],
        ['state', 'asc', ['aaaa', 'bbbb', 'dddd', 'eeee', 'ffff', 'cccc']],
        ['state', 'desc', ['cccc', 'aaaa', 'bbbb', 'dddd', 'eeee', 'ffff']],
        ['expires', 'asc', ['eeee', 'aaaa', 'cccc', 'bbbb', 'dddd', 'ffff']],
        ['expires', 'desc', ['bbbb', 'dddd', 'cccc', 'aaaa', 'eeee', 'ffff']],
        ['first_seen', 'asc', ['bbbb', 'dddd', 'aaaa', 'eeee', 'cccc', 'ffff']],
        ['first_seen', 'desc', ['cccc', 'eeee', 'aaaa', 'dddd', 'bbbb', 'ffff']],
        ['last_active', 'asc', ['bbbb', 'eeee', 'aaaa', 'cccc', 'dddd', 'ffff']],
        ['last_active', 'desc', ['aaaa', 'eeee', 'bbbb', 'cccc', 'dddd', 'ffff']],
    ];
    test.each(cases)('%s %s', (column, direction, want) => {
        expect(ids(sortRows(sample(), column, direction))).toEqual(want);
    });

    test('every column sorts, and missing values go last in both directions', () => {
        for (const column of ALL_COLUMNS) {
            for (const direction of ['asc', 'desc'] as const) {
                const sorted = sortRows(sample(), column, direction);
                expect(sorted).toHaveLength(6);
                if (column === 'owner' || column === 'expires' || column === 'first_seen') {
                    expect(ids(sorted).at(-1)).toBe('ffff');
                }
            }
        }
    });

    test('stable: ties keep input order in both directions', () => {
        const rows = sample();
        const reversed = rows.slice().reverse();
        expect(ids(sortRows(rows, 'state', 'asc')).slice(0, 5)).toEqual(['aaaa', 'bbbb', 'dddd', 'eeee', 'ffff']);
        expect(ids(sortRows(reversed, 'state', 'asc')).slice(0, 5)).toEqual(['ffff', 'eeee', 'dddd', 'bbbb', 'aaaa']);
        expect(ids(sortRows(reversed, 'state', 'desc')).slice(1)).toEqual(['ffff', 'eeee', 'dddd', 'bbbb', 'aaaa']);
    });

    // V8 reads a comparator's -0 as a tie; goja (server/engine) reads it as "less" and reverses the
    // ties of a descending sort, so the server listed equal-risk tokens in the opposite order.
    test('a tie compares as 0, never -0, in both directions', () => {
        const sort = Array.prototype.sort;
        const negativeZeros: string[] = [];
        const spy = jest.spyOn(Array.prototype, 'sort').mockImplementation(function <T>(this: T[], compare?: (a: T, b: T) => number) {
            return sort.call(this, compare && ((a: T, b: T) => {
                const result = compare(a, b);
                if (Object.is(result, -0)) {
                    negativeZeros.push(JSON.stringify([a, b]).slice(0, 80));
                }
                return result;
            }));
        });
        try {
            for (const column of ALL_COLUMNS) {
                sortRows(sample(), column, 'desc');
                sortRows(sample(), column, 'asc');
            }
        } finally {
            spy.mockRestore();
        }
        expect(negativeZeros).toEqual([]);
    });

    // Rows are grouped by key before sorting; many rows per owner, in an order that is not the ids'.
    test('many rows sharing keys: ordered by key, ties in input order, already sorted input kept', () => {
        const owners = Object.fromEntries(['u-zed', 'u-amy', 'u-kim'].map((id) => [id, owner(id)]));
        const rows = buildRows({
            tokens: Array.from({length: 300}, (_, i) => token(`t${String((i * 7) % 300).padStart(3, '0')}`, {user_id: ['u-zed', 'u-amy', 'u-kim', 'u-none'][i % 4]})),
            owners, usage: {}, seen: {}, policy: DEFAULT_POLICY, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0,
        });
        const byOwner = sortRows(rows, 'owner', 'asc');
        const names = byOwner.map((r) => r.owner?.username ?? '~none');
        expect(names).toEqual(names.slice().sort());
        for (const name of ['amy', 'kim', 'zed']) {
            const inInput = rows.filter((r) => r.owner?.username === name).map((r) => r.token.id);
            expect(byOwner.filter((r) => r.owner?.username === name).map((r) => r.token.id)).toEqual(inInput);
        }
        const byId = sortRows(rows, 'token_id', 'asc');
        expect(ids(byId)).toEqual(ids(rows).sort());
        expect(sortRows(byId, 'token_id', 'asc')).toEqual(byId);
        const lastOutOfPlace = [...byId.slice(1), byId[0]];
        expect(ids(sortRows(lastOutOfPlace, 'token_id', 'asc'))).toEqual(ids(byId));
        expect(ids(sortRows(byId, 'token_id', 'desc'))).toEqual(ids(byId).reverse());
    });

    test('does not mutate its input', () => {
        const rows = sample();
        const before = ids(rows);
        sortRows(rows, 'token_id', 'desc');
        expect(ids(rows)).toEqual(before);
    });

    test('riskiest first: the admin\'s stale never-expiring token leads, the expired one trails', () => {
        const sorted = ids(sortByRisk(sample()));
        expect(sorted[0]).toBe('bbbb');
        expect(sortRows(sample(), 'findings', 'desc').map((r) => r.token.id)).toEqual(sortByRisk(sample()).map((r) => r.token.id));
        const scores = sortByRisk(sample()).map(riskScore);
        expect(scores).toEqual(scores.slice().sort((a, b) => b - a));
    });
});

describe('riskScore', () => {
    const row = (findings: FindingName[], active = true): Row => ({token: token('t', {is_active: active}), findings});
    test.each([
        [[], true, 0],
        [['owner_system_admin'], true, 40],
        [['owner_system_admin', 'never_expires', 'stale'], true, 75],
        [['owner_system_admin', 'never_expires', 'stale', 'disabled'], false, 19],
        [['owner_system_admin', 'exempted'], true, 0],
        [['new'], true, 10],
    ] as Array<[FindingName[], boolean, number]>)('%j active=%s -> %i', (findings, active, want) => {
        expect(riskScore(row(findings, active))).toBe(want);
    });
});

describe('paging', () => {
    const rows = sample();
    test.each([
        [0, 4, ['aaaa', 'bbbb', 'cccc', 'dddd'], 0, 2],
        [1, 4, ['eeee', 'ffff'], 1, 2],
        [9, 4, ['eeee', 'ffff'], 1, 2],
        [-3, 4, ['aaaa', 'bbbb', 'cccc', 'dddd'], 0, 2],
        [0, 10, ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff'], 0, 1],
        [0, 0, ['aaaa'], 0, 6],
    ])('page %i size %i', (page, size, want, gotPage, pageCount) => {
        const p = pageRows(rows, page, size);
        expect(ids(p.rows)).toEqual(want);
        expect(p.page).toBe(gotPage);
        expect(p.pageCount).toBe(pageCount);
        expect(p.total).toBe(6);
    });

    test('an empty list is one empty page', () => {
        expect(pageRows([], 3, 50)).toEqual({rows: [], page: 0, pageCount: 1, total: 0});
    });
});

test('queryRows applies search, filter and sort like a saved view', () => {
    expect(ids(queryRows(sample(), {query: 'deploy', filters: {state: 'active'}, sort: {column: 'expires', direction: 'desc'}}))).toEqual(['aaaa', 'eeee']);
});

test('summarize counts totals, owners and findings', () => {
    const s = summarize(sample());
    expect(s).toMatchObject({total: 6, active: 5, inactive: 1, owners: 5});
    expect(s.findings).toEqual({
        owner_system_admin: 1, owner_deactivated: 1, owner_bot: 1, never_expires: 2, expired: 1, expiring_soon: 1,
        stale: 2, disabled: 1, new: 0, exempted: 0, exceeds_max_lifetime: 0,
    });
    expect(s.at_risk).toBe(5);
    expect(summarize([])).toMatchObject({total: 0, active: 0, inactive: 0, owners: 0, at_risk: 0});
});

describe('csvCell', () => {
    test.each([
        ['plain', 'plain'],
        ['', ''],
        ['a,b', '"a,b"'],
        ['say "hi"', '"say ""hi"""'],
        ['two\nlines', '"two\nlines"'],
        ['cr\rlf', '"cr\rlf"'],
        ['=1+2', '\'=1+2'],
        ['+1', '\'+1'],
        ['-1', '\'-1'],
        ['@SUM(A1)', '\'@SUM(A1)'],
        ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
        ['  =cmd', '\'  =cmd'],
        ['\tTAB', '\'\tTAB'],
        ['\rCR', '"\'\rCR"'],
        ['a=b', 'a=b'],
        [' padded ', '" padded "'],
    ])('%p', (input, want) => {
        expect(csvCell(input)).toBe(want);
    });
});

describe('export', () => {
    test('CSV: header, CRLF rows, ISO times, never for 0, blank for unknown, neutralised formulas', () => {
        const rows = buildRows({tokens: [
            token('t1', {user_id: 'u-root', description: '=cmd|"/c calc"!A1, evil', expires_at: 0}),
            token('t2', {user_id: 'u-missing', description: 'multi\nline'}),
        ], owners: OWNERS, usage: {t1: {first_active: Date.UTC(2025, 0, 2), last_active: Date.UTC(2025, 4, 30)}}, seen: {t1: seenLongAgo}, policy: DEFAULT_POLICY, features: WITH_EXPIRY, now: NOW, lastReviewedAt: 0});
        const csv = toCSV(rows);
        const lines = csv.split('\r\n');
        expect(lines[0]).toBe('token_id,description,state,user_id,username,email,owner_kinds,expires_at,first_seen,last_seen,first_active,last_active,findings,exemption_reason');
        expect(lines[1]).toBe(`t1,"'=cmd|""/c calc""!A1, evil",active,u-root,root,root@example.com,user;admin,never,${new Date(seenLongAgo.first_seen).toISOString()},${new Date(NOW).toISOString()},2025-01-02T00:00:00.000Z,2025-05-30T00:00:00.000Z,owner_system_admin;never_expires,`);
        expect(csv).toContain('t2,"multi\nline",active,u-missing,,,,,,,,,,');
        expect(csv.endsWith('\r\n')).toBe(true);
    });

    test('JSON: flat records with millisecond times and null for unknown', () => {
        const [rec] = JSON.parse(toJSON(buildRows({tokens: [token('t1', {user_id: 'u-bot'})], owners: OWNERS, usage: {}, seen: {}, policy: DEFAULT_POLICY, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0})));
        expect(rec).toEqual({
            token_id: 't1', description: 'desc t1', state: 'active', user_id: 'u-bot', username: 'bot', email: 'bot@example.com',
            owner_kinds: ['bot'], expires_at: null, first_seen: null, last_seen: null, first_active: null, last_active: null,
            findings: ['owner_bot'], exemption_reason: '',
        });
    });

    test('empty export is a header only / an empty array', () => {
        expect(toCSV([]).split('\r\n')).toHaveLength(2);
        expect(JSON.parse(toJSON([]))).toEqual([]);
    });
});

test('policyToInput sends only what PUT /policy accepts', () => {
    const policy: Policy = {...DEFAULT_POLICY, version: 2, exemptions: [{kind: 'user', id: 'u1', reason: 'r', added_by: 'x', added_at: 5}], updated_by: 'x', updated_at: 9};
    const input = policyToInput(policy);
    expect(input).toEqual({
        version: 2, stale_after_days: 90, expiring_within_days: 14, findings: DEFAULT_POLICY.findings,
        exemptions: [{kind: 'user', id: 'u1', reason: 'r'}],
        watch: DEFAULT_POLICY.watch,
    });

    // The watch preferences go as a copy the caller may change without touching the policy.
    input.watch!.alert_findings.push('stale');
    input.watch!.digest.hour_utc = 3;
    expect(DEFAULT_POLICY.watch.alert_findings).not.toContain('stale');
    expect(DEFAULT_POLICY.watch.digest.hour_utc).toBe(9);
});
