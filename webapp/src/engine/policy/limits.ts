import type {Policy} from '../types';

// The bounds of what an admin may set in the policy; the server refuses a policy outside them.
export const POLICY_LIMITS = {
    stale_after_days: {min: 1, max: 3650},
    expiring_within_days: {min: 1, max: 365},
} as const;

export type PolicyThreshold = keyof typeof POLICY_LIMITS;

export const POLICY_THRESHOLDS: readonly PolicyThreshold[] = ['stale_after_days', 'expiring_within_days'];

export const MAX_EXEMPTIONS = 1000;
export const MAX_EXEMPTION_REASON = 500;

export function thresholdValid(kind: PolicyThreshold, value: number): boolean {
    return Number.isInteger(value) && value >= POLICY_LIMITS[kind].min && value <= POLICY_LIMITS[kind].max;
}

// Whether every threshold of the policy is within its bounds.
export function thresholdsValid(policy: Pick<Policy, PolicyThreshold>): boolean {
    return POLICY_THRESHOLDS.every((kind) => thresholdValid(kind, policy[kind]));
}
