// What an edit of the policy would change, before it is saved, and what a maximum token lifetime
// would break before an admin sets one: both judged over the inventory already loaded, no requests.
import {ALL_FINDINGS, breaksMaxLifetime, buildRows, isAtRisk, own} from '../inventory/findings';
import type {RowInput} from '../inventory/findings';
import type {FindingName, Owner, Policy, Row, ServerFeatures, Token} from '../types';

export interface PolicyWhatIfInput extends Omit<RowInput, 'policy'> {
    saved: Policy;
    edited: Policy;
}

// One finding's count under the saved and the edited policy, and the tokens (with their distinct
// owners) that would gain or lose it.
export interface FindingShift {
    finding: FindingName;
    before: number;
    after: number;
    gained: number;
    gained_owners: number;
    lost: number;
    lost_owners: number;
}

export interface PolicyWhatIf {
    // Only the findings whose tokens change, in ALL_FINDINGS order.
    shifts: FindingShift[];
    at_risk: {before: number; after: number};
}

// As summarize counts: an exempted row counts only as exempted, not for the findings it keeps.
function counted(row: Row): readonly FindingName[] {
    return row.exemption ? ['exempted'] : row.findings;
}

export function policyWhatIf(input: PolicyWhatIfInput): PolicyWhatIf {
    const {saved, edited, ...facts} = input;
    const before = buildRows({...facts, policy: saved});
    const after = buildRows({...facts, policy: edited});
    const gained = new Map<FindingName, Token[]>();
    const lost = new Map<FindingName, Token[]>();
    const totals = new Map<FindingName, {before: number; after: number}>(ALL_FINDINGS.map((f) => [f, {before: 0, after: 0}]));
    const atRisk = {before: 0, after: 0};
    const add = (map: Map<FindingName, Token[]>, f: FindingName, token: Token) => {
        const list = map.get(f);
        if (list) {
            list.push(token);
        } else {
            map.set(f, [token]);
        }
    };

    // buildRows keeps the order of the tokens, so the rows pair up by index.
    before.forEach((was, i) => {
        const now = after[i];
        const had = counted(was);
        const has = counted(now);
        for (const f of had) {
            totals.get(f)!.before++;
            if (!has.includes(f)) {
                add(lost, f, was.token);
            }
        }
        for (const f of has) {
            totals.get(f)!.after++;
            if (!had.includes(f)) {
                add(gained, f, now.token);
            }
        }
        atRisk.before += isAtRisk(was) ? 1 : 0;
        atRisk.after += isAtRisk(now) ? 1 : 0;
    });

    const owners = (tokens: Token[] = []) => new Set(tokens.map((t) => t.user_id)).size;
    const shifts = ALL_FINDINGS.filter((f) => gained.has(f) || lost.has(f)).map((finding) => ({
        finding,
        ...totals.get(finding)!,
        gained: gained.get(finding)?.length ?? 0,
        gained_owners: owners(gained.get(finding)),
        lost: lost.get(finding)?.length ?? 0,
        lost_owners: owners(lost.get(finding)),
    }));
    return {shifts, at_risk: atRisk};
}

export interface LifetimeWhatIfInput {
    tokens: readonly Token[];
    owners: Readonly<Record<string, Owner>>;
    features: Pick<ServerFeatures, 'expirySupported'>;
    now: number;

    // The maximum lifetime an admin considers, in days.
    days: number;
}

export interface LifetimeWhatIf {
    // Tokens that would break the rule, and their distinct owners.
    tokens: number;
    owners: number;

    // False on servers without token expiry: there no token expires, so every active token of a
    // person breaks it, and the answer plans the upgrade rather than a setting.
    expiry_supported: boolean;
}

// Core's rule as it would stand with MaximumPersonalAccessTokenLifetimeDays = days: active tokens of
// people (bots excluded, as core excludes them) that never expire or expire later than now + days.
// Exemptions do not enter: core does not know them.
export function maxLifetimeWhatIf({tokens, owners, features, now, days}: LifetimeWhatIfInput): LifetimeWhatIf {
    const breaking = tokens.filter((token) => breaksMaxLifetime({
        token,
        owner: own(owners, token.user_id),
        expires: features.expirySupported ? token.expires_at ?? 0 : 0,
        maxLifetimeDays: days,
        now,
    }));
    return {tokens: breaking.length, owners: new Set(breaking.map((t) => t.user_id)).size, expiry_supported: features.expirySupported};
}
