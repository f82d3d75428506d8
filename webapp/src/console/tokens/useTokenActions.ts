import {useCallback, useEffect, useRef, useState} from 'react';

import {getTokensForUser, getUsage, runPool} from '../../client';
import type {ActionRun, Inventory} from '../../client';
import {planAction} from '../../engine';
import type {ActionPlan, Row, Token, TokenActionName} from '../../engine';

import {currentRun, dismissRun, isRunning, startRun, subscribeRuns} from './actionRuns';
import {applyRefresh, applyRun} from './applyResults';
import type {FreshRead} from './applyResults';

export interface ActionReport {
    plan: ActionPlan;

    // Absent when nothing was attempted; `error` then says why.
    run?: ActionRun;
    error?: string;

    // The server refused this admin.
    refused?: boolean;
}

interface ActionsOptions {
    // Changes the inventory on the page.
    update: (change: (inventory: Inventory) => Inventory) => void;

    // The server refused this admin.
    onRefused: () => void;
}

// Not useSyncExternalStore: the webapps of Mattermost 10.x and older give plugins React 17.
function useCurrentRun() {
    const [run, setRun] = useState(currentRun);
    useEffect(() => {
        const update = () => setRun(currentRun());

        // A run may have changed between the render and this effect.
        update();
        return subscribeRuns(update);
    }, []);
    return run;
}

export function useTokenActions({update, onRefused}: ActionsOptions) {
    const [asking, setAsking] = useState<ActionPlan | null>(null);
    const run = useCurrentRun();

    // A report that was already there when this page mounted came from a run the fresh inventory
    // load has seen the effect of; only one that arrives while mounted is applied here.
    const applied = useRef(run?.report);
    useEffect(() => {
        const report = run?.report;
        if (!report || report === applied.current) {
            return;
        }
        applied.current = report;
        if (report.refused) {
            onRefused();
        }
        const done = report.run;
        if (done) {
            update((inv) => applyRun(inv, done));
            refresh(report.plan.targets.map((r) => r.token.user_id)).then((fresh) => update((inv) => applyRefresh(inv, fresh)));
        }
    }, [run?.report, update, onRefused]);

    const request = useCallback((action: TokenActionName, rows: readonly Row[]) => {
        setAsking(planAction(action, rows));
    }, []);

    const cancel = useCallback(() => {
        if (!isRunning()) {
            setAsking(null);
        }
    }, []);

    const confirm = useCallback(async () => {
        if (!asking) {
            return;
        }
        const plan = asking;
        setAsking(null);
        await startRun(plan);
    }, [asking]);

    const running = run?.progress ? run : null;
    return {
        plan: running ? running.plan : asking,
        progress: running ? running.progress : null,
        report: run?.report ?? null,
        leftBehind: Boolean(run?.report && run.leftBehind),
        request,
        cancel,
        confirm,
        dismiss: dismissRun,
    };
}

// Re-reads the affected owners' tokens and sessions; whatever fails keeps the locally applied result.
async function refresh(ownerIds: string[]): Promise<FreshRead> {
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
