import {DAY, NOW, owner, policy, token} from '../testing/fixtures';
import type {Seen, Usage} from '../types';

import {maxLifetimeWhatIf, policyWhatIf} from './whatif';

const alice = owner('alice');
const bob = owner('bob');
const carol = owner('carol', {system_admin: true});
const bot = owner('ci', {bot: true});
const owners = Object.fromEntries([alice, bob, carol, bot].map((o) => [o.id, o]));
const NO_EXPIRY = {tokensEnabled: true, expirySupported: false};
const WITH_EXPIRY = {tokensEnabled: true, expirySupported: true};

// Tokens last used the given number of days ago.
function usedDaysAgo(days: Record<string, number>): Record<string, Usage> {
    return Object.fromEntries(Object.entries(days).map(([id, d]) => [id, {first_active: NOW - (400 * DAY), last_active: NOW - (d * DAY)}]));
}

const tokens = [
    token('a1', alice), token('a2', alice), token('b1', bob), token('c1', carol), token('bot1', bot),
];
const [a1, a2, b1, c1, bot1] = tokens;
const usage = usedDaysAgo({[a1.id]: 40, [a2.id]: 100, [b1.id]: 60, [c1.id]: 10, [bot1.id]: 200});
const seen: Record<string, Seen> = {};
const facts = {tokens, owners, usage, seen, features: NO_EXPIRY, now: NOW, lastReviewedAt: 0};

test('a lower stale threshold: how many tokens of how many people become stale', () => {
    const out = policyWhatIf({...facts, saved: policy(), edited: policy({stale_after_days: 30})});
    expect(out.shifts).toEqual([
        {finding: 'stale', before: 2, after: 4, gained: 2, gained_owners: 2, lost: 0, lost_owners: 0},
    ]);
    expect(out.at_risk).toEqual({before: 3, after: 5});
});

test('a finding switched off, and an exemption added: what leaves each count', () => {
    const edited = policy({
        findings: {...policy().findings, owner_bot: false},
        exemptions: [{kind: 'user', id: alice.id, reason: 'r', added_by: '', added_at: 0}],
    });
    const out = policyWhatIf({...facts, saved: policy(), edited});
    expect(out.shifts).toEqual([
        {finding: 'owner_bot', before: 1, after: 0, gained: 0, gained_owners: 0, lost: 1, lost_owners: 1},
        {finding: 'stale', before: 2, after: 1, gained: 0, gained_owners: 0, lost: 1, lost_owners: 1},
        {finding: 'exempted', before: 0, after: 2, gained: 2, gained_owners: 1, lost: 0, lost_owners: 0},
    ]);
    expect(out.at_risk).toEqual({before: 3, after: 2});
});

test('an exemption that has ended changes nothing; no edit, no shift', () => {
    const ended = policy({exemptions: [{kind: 'token', id: a2.id, reason: 'r', added_by: '', added_at: 0, expires_at: NOW}]});
    expect(policyWhatIf({...facts, saved: policy(), edited: ended})).toEqual({shifts: [], at_risk: {before: 3, after: 3}});
});

describe('maximum lifetime', () => {
    test('without expiry on the server every active token of a person breaks it, bots excluded', () => {
        const all = [...tokens, token('off', bob, {is_active: false})];
        expect(maxLifetimeWhatIf({tokens: all, owners, features: NO_EXPIRY, now: NOW, days: 90})).toEqual({tokens: 4, owners: 3, expiry_supported: false});
    });

    test('with expiry, tokens that never expire or expire after now + days break it', () => {
        const withExpiry = [
            token('never', alice, {expires_at: 0}),
            token('in30', alice, {expires_at: NOW + 30 * DAY}),
            token('in200', bob, {expires_at: NOW + 200 * DAY}),
            token('botnever', bot, {expires_at: 0}),
        ];
        const at = (days: number) => maxLifetimeWhatIf({tokens: withExpiry, owners, features: WITH_EXPIRY, now: NOW, days});
        expect(at(90)).toEqual({tokens: 2, owners: 2, expiry_supported: true});
        expect(at(10)).toEqual({tokens: 3, owners: 2, expiry_supported: true});
        expect(at(365)).toEqual({tokens: 1, owners: 1, expiry_supported: true});
    });

    test('a token whose owner could not be read counts as a person\'s', () => {
        expect(maxLifetimeWhatIf({tokens: [token('x', owner('gone'))], owners: {}, features: NO_EXPIRY, now: NOW, days: 1}).tokens).toBe(1);
    });
});
