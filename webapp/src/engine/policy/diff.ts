import type {DigestSchedule, Exemption, OffboardingRule, Policy, PolicyFindingName} from '../types';

import {copyWatch, POLICY_FINDINGS} from './policy';

export type PolicyChange =
    | {kind: 'stale_after_days' | 'expiring_within_days'; from: number; to: number}
    | {kind: 'finding'; finding: PolicyFindingName; to: boolean}
    | {kind: 'exemption_added' | 'exemption_removed'; exemption: Exemption}
    | {kind: 'exemption_reason'; exemption: Exemption; from: string}

    // `from` and the exemption's expires_at: 0 = never ends.
    | {kind: 'exemption_end'; exemption: Exemption; from: number}
    | {kind: 'scan_minutes' | 'digest_hour' | 'digest_weekday'; from: number; to: number}
    | {kind: 'alert_channel' | 'digest_channel'; from: string; to: string}
    | {kind: 'alert_finding'; finding: PolicyFindingName; to: boolean}
    | {kind: 'digest_schedule'; from: DigestSchedule; to: DigestSchedule}
    | {kind: 'offboarding'; from: OffboardingRule; to: OffboardingRule};

// The watch preferences change what the server does with findings, not which tokens have them.
const WATCH_CHANGE_KINDS: ReadonlySet<PolicyChange['kind']> = new Set([
    'scan_minutes', 'alert_channel', 'alert_finding', 'digest_schedule', 'digest_hour', 'digest_weekday', 'digest_channel', 'offboarding',
]);

// Whether a change alters how tokens are judged (thresholds, findings, exemptions).
export function changesJudgement(change: PolicyChange): boolean {
    return !WATCH_CHANGE_KINDS.has(change.kind);
}

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
        } else {
            if (old.reason !== e.reason) {
                changes.push({kind: 'exemption_reason', exemption: e, from: old.reason});
            }
            if ((old.expires_at ?? 0) !== (e.expires_at ?? 0)) {
                changes.push({kind: 'exemption_end', exemption: e, from: old.expires_at ?? 0});
            }
        }
    }
    for (const [key, e] of before) {
        if (!after.has(key)) {
            changes.push({kind: 'exemption_removed', exemption: e});
        }
    }
    return changes.concat(diffWatch(from, to));
}

function diffWatch({watch: from}: Policy, {watch: to}: Policy): PolicyChange[] {
    const changes: PolicyChange[] = [];
    if (from.scan_minutes !== to.scan_minutes) {
        changes.push({kind: 'scan_minutes', from: from.scan_minutes, to: to.scan_minutes});
    }
    if (from.alert_channel_id !== to.alert_channel_id) {
        changes.push({kind: 'alert_channel', from: from.alert_channel_id, to: to.alert_channel_id});
    }
    for (const finding of POLICY_FINDINGS) {
        const on = to.alert_findings.includes(finding);
        if (from.alert_findings.includes(finding) !== on) {
            changes.push({kind: 'alert_finding', finding, to: on});
        }
    }
    if (from.digest.schedule !== to.digest.schedule) {
        changes.push({kind: 'digest_schedule', from: from.digest.schedule, to: to.digest.schedule});
    }
    if (from.digest.hour_utc !== to.digest.hour_utc) {
        changes.push({kind: 'digest_hour', from: from.digest.hour_utc, to: to.digest.hour_utc});
    }
    if (from.digest.weekday !== to.digest.weekday) {
        changes.push({kind: 'digest_weekday', from: from.digest.weekday, to: to.digest.weekday});
    }
    if (from.digest.channel_id !== to.digest.channel_id) {
        changes.push({kind: 'digest_channel', from: from.digest.channel_id, to: to.digest.channel_id});
    }
    if (from.offboarding !== to.offboarding) {
        changes.push({kind: 'offboarding', from: from.offboarding, to: to.offboarding});
    }
    return changes;
}

// The admin's edits (base → draft) replayed on the policy someone else saved meanwhile. Where both
// touched the same field the admin's edit wins: that is what "re-apply my changes" promises.
export function rebasePolicy(base: Policy, draft: Policy, latest: Policy): Policy {
    const next: Policy = {...latest, findings: {...latest.findings}, exemptions: latest.exemptions.slice(), watch: copyWatch(latest.watch)};
    const watch = next.watch;

    // My edit of an exemption lands on theirs if they have it too, else it is mine whole.
    const upsert = (exemption: Exemption, fields: Partial<Pick<Exemption, 'reason' | 'expires_at'>>) => {
        const at = next.exemptions.findIndex((e) => exemptionKey(e) === exemptionKey(exemption));
        if (at < 0) {
            next.exemptions.push(exemption);
        } else {
            next.exemptions[at] = {...next.exemptions[at], ...fields};
        }
    };
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
            upsert(c.exemption, {reason: c.exemption.reason, expires_at: c.exemption.expires_at});
            break;
        case 'exemption_reason':
            upsert(c.exemption, {reason: c.exemption.reason});
            break;
        case 'exemption_end':
            upsert(c.exemption, {expires_at: c.exemption.expires_at});
            break;
        case 'scan_minutes':
            watch.scan_minutes = c.to;
            break;
        case 'alert_channel':
            watch.alert_channel_id = c.to;
            break;
        case 'alert_finding':
            watch.alert_findings = watch.alert_findings.filter((f) => f !== c.finding).concat(c.to ? [c.finding] : []);
            break;
        case 'digest_schedule':
            watch.digest.schedule = c.to;
            break;
        case 'digest_hour':
            watch.digest.hour_utc = c.to;
            break;
        case 'digest_weekday':
            watch.digest.weekday = c.to;
            break;
        case 'digest_channel':
            watch.digest.channel_id = c.to;
            break;
        case 'offboarding':
            watch.offboarding = c.to;
            break;
        }
    }
    return next;
}
