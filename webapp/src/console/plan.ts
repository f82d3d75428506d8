import type {ActionRun, Inventory} from '../client';
import type {Row, Token, TokenActionName, Usage} from '../engine';

import {ownerName} from './util';

export interface ActionPlan {
    action: TokenActionName;

    // The tokens the action will be applied to, and the chosen ones it makes no sense for
    // (disabling a disabled token, enabling an active one), which are left alone.
    targets: Row[];
    skipped: Row[];

    // Owner names of the targets, each once, in the order first met.
    owners: string[];
}

export function applies(action: TokenActionName, row: Row): boolean {
    if (action === 'revoke') {
        return true;
    }
    return action === 'disable' ? row.token.is_active : !row.token.is_active;
}

export function planAction(action: TokenActionName, rows: readonly Row[]): ActionPlan {
    const targets = rows.filter((r) => applies(action, r));
    return {
        action,
        targets,
        skipped: rows.filter((r) => !applies(action, r)),
        owners: [...new Set(targets.map(ownerName))],
    };
}

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
export function applyRefresh(
    inventory: Inventory,
    tokensByOwner: ReadonlyMap<string, Token[]>,
    usage: Record<string, Usage> | undefined,
): Inventory {
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
