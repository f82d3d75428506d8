import {DAY_MS, exemptionActive} from '../policy/policy';
import type {Exemption, FindingName, Owner, Policy, Row, Seen, ServerFeatures, Token, Usage} from '../types';

// In the order an admin reads them: what a token can do, who holds it, when it ends, whether it is used.
export const ALL_FINDINGS: readonly FindingName[] = [
    'owner_system_admin', 'owner_deactivated', 'owner_bot', 'never_expires', 'exceeds_max_lifetime', 'expired',
    'expiring_soon', 'stale', 'disabled', 'new', 'exempted',
];

// Findings that make a token worth an admin's attention; `new` and `exempted` only inform.
export const RISK_FINDINGS: readonly FindingName[] = ALL_FINDINGS.filter((f) => f !== 'new' && f !== 'exempted');

// The findings that depend on token expiry, which a server without it never has.
export const EXPIRY_FINDINGS: readonly FindingName[] = ['never_expires', 'exceeds_max_lifetime', 'expiring_soon', 'expired'];

// The findings a token on this server can have, in ALL_FINDINGS order.
export function possibleFindings(features: Pick<ServerFeatures, 'expirySupported'>): FindingName[] {
    return ALL_FINDINGS.filter((f) => features.expirySupported || !EXPIRY_FINDINGS.includes(f));
}

// Everything a row is judged from. Owners, usage and first-seen records are keyed by user or token id.
export interface RowInput {
    tokens: readonly Token[];
    owners: Readonly<Record<string, Owner>>;
    usage: Readonly<Record<string, Usage>>;
    seen: Readonly<Record<string, Seen>>;
    policy: Policy;
    features: ServerFeatures;
    now: number;

    // When the reading admin last marked the inventory reviewed; 0 before the first review.
    lastReviewedAt: number;

    // Owner ids whose sessions could not be read.
    usageUnknown?: Iterable<string>;
}

// What one token is judged on.
export interface TokenFacts {
    token: Token;
    owner?: Owner;
    usage?: Usage;
    seen?: Seen;
    usageUnknown?: boolean;
    exempted?: boolean;
}

// Design choices worth knowing:
// - `new` needs a review to compare against: before the first "mark reviewed" (lastReviewedAt 0)
//   every token would be new, which says nothing, so none is.
// - `stale` with no session at all counts from first_seen (the plugin's earliest sighting) because
//   tokens carry no creation time; without either, or with usage unknown, we do not guess.
// - Expiry findings need a server that knows expiry and a token that carries expires_at.
// - `exceeds_max_lifetime` follows core's non-compliance rule (11.10's non_compliant/count): only
//   with a maximum lifetime set, only active tokens of non-bot owners, and only those that never
//   expire or expire later than now + the limit. An owner that could not be read is not a bot.
// - Exempted rows keep their findings (so the page can show what was waived) plus `exempted`.
export function buildRows(input: RowInput): Row[] {
    const unknown = new Set(input.usageUnknown ?? []);
    const exemptionOf = exemptionLookup(input.policy, input.now);
    return input.tokens.map((token) => {
        const owner = own(input.owners, token.user_id);
        const usage = own(input.usage, token.id);
        const seen = own(input.seen, token.id);
        const usageUnknown = !usage && unknown.has(token.user_id);
        const exemption = exemptionOf(token);
        const row: Row = {
            token,
            findings: evaluateFindings({token, owner, usage, seen, usageUnknown, exempted: Boolean(exemption)}, input),
        };
        if (owner) {
            row.owner = owner;
        }
        if (usage) {
            row.usage = usage;
        }
        if (seen) {
            row.seen = seen;
        }
        if (exemption) {
            row.exemption = exemption;
        }
        if (usageUnknown) {
            row.usage_unknown = true;
        }
        return row;
    });
}

// Checked in ALL_FINDINGS order, so the list needs no sorting: this runs for every token of every
// load, answer and scan.
export function evaluateFindings(facts: TokenFacts, judge: Pick<RowInput, 'policy' | 'features' | 'now' | 'lastReviewedAt'>): FindingName[] {
    const {token, owner, usage, seen} = facts;
    const {policy, features, now, lastReviewedAt} = judge;
    const on = policy.findings;
    const found: FindingName[] = [];
    if (owner?.system_admin && on.owner_system_admin) {
        found.push('owner_system_admin');
    }
    if (owner?.deactivated && on.owner_deactivated) {
        found.push('owner_deactivated');
    }
    if (owner?.bot && on.owner_bot) {
        found.push('owner_bot');
    }
    const expires = features.expirySupported && typeof token.expires_at === 'number' ? token.expires_at : undefined;
    if (expires === 0 && on.never_expires) {
        found.push('never_expires');
    }
    if (expires !== undefined && breaksMaxLifetime({token, owner, expires, maxLifetimeDays: features.maxLifetimeDays, now})) {
        found.push('exceeds_max_lifetime');
    }
    if (expires !== undefined && expires > 0) {
        if (expires < now) {
            found.push('expired');
        } else if (on.expiring_soon && expires - now <= policy.expiring_within_days * DAY_MS) {
            found.push('expiring_soon');
        }
    }
    if (on.stale && isStale({usage, seen, usageUnknown: facts.usageUnknown === true, staleMs: policy.stale_after_days * DAY_MS, now})) {
        found.push('stale');
    }
    if (!token.is_active && on.disabled) {
        found.push('disabled');
    }
    if (lastReviewedAt > 0 && seen && seen.first_seen > lastReviewedAt) {
        found.push('new');
    }
    if (facts.exempted) {
        found.push('exempted');
    }
    return found;
}

export interface LifetimeFacts {
    token: Token;
    owner?: Owner;

    // When the token expires; 0 for never.
    expires: number;
    maxLifetimeDays?: number;
    now: number;
}

// Core's non-compliance rule for MaximumPersonalAccessTokenLifetimeDays; bot tokens are exempt.
export function breaksMaxLifetime({token, owner, expires, maxLifetimeDays, now}: LifetimeFacts): boolean {
    const limitDays = maxLifetimeDays ?? 0;
    if (limitDays <= 0 || !token.is_active || owner?.bot) {
        return false;
    }
    return expires === 0 || expires > now + limitDays * DAY_MS;
}

interface ActivityFacts {
    usage?: Usage;
    seen?: Seen;
    usageUnknown: boolean;

    // How long without activity makes a token stale.
    staleMs: number;
    now: number;
}

function isStale({usage, seen, usageUnknown, staleMs, now}: ActivityFacts): boolean {
    if (usage) {
        return now - usage.last_active > staleMs;
    }
    if (usageUnknown || !seen || seen.first_seen <= 0) {
        return false;
    }
    return now - seen.first_seen > staleMs;
}

// A token exemption is more specific than its owner's, so it wins for display; the first in the
// policy wins among equals. An exemption that has ended does not count: the token is judged again.
// The lookup indexes the policy once, since it runs for every token of every load.
export function exemptionLookup(policy: Policy, now: number): (token: Token) => Exemption | undefined {
    const byToken = new Map<string, Exemption>();
    const byUser = new Map<string, Exemption>();
    for (const e of policy.exemptions) {
        const index = e.kind === 'token' ? byToken : byUser;
        if (exemptionActive(e, now) && !index.has(e.id)) {
            index.set(e.id, e);
        }
    }
    return (token) => byToken.get(token.id) ?? byUser.get(token.user_id);
}

// Weights order "riskiest first": what a stolen token could do (admin rights, no expiry), then
// signs nobody looks after it (stale, owner gone). A disabled token cannot be used as it stands.
const WEIGHTS: Readonly<Record<FindingName, number>> = {
    owner_system_admin: 40,
    stale: 20,
    never_expires: 15,
    exceeds_max_lifetime: 10,
    owner_deactivated: 10,
    new: 10,
    owner_bot: 5,
    expiring_soon: 5,
    expired: 2,
    disabled: 1,
    exempted: 0,
};

export function riskScore(row: Row): number {
    if (row.findings.includes('exempted')) {
        return 0;
    }
    const sum = row.findings.reduce((acc, f) => acc + WEIGHTS[f], 0);
    return row.token.is_active ? sum : Math.ceil(sum / 4);
}

const RISKY = new Set(RISK_FINDINGS);

export function isAtRisk(row: Row): boolean {
    return !row.findings.includes('exempted') && row.findings.some((f) => RISKY.has(f));
}

// Ids are [a-z0-9]{26}, but a hostile key like "__proto__" must still not reach Object.prototype.
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
    return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
