import {useCallback, useEffect, useRef, useState} from 'react';

import {inventoryCache, isAbortError, isForbidden, loadInventory, messageOf, TOKENS_PER_PAGE} from '../client';
import type {Inventory, LoadPhase, Progress} from '../client';

export type InventoryState =
    // With partial: what has arrived of a large inventory, shown while the rest loads.
    | {status: 'loading'; progress?: Progress<LoadPhase>; partial?: Inventory}
    | {status: 'error'; message: string}
    | {status: 'refused'}
    | {status: 'ready'; inventory: Inventory};

// A long scan reports progress per page and per owner; repainting more often than this helps nobody.
const PROGRESS_INTERVAL_MS = 150;

// Judging and sorting what has arrived costs the page time the load needs too, so a partial table
// is refreshed at most this often; an inventory that fits one page is never shown in part.
const PARTIAL_INTERVAL_MS = 1000;

export function useInventory() {
    const [state, setState] = useState<InventoryState>({status: 'loading'});
    const [attempt, setAttempt] = useState(0);
    const lastPaint = useRef(0);
    const lastPartial = useRef(0);

    useEffect(() => {
        const ctrl = new AbortController();
        setState({status: 'loading'});
        const onProgress = (progress: Progress<LoadPhase>) => {
            const now = Date.now();
            if (now - lastPaint.current < PROGRESS_INTERVAL_MS && progress.done !== progress.total) {
                return;
            }
            lastPaint.current = now;
            setState((s) => (s.status === 'loading' ? {...s, progress} : s));
        };
        lastPartial.current = 0;
        const onPartial = (snapshot: () => Inventory) => {
            const now = Date.now();
            if (now - lastPartial.current < PARTIAL_INTERVAL_MS) {
                return;
            }
            const partial = snapshot();
            if (partial.tokens.length < TOKENS_PER_PAGE) {
                return;
            }
            lastPartial.current = now;
            setState((s) => (s.status === 'loading' ? {...s, partial} : s));
        };
        // The page always reads the server's state; what it read then answers the /tokens that follow.
        const keep = inventoryCache.track();
        loadInventory({signal: ctrl.signal, onProgress, onPartial}).then((inventory) => {
            keep(inventory);
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
