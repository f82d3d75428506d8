import type {Exemption, Policy, PolicyFindingName} from '../types';

import {POLICY_FINDINGS} from './policy';

export type PolicyChange =
    | {kind: 'stale_after_days' | 'expiring_within_days'; from: number; to: number}
    | {kind: 'finding'; finding: PolicyFindingName; to: boolean}
    | {kind: 'exemption_added' | 'exemption_removed'; exemption: Exemption}
    | {kind: 'exemption_reason'; exemption: Exemption; from: string};

const exemptionKey = (e: Pick<Exemption, 'kind' | 'id'>) => `${e.kind}:${e.id}`;

// Everything that differs from `from` to `to`, in the order the editor shows the fields.
export function diffPolicies(from: Policy, to: Policy): PolicyChange[] {
    const changes: PolicyChange[] = [];
    for (const kind of ['stale_after_days', 'expiring_within_days'] as const) {
        if (from[kind] !== to[kind]) {
            changes.push({kind, from: from[kind], to: to[kind]});
        }
    }
    for (const finding of POLICY_FINDINGS) {
        if (from.findings[finding] !== to.findings[finding]) {
            changes.push({kind: 'finding', finding, to: to.findings[finding]});
        }
    }
    const before = new Map(from.exemptions.map((e) => [exemptionKey(e), e]));
    const after = new Map(to.exemptions.map((e) => [exemptionKey(e), e]));
    for (const [key, e] of after) {
        const old = before.get(key);
        if (!old) {
            changes.push({kind: 'exemption_added', exemption: e});
        } else if (old.reason !== e.reason) {
            changes.push({kind: 'exemption_reason', exemption: e, from: old.reason});
        }
    }
    for (const [key, e] of before) {
        if (!after.has(key)) {
            changes.push({kind: 'exemption_removed', exemption: e});
        }
    }
    return changes;
}

// The admin's edits (base → draft) replayed on the policy someone else saved meanwhile. Where both
// touched the same field the admin's edit wins: that is what "re-apply my changes" promises.
export function rebasePolicy(base: Policy, draft: Policy, latest: Policy): Policy {
    const next: Policy = {...latest, findings: {...latest.findings}, exemptions: latest.exemptions.slice()};
    for (const c of diffPolicies(base, draft)) {
        switch (c.kind) {
        case 'stale_after_days':
        case 'expiring_within_days':
            next[c.kind] = c.to;
            break;
        case 'finding':
            next.findings[c.finding] = c.to;
            break;
        case 'exemption_removed':
            next.exemptions = next.exemptions.filter((e) => exemptionKey(e) !== exemptionKey(c.exemption));
            break;
        case 'exemption_added':
        case 'exemption_reason': {
            const at = next.exemptions.findIndex((e) => exemptionKey(e) === exemptionKey(c.exemption));
            if (at >= 0) {
                next.exemptions[at] = {...next.exemptions[at], reason: c.exemption.reason};
            } else {
                next.exemptions.push(c.exemption);
            }
            break;
        }
        }
    }
    return next;
}
