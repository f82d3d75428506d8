// Inventories for the console's component tests; the client module itself is mocked per test file.
import type {Inventory} from '../../client';
import {DEFAULT_POLICY} from '../../inventory';
import type {Owner, Policy, Token} from '../../inventory';

export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

// A valid 26-character Mattermost id that still reads as its name in failures.
export function mmid(name: string): string {
    return (name.toLowerCase().replace(/[^a-z0-9]/g, '') + 'z'.repeat(26)).slice(0, 26);
}

export function owner(username: string, extra: Partial<Owner> = {}): Owner {
    return {
        id: mmid(`u${username}`),
        username,
        email: `${username}@example.com`,
        first_name: '',
        last_name: '',
        deactivated: false,
        bot: false,
        system_admin: false,
        ...extra,
    };
}

export function token(name: string, o: Owner, extra: Partial<Token> = {}): Token {
    return {id: mmid(`t${name}`), user_id: o.id, description: name, is_active: true, ...extra};
}

export function inventory(tokens: Token[], owners: Owner[], extra: Partial<Inventory> = {}): Inventory {
    const seen = Object.fromEntries(tokens.map((t) => [t.id, {first_seen: NOW - (10 * DAY), last_seen: NOW, removed_at: 0}]));
    const usage = Object.fromEntries(tokens.map((t) => [t.id, {first_active: NOW - (5 * DAY), last_active: NOW - DAY}]));
    return {
        tokens,
        owners: Object.fromEntries(owners.map((o) => [o.id, o])),
        usage,
        usageUnknown: [],
        seen,
        removed: {},
        features: {tokensEnabled: true, expirySupported: false},
        policy: DEFAULT_POLICY,
        policyIsDefault: false,
        views: {views: [], last_reviewed_at: 0},
        loadedAt: NOW,
        requests: 1,
        failures: [],
        ...extra,
    };
}

export function policy(extra: Partial<Policy> = {}): Policy {
    return {...DEFAULT_POLICY, findings: {...DEFAULT_POLICY.findings}, exemptions: [], ...extra};
}

// alice (admin) has two tokens, bob one disabled, carol (bot) one.
export function smallInventory(extra: Partial<Inventory> = {}) {
    const alice = owner('alice', {system_admin: true});
    const bob = owner('bob');
    const carol = owner('carol', {bot: true});
    const tokens = [
        token('alice-ci', alice),
        token('alice-backup', alice),
        token('bob-old', bob, {is_active: false}),
        token('carol-bot', carol),
    ];
    return {alice, bob, carol, tokens, inv: inventory(tokens, [alice, bob, carol], extra)};
}

// Fails the test on any console.error (react-intl's missing message, React's act and key warnings).
export function failOnConsoleError(): void {
    let spy: jest.SpyInstance;
    beforeEach(() => {
        spy = jest.spyOn(console, 'error');
    });
    afterEach(() => {
        const calls = spy.mock.calls;
        spy.mockRestore();
        expect(calls).toEqual([]);
    });
}
