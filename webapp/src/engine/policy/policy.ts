import type {Exemption, Policy, PolicyFindingName, PolicyInput, WatchPrefs} from '../types';

export const DAY_MS = 24 * 60 * 60 * 1000;

export const POLICY_FINDINGS: readonly PolicyFindingName[] = [
    'owner_deactivated', 'owner_system_admin', 'owner_bot', 'never_expires', 'expiring_soon', 'stale', 'disabled',
];

// Watching works out of the box: with no channel chosen, alerts and the guard go to every system admin by DM.
export const DEFAULT_WATCH: WatchPrefs = Object.freeze({
    scan_minutes: 5,
    alert_channel_id: '',
    alert_findings: Object.freeze(['owner_system_admin', 'owner_deactivated', 'never_expires']) as unknown as PolicyFindingName[],
    digest: Object.freeze({schedule: 'off', hour_utc: 9, weekday: 1, channel_id: ''}) as WatchPrefs['digest'],
    offboarding: 'alert',
}) as WatchPrefs;

export function copyWatch(watch: WatchPrefs): WatchPrefs {
    return {...watch, alert_findings: watch.alert_findings.slice(), digest: {...watch.digest}};
}

// What the server answers before anyone saved a policy; also the stand-in when it cannot be read.
export const DEFAULT_POLICY: Policy = Object.freeze({
    version: 0,
    stale_after_days: 90,
    expiring_within_days: 14,
    findings: Object.freeze({
        owner_deactivated: true, owner_system_admin: true, owner_bot: true,
        never_expires: true, expiring_soon: true, stale: true, disabled: true,
    }),
    exemptions: Object.freeze([]) as unknown as Policy['exemptions'],
    watch: DEFAULT_WATCH,
    updated_by: '',
    updated_at: 0,
}) as Policy;

// An exemption counts until its end; one without an end counts for good.
export function exemptionActive(exemption: Pick<Exemption, 'expires_at'>, now: number): boolean {
    return !exemption.expires_at || exemption.expires_at > now;
}

// The server owns added_by/added_at and rejects unknown fields, so send only what it accepts.
export function policyToInput(policy: Policy): PolicyInput {
    return {
        version: policy.version,
        stale_after_days: policy.stale_after_days,
        expiring_within_days: policy.expiring_within_days,
        findings: {...policy.findings},
        exemptions: policy.exemptions.map(({kind, id, reason, expires_at}) => (expires_at ? {kind, id, reason, expires_at} : {kind, id, reason})),
        watch: copyWatch(policy.watch),
    };
}
