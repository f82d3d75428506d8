// Loads everything the console page and /tokens need in one go, keeping whatever loaded when a
// part fails: an inventory without usage for three owners is still worth showing.
import {buildRows, DEFAULT_POLICY} from '../engine';
import type {Owner, Policy, Row, Seen, ServerFeatures, Token, Usage, ViewsDoc} from '../engine';

import {adminConfigFromStore, ClientConfig, detectFeatures, getClientConfig, getCoreNonCompliantCount, getOwnersBatch, getTokenUsageForOwner, listAllTokens, OWNERS_PER_BATCH} from './core';
import {getApi} from './current';
import {abortError, ApiError, isAbortError, messageOf} from './errors';
import {InventoryCache} from './inventoryCache';
import {getPolicy, getViews, reportSeen} from './plugin';
import type {CallOptions} from './plugin';
import {runPool} from './runner';
import type {Inventory, LoadFailure, LoadOptions, LoadPhase} from './types';

export async function loadInventory(opts: LoadOptions = {}): Promise<Inventory> {
    const api = getApi();
    const {signal} = opts;
    const startRequests = api.requests;
    const failures: LoadFailure[] = [];
    const progress = (phase: LoadPhase, done: number, total: number) => opts.onProgress?.({phase, done, total});
    const keep = <T>(part: LoadFailure['part'], fallback: T) => (err: unknown): T => {
        rethrowAbort(err, signal);
        failures.push(failure(part, [], err));
        return fallback;
    };

    // Independent of the token list, so they run while it pages.
    const configP = getClientConfig({signal}).catch(keep<ClientConfig | undefined>('config', undefined));
    const policyP = getPolicy({signal}).then((p): [Policy, boolean] => [p, false]).
        catch(keep<[Policy, boolean]>('policy', [DEFAULT_POLICY, true]));
    const viewsP = getViews({signal}).catch(keep<ViewsDoc>('views', {views: [], last_reviewed_at: 0}));

    const bulkUsageP = requestBulkUsage(signal);

    // What a partial inventory shows of the parts read beside the token list, as they arrive.
    const arrived: Token[] = [];
    let configSoFar: ClientConfig | undefined;
    let policySoFar: [Policy, boolean] = [DEFAULT_POLICY, true];
    let viewsSoFar: ViewsDoc = {views: [], last_reviewed_at: 0};
    let bulkSoFar: BulkUsage;
    void configP.then((c) => (configSoFar = c), () => undefined);
    void policyP.then((p) => (policySoFar = p), () => undefined);
    void viewsP.then((v) => (viewsSoFar = v), () => undefined);
    void bulkUsageP.then((b) => (bulkSoFar = b), () => undefined);
    const snapshot = (): Inventory => ({
        tokens: arrived.slice(),
        owners: owners.soFar(),
        usage: usageOf(arrived, bulkSoFar),
        usageUnknown: [],
        seen: {},
        removed: {},
        features: detectFeatures(arrived, configSoFar, adminConfigFromStore()),
        policy: policySoFar[0],
        policyIsDefault: policySoFar[1],
        views: viewsSoFar,
        loadedAt: Date.now(),
        requests: api.requests - startRequests,
        failures: [],
    });

    // Only servers with a maximum token lifetime setting (11.9+) may have core's count (11.10+).
    const coreNonCompliantP = configP.then((config) => (config && 'MaximumPersonalAccessTokenLifetimeDays' in config ? getCoreNonCompliantCount({signal}) : undefined)).
        catch((err) => {
            rethrowAbort(err, signal);
            return undefined;
        });

    // Owners are read in batches while the token pages arrive.
    const owners = new OwnerBatches(signal, (done, total) => progress('owners', done, total));
    const side: Array<Promise<unknown>> = [configP, policyP, viewsP, bulkUsageP, coreNonCompliantP];
    try {
        progress('tokens', 0, 0);
        const {tokens, complete} = await listAllTokens({signal, onTokens: (added, soFar) => {
            owners.add(added.map((t) => t.user_id));
            arrived.push(...added);
            progress('tokens', soFar, 0);
            opts.onPartial?.(snapshot);
        }});
        owners.flush();
        progress('tokens', tokens.length, tokens.length);

        const ownerIds = [...new Set(tokens.map((t) => t.user_id))];
        const seenP = reportSeen(tokens.map((t) => t.id), complete, {signal}).
            catch(keep('seen', {tokens: {} as Record<string, Seen>, removed: {} as Record<string, Seen>}));
        side.push(seenP);
        const [ownerResult, usageResult] = await Promise.all([
            owners.result(),
            fetchAllUsage({tokens, ownerIds, bulk: bulkUsageP, signal, onDone: (done, total) => progress('usage', done, total)}),
        ]);
        failures.push(...ownerResult.failures, ...usageResult.failures);
        const seen = await seenP;
        progress('seen', 1, 1);

        const [config, [policy, policyIsDefault], views, coreNonCompliant] = await Promise.all([configP, policyP, viewsP, coreNonCompliantP]);
        progress('preferences', 1, 1);
        if (signal?.aborted) {
            throw abortError();
        }
        const inventory: Inventory = {
            tokens,
            owners: ownerResult.owners,
            usage: usageResult.usage,
            usageUnknown: usageResult.failures.flatMap((f) => f.ids),
            seen: seen.tokens,
            removed: seen.removed,
            features: detectFeatures(tokens, config, adminConfigFromStore()),
            policy,
            policyIsDefault,
            views,
            loadedAt: Date.now(),
            requests: api.requests - startRequests,
            failures,
        };
        if (coreNonCompliant !== undefined) {
            inventory.coreNonCompliant = coreNonCompliant;
        }
        return inventory;
    } catch (err) {
        // Settle what is still in flight so nothing rejects unobserved after we gave up.
        await Promise.allSettled(side);
        throw err;
    }
}

// The web app's one kept inventory, for the /tokens hook and the console alike.
export const inventoryCache = new InventoryCache({load: loadInventory});

// The inventory judged: one row per token with its findings, as of when it was loaded.
export function inventoryRows(inv: Inventory): Row[] {
    return buildRows({
        tokens: inv.tokens, owners: inv.owners, usage: inv.usage, seen: inv.seen, policy: inv.policy, features: inv.features,
        now: inv.loadedAt, lastReviewedAt: inv.views.last_reviewed_at, usageUnknown: inv.usageUnknown,
    });
}

// For callers that have a handful of tokens (search, /tokens user) rather than the inventory.
// Throws if any batch fails; loadInventory is the forgiving one.
export async function getOwners(userIds: string[], opts: CallOptions = {}): Promise<Record<string, Owner>> {
    const result = await fetchOwners([...new Set(userIds)], opts.signal);
    throwFirst(result.errors);
    return result.owners;
}

export async function getUsage(ownerIds: string[], opts: CallOptions = {}): Promise<Record<string, Usage>> {
    const result = await fetchUsage([...new Set(ownerIds)], opts.signal);
    throwFirst(result.errors);
    return result.usage;
}

export async function getServerFeatures(tokens: readonly Token[], opts: CallOptions = {}): Promise<ServerFeatures> {
    return detectFeatures(tokens, await getClientConfig(opts), adminConfigFromStore());
}

interface OwnersResult {
    owners: Record<string, Owner>;
    failures: LoadFailure[];
    errors: unknown[];
}

// Reads owners a full batch at a time as their ids turn up, so that owners arrive while the token
// list still pages; flush sends the last, short batch.
class OwnerBatches {
    private readonly known = new Set<string>();
    private pending: string[] = [];
    private readonly batches: Array<Promise<OwnersResult>> = [];
    private readonly arrived: Record<string, Owner> = {};
    private done = 0;

    constructor(private readonly signal: AbortSignal | undefined, private readonly onDone?: (done: number, total: number) => void) {}

    add(userIds: readonly string[]): void {
        for (const id of userIds) {
            if (!this.known.has(id)) {
                this.known.add(id);
                this.pending.push(id);
            }
        }
        while (this.pending.length >= OWNERS_PER_BATCH) {
            this.send(this.pending.splice(0, OWNERS_PER_BATCH));
        }
    }

    flush(): void {
        if (this.pending.length) {
            this.send(this.pending.splice(0));
        }
    }

    // The owners of the batches answered so far.
    soFar(): Record<string, Owner> {
        return {...this.arrived};
    }

    async result(): Promise<OwnersResult> {
        const results = await Promise.all(this.batches);
        return {
            owners: Object.assign({}, ...results.map((r) => r.owners)),
            failures: results.flatMap((r) => r.failures),
            errors: results.flatMap((r) => r.errors),
        };
    }

    private send(batch: string[]): void {
        this.batches.push(fetchOwners(batch, this.signal).then((result) => {
            Object.assign(this.arrived, result.owners);
            this.onDone?.(++this.done, this.batches.length);
            return result;
        }));
    }
}

async function fetchOwners(ids: string[], signal?: AbortSignal, onDone?: (done: number, total: number) => void): Promise<OwnersResult> {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += OWNERS_PER_BATCH) {
        batches.push(ids.slice(i, i + OWNERS_PER_BATCH));
    }
    const settled = await runPool(batches, (batch) => getOwnersBatch(batch, {signal}), {concurrency: getApi().concurrency, signal, onSettled: onDone});
    const owners: Record<string, Owner> = {};
    const failures: LoadFailure[] = [];
    settled.forEach((s, i) => {
        if (s.status === 'fulfilled') {
            for (const owner of s.value) {
                owners[owner.id] = owner;
            }
        } else {
            rethrowAbort(s.reason, signal);
            failures.push(failure('owners', batches[i], s.reason));
        }
    });
    return {owners, failures, errors: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []))};
}

interface UsageResult {
    usage: Record<string, Usage>;
    failures: LoadFailure[];
    errors: unknown[];
}

// The plugin reads every token's sessions from Mattermost's database in one request. Without it
// (501 when the plugin does not know the database, 404 from a plugin older than this bundle, or any
// failure) each owner's sessions are read through the REST API instead: a request per owner.
type BulkUsage = {usage?: Record<string, Partial<Usage>>} | undefined;

// Asked for before the token list is read, since the answer does not depend on it; undefined when
// the server cannot serve it, and the per-owner sessions are read instead. The answer comes in
// pages in token id order, each naming the id the next one starts after.
async function requestBulkUsage(signal?: AbortSignal): Promise<BulkUsage> {
    const usage: Record<string, Partial<Usage>> = {};
    try {
        for (let after = ''; ;) {
            const page = await getApi().pluginFetch<{usage?: Record<string, Partial<Usage>>; next?: string} | undefined>(
                'GET', after ? `/usage?after=${encodeURIComponent(after)}` : '/usage', {signal, idempotent: true});
            Object.assign(usage, page?.usage);
            // A next that does not move on would page forever.
            if (!page?.next || page.next <= after) {
                return {usage};
            }
            after = page.next;
        }
    } catch (err) {
        rethrowAbort(err, signal);
        return undefined;
    }
}

interface UsageRequest {
    tokens: Token[];
    ownerIds: string[];

    // The bulk answer, asked for early (requestBulkUsage).
    bulk: Promise<BulkUsage>;
    signal?: AbortSignal;
    onDone?: (done: number, total: number) => void;
}

async function fetchAllUsage({tokens, ownerIds, bulk, signal, onDone}: UsageRequest): Promise<UsageResult> {
    const res = await bulk;
    if (!res) {
        return fetchUsage(ownerIds, signal, onDone);
    }
    onDone?.(1, 1);
    return {usage: usageOf(tokens, res), failures: [], errors: []};
}

// The bulk answer's usage of these tokens, numbers checked.
function usageOf(tokens: readonly Token[], bulk: BulkUsage): Record<string, Usage> {
    const usage: Record<string, Usage> = {};
    for (const token of tokens) {
        const u = bulk?.usage?.[token.id];
        if (u) {
            usage[token.id] = {first_active: Number(u.first_active) || 0, last_active: Number(u.last_active) || 0};
        }
    }
    return usage;
}

async function fetchUsage(ownerIds: string[], signal?: AbortSignal, onDone?: (done: number, total: number) => void): Promise<UsageResult> {
    const settled = await runPool(ownerIds, (id) => getTokenUsageForOwner(id, {signal}), {concurrency: getApi().concurrency, signal, onSettled: onDone});
    const usage: Record<string, Usage> = {};
    const failed: Array<{id: string; reason: unknown}> = [];
    settled.forEach((s, i) => {
        if (s.status === 'fulfilled') {
            Object.assign(usage, s.value);
        } else {
            rethrowAbort(s.reason, signal);
            failed.push({id: ownerIds[i], reason: s.reason});
        }
    });

    // One entry per distinct reason keeps "usage failed for 300 owners" readable.
    const byMessage = new Map<string, LoadFailure>();
    for (const {id, reason} of failed) {
        const f = failure('usage', [id], reason);
        const key = `${f.status}:${f.message}`;
        const prev = byMessage.get(key);
        if (prev) {
            prev.ids.push(id);
        } else {
            byMessage.set(key, f);
        }
    }
    return {usage, failures: [...byMessage.values()], errors: failed.map((f) => f.reason)};
}

function failure(part: LoadFailure['part'], ids: string[], err: unknown): LoadFailure {
    return {part, ids: ids.slice(), message: messageOf(err), status: err instanceof ApiError ? err.status : 0};
}

// A cancelled load is not a partial load: it must stop, not report every part as failed.
function rethrowAbort(err: unknown, signal?: AbortSignal): void {
    if (isAbortError(err) || signal?.aborted) {
        throw err instanceof ApiError ? err : abortError();
    }
}

function throwFirst(errors: unknown[]): void {
    if (errors.length) {
        throw errors[0];
    }
}
