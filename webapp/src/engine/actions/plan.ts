import {ownerName} from '../inventory/query';
import type {Row, TokenActionName} from '../types';

// What an action on chosen tokens will do, worked out before anything is done, so the confirmation
// can say exactly what will happen to how many tokens of whom.
export interface ActionPlan {
    action: TokenActionName;

    // The tokens the action will be applied to, and the chosen ones it makes no sense for
    // (disabling a disabled token, enabling an active one), which are left alone.
    targets: Row[];
    skipped: Row[];

    // Owner names of the targets, each once, in the order first met.
    owners: string[];
}

export function actionApplies(action: TokenActionName, row: Row): boolean {
    if (action === 'revoke') {
        return true;
    }
    return action === 'disable' ? row.token.is_active : !row.token.is_active;
}

export function planAction(action: TokenActionName, rows: readonly Row[]): ActionPlan {
    const targets = rows.filter((r) => actionApplies(action, r));
    return {
        action,
        targets,
        skipped: rows.filter((r) => !actionApplies(action, r)),
        owners: [...new Set(targets.map(ownerName))],
    };
}
