import type {TrailAction, TrailRecord} from '../types';

// Every action the trail records, in the order an admin filters by them.
export const TRAIL_ACTIONS: readonly TrailAction[] = ['revoke', 'disable', 'enable', 'bulk_revoke', 'bulk_disable', 'bulk_enable', 'policy_update',
    'campaign_start', 'campaign_cancel', 'campaign_notify', 'campaign_stage', 'campaign_keep'];

// One line of the audit trail: an intent and the outcome that closed it, or either alone while
// the other is on a page not loaded yet (or was never written).
export interface TrailEntry {
    key: string;
    intent?: TrailRecord;
    outcome?: TrailRecord;

    // Whichever of the two is known, for the fields both share.
    record: TrailRecord;
}

// Records arrive newest first, so entries keep the order of their newest record.
export function groupTrail(records: readonly TrailRecord[]): TrailEntry[] {
    const entries = new Map<string, TrailEntry>();
    for (const r of records) {
        const key = `${r.action_id}:${r.action}:${r.token_id}`;
        let entry = entries.get(key);
        if (!entry) {
            entry = {key, record: r};
            entries.set(key, entry);
        }
        if (r.phase === 'intent') {
            entry.intent = r;
        } else {
            entry.outcome = r;
        }
    }
    return [...entries.values()];
}
