import {isMattermostId} from '../ids';
import type {DigestSchedule, OffboardingRule, Policy, PolicyFindingName, WatchPrefs} from '../types';

import {DAY_MS, POLICY_FINDINGS} from './policy';

// The bounds of what an admin may set in the policy; the server refuses a policy outside them.
export const POLICY_LIMITS = {
    stale_after_days: {min: 1, max: 3650},
    expiring_within_days: {min: 1, max: 365},
} as const;

export type PolicyThreshold = keyof typeof POLICY_LIMITS;

export const POLICY_THRESHOLDS: readonly PolicyThreshold[] = ['stale_after_days', 'expiring_within_days'];

export const MAX_EXEMPTIONS = 1000;
export const MAX_EXEMPTION_REASON = 500;

// How far ahead an exemption may end; further than this is a typo, not a plan.
export const MAX_EXEMPTION_DAYS = 3650;

// The maximum token lifetime the what-if on the Policy tab considers, in days.
export const LIFETIME_WHATIF_DAYS = {min: 1, max: 3650} as const;

// The most token ids one /seen or /seen/lookup request may carry: a scan of more is sent in parts,
// which keeps every request within the plugin's 1 MiB body limit however large the server (30,000
// ids are about 870 KB). Each part reads the whole first-seen registry, so the parts are as large as
// that limit allows: at 100,000 tokens, eleven parts of 10,000 took 2.6 s of a 4.9 s load.
export const SEEN_IDS_PER_REQUEST = 30000;

// The longest answer the engine writes; the plugin's POST /ephemeral and Mattermost's post size both
// allow this much.
export const MAX_MESSAGE_LENGTH = 16000;

// The bounds of the watch preferences' numbers.
export const WATCH_LIMITS = {
    scan_minutes: {min: 1, max: 1440},
    hour_utc: {min: 0, max: 23},
    weekday: {min: 0, max: 6},
} as const;

export type WatchNumber = keyof typeof WATCH_LIMITS;

export const DIGEST_SCHEDULES: readonly DigestSchedule[] = ['off', 'daily', 'weekly'];
export const OFFBOARDING_RULES: readonly OffboardingRule[] = ['alert', 'revoke', 'off'];

// A watch field that is not acceptable, named as the API names it.
export type WatchProblem = 'scan_minutes' | 'alert_channel_id' | 'alert_findings' | 'digest.schedule' | 'digest.hour_utc' | 'digest.weekday' | 'digest.channel_id' | 'offboarding';

function within(limit: {min: number; max: number}, value: number): boolean {
    return Number.isInteger(value) && value >= limit.min && value <= limit.max;
}

export function thresholdValid(kind: PolicyThreshold, value: number): boolean {
    return within(POLICY_LIMITS[kind], value);
}

// Whether every threshold of the policy is within its bounds.
export function thresholdsValid(policy: Pick<Policy, PolicyThreshold>): boolean {
    return POLICY_THRESHOLDS.every((kind) => thresholdValid(kind, policy[kind]));
}

// Whether an exemption may be given this end at `now`: never (0), or a whole millisecond after now and
// at most MAX_EXEMPTION_DAYS ahead. (An end already stored stays as it is once it has passed.)
export function exemptionEndValid(expiresAt: number, now: number): boolean {
    return expiresAt === 0 || (Number.isInteger(expiresAt) && expiresAt > now && expiresAt <= now + MAX_EXEMPTION_DAYS * DAY_MS);
}

export function lifetimeDaysValid(days: number): boolean {
    return within(LIFETIME_WHATIF_DAYS, days);
}

export function watchNumberValid(kind: WatchNumber, value: number): boolean {
    return within(WATCH_LIMITS[kind], value);
}

const channelValid = (id: string) => id === '' || isMattermostId(id);

// Every field of the watch preferences that the server would refuse, in the order the editor shows them.
export function watchProblems(watch: WatchPrefs): WatchProblem[] {
    const findings = watch.alert_findings;
    const checks: Array<[WatchProblem, boolean]> = [
        ['scan_minutes', watchNumberValid('scan_minutes', watch.scan_minutes)],
        ['alert_channel_id', channelValid(watch.alert_channel_id)],
        ['alert_findings', findings.every((f, i) => POLICY_FINDINGS.includes(f as PolicyFindingName) && findings.indexOf(f) === i)],
        ['digest.schedule', DIGEST_SCHEDULES.includes(watch.digest.schedule)],
        ['digest.hour_utc', watchNumberValid('hour_utc', watch.digest.hour_utc)],
        ['digest.weekday', watchNumberValid('weekday', watch.digest.weekday)],
        ['digest.channel_id', channelValid(watch.digest.channel_id)],
        ['offboarding', OFFBOARDING_RULES.includes(watch.offboarding)],
    ];
    return checks.filter(([, ok]) => !ok).map(([problem]) => problem);
}

// Every limit above, for a host that validates requests itself: the Go server reads this from
// engine.js at activation (bundle.ts `limits`) instead of restating the numbers.
export function policyLimits() {
    return {
        ...POLICY_LIMITS,
        seen_ids_per_request: SEEN_IDS_PER_REQUEST,
        max_message_length: MAX_MESSAGE_LENGTH,
        max_exemptions: MAX_EXEMPTIONS,
        max_exemption_reason: MAX_EXEMPTION_REASON,
        max_exemption_days: MAX_EXEMPTION_DAYS,
        policy_findings: POLICY_FINDINGS,
        watch: {
            ...WATCH_LIMITS,
            digest_schedules: DIGEST_SCHEDULES,
            offboarding_rules: OFFBOARDING_RULES,
        },
    };
}
