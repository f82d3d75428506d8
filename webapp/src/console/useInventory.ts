import {useCallback, useEffect, useRef, useState} from 'react';

import {isAbortError, isForbidden, loadInventory, messageOf} from '../client';
import type {Inventory, LoadPhase, Progress} from '../client';

export type InventoryState =
    | {status: 'loading'; progress?: Progress<LoadPhase>}
    | {status: 'error'; message: string}
    | {status: 'refused'}
    | {status: 'ready'; inventory: Inventory};

// A long scan reports progress per page and per owner; repainting more often than this helps nobody.
const PROGRESS_INTERVAL_MS = 150;

export function useInventory() {
    const [state, setState] = useState<InventoryState>({status: 'loading'});
    const [attempt, setAttempt] = useState(0);
    const lastPaint = useRef(0);

    useEffect(() => {
        const ctrl = new AbortController();
        setState({status: 'loading'});
        const onProgress = (progress: Progress<LoadPhase>) => {
            const now = Date.now();
            if (now - lastPaint.current < PROGRESS_INTERVAL_MS && progress.done !== progress.total) {
                return;
            }
            lastPaint.current = now;
            setState((s) => (s.status === 'loading' ? {status: 'loading', progress} : s));
        };
        loadInventory({signal: ctrl.signal, onProgress}).then((inventory) => {
            // A refusal from the plugin API refuses the whole page, even if Mattermost answered.
            setState(inventory.failures.some((f) => f.status === 403) ? {status: 'refused'} : {status: 'ready', inventory});
        }, (err: unknown) => {
            if (isAbortError(err) || ctrl.signal.aborted) {
                return;
            }
            setState(isForbidden(err) ? {status: 'refused'} : {status: 'error', message: messageOf(err)});
        });
        return () => ctrl.abort();
    }, [attempt]);

    const reload = useCallback(() => setAttempt((a) => a + 1), []);

    const update = useCallback((change: (inventory: Inventory) => Inventory) => {
        setState((s) => (s.status === 'ready' ? {status: 'ready', inventory: change(s.inventory)} : s));
    }, []);

    const refuse = useCallback(() => setState({status: 'refused'}), []);

    return {state, reload, update, refuse};
}
