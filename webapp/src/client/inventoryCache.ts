// The inventory the web app last read whole, kept for the /tokens commands that follow: at 10,000
// tokens a load is some fifty requests and most of a second, and an admin typing `/tokens list`
// then `/tokens audit` wants the same tokens twice. The console's loads are kept here too, so this
// is the one place the web app holds an inventory between reads.
import {abortError} from './errors';
import type {Inventory, LoadOptions} from './types';

// How long a kept inventory answers commands. Changes made outside the plugin (core's own token
// screens, another admin) show up after at most this long; the answer says how old it is.
export const INVENTORY_MAX_AGE_MS = 60000;

// Counts the writes the plugin makes that change what an inventory shows; a kept inventory read
// before the latest one is not used again. A counter rather than a callback, so the writers
// (core.ts, plugin.ts) need not know who keeps an inventory.
let changes = 0;

export function inventoryChanged(): void {
    changes++;
}

export interface InventoryCacheOptions {
    load: (opts: LoadOptions) => Promise<Inventory>;
    maxAgeMs?: number;

    // The clock inventories' loadedAt is read on (Date.now); tests pass their own.
    now?: () => number;
}

export interface KeptInventory {
    inventory: Inventory;

    // True when the inventory was read before this call asked for it, so the answer should say how old it is.
    reused: boolean;
}

interface Flight {
    promise: Promise<Inventory>;
    ctrl: AbortController;
    waiters: number;
}

export class InventoryCache {
    private kept?: {inventory: Inventory; changes: number};
    private flight?: Flight;
    private readonly maxAgeMs: number;
    private readonly now: () => number;

    constructor(private readonly opts: InventoryCacheOptions) {
        this.maxAgeMs = opts.maxAgeMs ?? INVENTORY_MAX_AGE_MS;
        this.now = opts.now ?? (() => Date.now());
    }

    // The kept inventory while it is young and nothing changed since it was read; otherwise a load,
    // shared by every caller that asks while it runs. A caller's signal cancels only its own wait,
    // and the load itself once nobody waits for it any more.
    get(opts: {signal?: AbortSignal} = {}): Promise<KeptInventory> {
        const kept = this.fresh();
        if (kept) {
            return Promise.resolve({inventory: kept, reused: true});
        }
        if (!this.flight) {
            const ctrl = new AbortController();
            const flight: Flight = {ctrl, waiters: 0, promise: this.load({signal: ctrl.signal})};
            this.flight = flight;
            const land = () => {
                if (this.flight === flight) {
                    this.flight = undefined;
                }
            };
            flight.promise.then(land, land);
        }
        return this.join(this.flight, opts.signal).then((inventory) => ({inventory, reused: false}));
    }

    // For a load made elsewhere that wants the server's state now (the console opening, its Reload):
    // call before it starts and hand the result to what this returns, so the commands that follow
    // can answer from it.
    track(): (inventory: Inventory) => void {
        const before = changes;
        return (inventory) => {
            // A part that failed is worth asking for again, and a load that overlapped a write may
            // show the state before it.
            if (!inventory.failures.length && before === changes) {
                this.kept = {inventory, changes};
            }
        };
    }

    private async load(opts: LoadOptions): Promise<Inventory> {
        const keep = this.track();
        const inventory = await this.opts.load(opts);
        keep(inventory);
        return inventory;
    }

    private fresh(): Inventory | undefined {
        if (!this.kept) {
            return undefined;
        }
        const age = this.now() - this.kept.inventory.loadedAt;
        if (this.kept.changes !== changes || age >= this.maxAgeMs || age < 0) {
            this.kept = undefined;
            return undefined;
        }
        return this.kept.inventory;
    }

    private join(flight: Flight, signal?: AbortSignal): Promise<Inventory> {
        flight.waiters++;
        if (!signal) {
            return flight.promise;
        }
        return new Promise((resolve, reject) => {
            const leave = () => {
                if (--flight.waiters === 0) {
                    flight.ctrl.abort();
                    if (this.flight === flight) {
                        this.flight = undefined;
                    }
                }
                reject(abortError());
            };
            if (signal.aborted) {
                leave();
                return;
            }
            signal.addEventListener('abort', leave, {once: true});
            flight.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
        });
    }
}
