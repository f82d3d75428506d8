// After an action, the inventory on the page is brought up to date in two steps: at once from what
// the server said it did, then from a fresh read of the owners' tokens.
import type {ActionRun, Inventory} from '../../client';
import type {Token, Usage} from '../../engine';

// What the server said it did, applied at once so the table is right before the re-read arrives.
export function applyRun(inventory: Inventory, run: ActionRun): Inventory {
    const done = new Set(run.results.filter((r) => r.ok).map((r) => r.tokenId));
    if (!done.size) {
        return inventory;
    }
    const tokens = run.action === 'revoke' ?
        inventory.tokens.filter((t) => !done.has(t.id)) :
        inventory.tokens.map((t) => (done.has(t.id) ? {...t, is_active: run.action === 'enable'} : t));
    return {...inventory, tokens};
}

// Replaces everything known about the given owners' tokens with a fresh read; owners whose
// tokens could not be read keep what applyRun left.
export interface FreshRead {
    // Each owner read again, with all of its tokens.
    tokens: ReadonlyMap<string, Token[]>;

    // Those owners' token usage, unless it could not be read.
    usage?: Record<string, Usage>;
}

export function applyRefresh(inventory: Inventory, {tokens: tokensByOwner, usage}: FreshRead): Inventory {
    if (!tokensByOwner.size) {
        return inventory;
    }
    const kept = inventory.tokens.filter((t) => !tokensByOwner.has(t.user_id));
    const fresh = [...tokensByOwner.values()].flat();
    const next = {...inventory, tokens: [...kept, ...fresh]};
    if (usage) {
        const stale = new Set(inventory.tokens.filter((t) => tokensByOwner.has(t.user_id)).map((t) => t.id));
        next.usage = {...Object.fromEntries(Object.entries(inventory.usage).filter(([id]) => !stale.has(id))), ...usage};
        next.usageUnknown = inventory.usageUnknown.filter((id) => !tokensByOwner.has(id));
    }
    return next;
}
