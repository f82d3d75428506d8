import {useCallback, useRef, useState} from 'react';

import {getTokensForUser, getUsage, runPool, runTokenAction} from '../client';
import type {ActionPhase, ActionRun, Inventory, Progress} from '../client';
import type {Row, Token, TokenActionName} from '../inventory';

import {applyRefresh, applyRun, planAction} from './plan';
import type {ActionPlan} from './plan';
import {errorText, isForbidden} from './util';

export interface ActionReport {
    plan: ActionPlan;

    // Absent when nothing was attempted; `error` then says why.
    run?: ActionRun;
    error?: string;
}

type Update = (change: (inventory: Inventory) => Inventory) => void;

export function useTokenActions(update: Update, onRefused: () => void) {
    const [plan, setPlan] = useState<ActionPlan | null>(null);
    const [progress, setProgress] = useState<Progress<ActionPhase> | null>(null);
    const [report, setReport] = useState<ActionReport | null>(null);
    const running = useRef(false);

    const request = useCallback((action: TokenActionName, rows: readonly Row[]) => {
        setPlan(planAction(action, rows));
    }, []);

    const cancel = useCallback(() => {
        if (!running.current) {
            setPlan(null);
        }
    }, []);

    const confirm = useCallback(async () => {
        if (!plan || running.current || !plan.targets.length) {
            return;
        }
        running.current = true;
        setProgress({phase: 'intent', done: 0, total: 0});
        let next: ActionReport;
        try {
            const run = await runTokenAction(plan.action, plan.targets.map((r) => r.token), {source: 'console', onProgress: setProgress});
            next = {plan, run};
            update((inv) => applyRun(inv, run));
            refresh(plan.targets.map((r) => r.token.user_id)).then(({tokens, usage}) => update((inv) => applyRefresh(inv, tokens, usage)));
        } catch (err) {
            if (isForbidden(err)) {
                onRefused();
            }
            next = {plan, error: errorText(err)};
        }
        running.current = false;
        setProgress(null);
        setPlan(null);
        setReport(next);
    }, [plan, update, onRefused]);

    const dismiss = useCallback(() => setReport(null), []);

    return {plan, progress, report, request, cancel, confirm, dismiss};
}

// Re-reads the affected owners' tokens and sessions; whatever fails keeps the locally applied result.
async function refresh(ownerIds: string[]) {
    const ids = [...new Set(ownerIds)];
    const settled = await runPool(ids, (id) => getTokensForUser(id));
    const tokens = new Map<string, Token[]>();
    settled.forEach((s, i) => {
        if (s.status === 'fulfilled') {
            tokens.set(ids[i], s.value);
        }
    });
    const usage = tokens.size ? await getUsage([...tokens.keys()]).catch(() => undefined) : undefined;
    return {tokens, usage};
}
