// A token action belongs to the browser tab, not to the page that started it. The console unmounts
// the page on every navigation (sidebar, Back, the plugin being disabled), and a run cut short
// there would leave intents in the trail without outcomes. So a confirmed run always goes on to the
// end — runTokenAction records every outcome — and whichever page is mounted, then or on the next
// visit, shows how it went.
import {isForbidden, messageOf, runTokenAction} from '../../client';
import type {ActionPhase, Progress} from '../../client';
import type {ActionPlan} from '../../engine';

import type {ActionReport} from './useTokenActions';

export interface RunState {
    plan: ActionPlan;

    // While the run is going; null once it has ended.
    progress: Progress<ActionPhase> | null;

    // Once it has ended.
    report?: ActionReport;

    // The page that started it was left before it ended.
    leftBehind: boolean;
}

let current: RunState | null = null;
const listeners = new Set<() => void>();

function publish(next: RunState | null): void {
    current = next;
    for (const listener of listeners) {
        listener();
    }
}

export function subscribeRuns(listener: () => void): () => void {
    listeners.add(listener);
    return () => {
        listeners.delete(listener);
    };
}

export function currentRun(): RunState | null {
    return current;
}

export function isRunning(): boolean {
    return Boolean(current?.progress);
}

// One run at a time: a second confirm while one is going does nothing.
export async function startRun(plan: ActionPlan): Promise<void> {
    if (isRunning() || !plan.targets.length) {
        return;
    }
    const run: RunState = {plan, progress: {phase: 'intent', done: 0, total: 0}, leftBehind: false};
    publish(run);
    let report: ActionReport;
    try {
        const result = await runTokenAction(plan.action, plan.targets.map((r) => r.token), {
            source: 'console',
            onProgress: (progress) => publish({...run, progress, leftBehind: current?.leftBehind ?? false}),
        });
        report = {plan, run: result};
    } catch (err) {
        report = {plan, error: messageOf(err), refused: isForbidden(err)};
    }
    publish({...run, progress: null, report, leftBehind: current?.leftBehind ?? false});
}

// Called when the page goes away. A run still going will be told as finished "after you left" on
// the next visit; the report of one that ended while the page was open has been seen, so it goes.
export function leavePage(): void {
    if (current?.progress) {
        current = {...current, leftBehind: true};
    } else {
        publish(null);
    }
}

export function dismissRun(): void {
    if (!isRunning()) {
        publish(null);
    }
}
