// Inventories for the console's component tests; the client module itself is mocked per test file.
import type {Inventory} from '../../../client';
import {DEFAULT_POLICY} from '../../../engine';
import type {Owner, Token} from '../../../engine';
import {DAY, NOW, owner, token} from '../../../engine/testing/fixtures';

export {DAY, mmid, NOW, owner, policy, token} from '../../../engine/testing/fixtures';

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
