import {clean} from '../characters';
import {buildRows, riskScore} from './findings';
import type {RowInput} from './findings';
import type {Column, Filters, Owner, OwnerKind, Row, ServerFeatures} from '../types';

export const ALL_COLUMNS: readonly Column[] = ['owner', 'description', 'token_id', 'state', 'expires', 'first_seen', 'last_active', 'findings'];

export const DEFAULT_FILTERS: Filters = Object.freeze({state: 'all', findings: [], owner_kinds: []}) as unknown as Filters;

export const OWNER_KINDS: readonly OwnerKind[] = ['user', 'bot', 'admin', 'deactivated'];

// Kinds overlap on purpose: an admin is both `user` and `admin`, a deactivated bot both `bot` and
// `deactivated`, so "show bots" shows every bot. `user` means a human account.
export function ownerKinds(owner: Owner | undefined): OwnerKind[] {
    if (!owner) {
        return [];
    }
    const kinds: OwnerKind[] = [owner.bot ? 'bot' : 'user'];
    if (owner.system_admin) {
        kinds.push('admin');
    }
    if (owner.deactivated) {
        kinds.push('deactivated');
    }
    return kinds;
}

// How a row's owner is named to a reader: the username, or the user id of an owner not known.
export function ownerName(row: Row): string {
    return row.owner?.username ?? row.token.user_id;
}

// Case-insensitive substring over description, username, email, token id and user id, as they are
// shown (clean): a description shown as "a b" is found by "a b" whatever spaces, line breaks or
// invisible characters it holds. A leading '@' is how people write usernames, so it is ignored.
export function searchRows(rows: readonly Row[], query: string): Row[] {
    return searcher(rows)(query);
}

function searchTerm(query: string): string {
    return clean(query).toLowerCase().replace(/^@/, '');
}

// The console searches on every keystroke over every row, in the order the table shows them: the
// searcher looks only at the rows that matched the last term when the new one contains it (every
// text holding the new term holds the old one), so typing narrows what is left to look at. Rows
// keep the order they were given in.
export function searcher(rows: readonly Row[]): (query: string) => Row[] {
    let texts: string[] | undefined;
    let last: {term: string; positions: number[]} | undefined;
    return (query) => {
        const term = searchTerm(query);
        if (!term) {
            return rows.slice();
        }
        texts = texts ?? rows.map(haystack);
        const from = last && term.includes(last.term) ? last.positions : undefined;
        const positions: number[] = [];
        const count = from ? from.length : texts.length;
        for (let i = 0; i < count; i++) {
            const p = from ? from[i] : i;
            if (texts[p].includes(term)) {
                positions.push(p);
            }
        }
        last = {term, positions};
        return positions.map((p) => rows[p]);
    };
}

// Each row's searchable text is lower-cased once, whatever order or searcher it is next searched in.
// The separator cannot occur in a typed query, so no match spans two fields.
const haystacks = new WeakMap<Row, string>();

function haystack(row: Row): string {
    let text = haystacks.get(row);
    if (text === undefined) {
        text = [row.token.description, row.owner?.username, row.owner?.email, row.token.id, row.token.user_id].
            filter((field) => typeof field === 'string').map(clean).join('\u0000').toLowerCase();
        haystacks.set(row, text);
    }
    return text;
}

// Within findings and within owner kinds any one match suffices; the groups must all match.
export function filterRows(rows: readonly Row[], filters: Partial<Filters>): Row[] {
    const state = filters.state ?? 'all';
    const findings = filters.findings ?? [];
    const kinds = filters.owner_kinds ?? [];
    return rows.filter((r) => {
        if ((state === 'active' && !r.token.is_active) || (state === 'inactive' && r.token.is_active)) {
            return false;
        }
        if (findings.length && !findings.some((f) => r.findings.includes(f))) {
            return false;
        }
        return !kinds.length || ownerKinds(r.owner).some((k) => kinds.includes(k));
    });
}

type Key = string | number | undefined;

// undefined = "no value", which sorts last in both directions: unknown is never "oldest" or "newest".
function sortKey(row: Row, column: Column): Key {
    switch (column) {
    case 'owner':
        return row.owner ? row.owner.username.toLowerCase() : undefined;
    case 'description':
        return row.token.description.toLowerCase();
    case 'token_id':
        return row.token.id;
    case 'state':
        return row.token.is_active ? 0 : 1;
    case 'expires':
        if (typeof row.token.expires_at !== 'number') {
            return undefined;
        }
        return row.token.expires_at === 0 ? Number.POSITIVE_INFINITY : row.token.expires_at;
    case 'first_seen':
        return row.seen?.first_seen || undefined;
    case 'last_active':
        return row.usage?.last_active || undefined;
    case 'findings':
        return riskScore(row) * 100 + row.findings.length;
    }
}

function compareKeys(a: Key, b: Key): number {
    if (typeof a === 'number' && typeof b === 'number') {
        return a - b || 0;
    }
    const sa = String(a);
    const sb = String(b);
    if (sa < sb) {
        return -1;
    }
    return sa > sb ? 1 : 0;
}

// Stable: equal keys keep their input order whichever the direction. Rows already in order are
// returned as they are (the server reads its tokens in id order); others are grouped by key and only
// the distinct keys compared: many rows share a key (an owner, a risk score, a state), and in goja
// each comparison is a JavaScript call.
export function sortRows(rows: readonly Row[], column: Column, direction: 'asc' | 'desc' = 'asc'): Row[] {
    const sign = direction === 'desc' ? -1 : 1;
    const rowKeys = rows.map((row) => sortKey(row, column));
    if (inOrder(rowKeys, sign)) {
        return rows.slice();
    }
    const groups = new Map<Key, Row[]>();
    rowKeys.forEach((key, i) => {
        const group = groups.get(key);
        if (group) {
            group.push(rows[i]);
        } else {
            groups.set(key, [rows[i]]);
        }
    });
    const keys = [...groups.keys()].sort((a, b) => {
        if (a === undefined || b === undefined) {
            return Number(a === undefined) - Number(b === undefined);
        }
        return sign * compareKeys(a, b);
    });
    const sorted: Row[] = [];
    for (const key of keys) {
        for (const row of groups.get(key)!) {
            sorted.push(row);
        }
    }
    return sorted;
}

// Whether keys are sorted already, ties allowed, missing keys last.
function inOrder(keys: readonly Key[], sign: number): boolean {
    for (let i = 1; i < keys.length; i++) {
        const a = keys[i - 1];
        const b = keys[i];
        if (b === undefined) {
            continue;
        }
        if (a === undefined || sign * compareKeys(a, b) > 0) {
            return false;
        }
    }
    return true;
}

export function sortByRisk(rows: readonly Row[]): Row[] {
    return sortRows(rows, 'findings', 'desc');
}

export interface Page {
    rows: Row[];

    // Zero-based, clamped to the pages that exist.
    page: number;
    pageCount: number;
    total: number;
}

export function pageRows(rows: readonly Row[], page: number, pageSize: number): Page {
    const size = Math.max(1, Math.floor(pageSize) || 1);
    const pageCount = Math.max(1, Math.ceil(rows.length / size));
    const p = Math.min(Math.max(0, Math.floor(page) || 0), pageCount - 1);
    return {rows: rows.slice(p * size, (p + 1) * size), page: p, pageCount, total: rows.length};
}

export interface RowQuery {
    query?: string;
    filters?: Partial<Filters>;
    sort?: {column: Column; direction: 'asc' | 'desc'};
}

// What a saved view does to the rows, in one call.
export function queryRows(rows: readonly Row[], q: RowQuery): Row[] {
    const found = filterRows(searchRows(rows, q.query ?? ''), q.filters ?? {});
    return q.sort ? sortRows(found, q.sort.column, q.sort.direction) : found;
}

// What the hosts hand over for an answer or a post: features default to a server with tokens on and
// no expiry, and a reader who never marked the inventory reviewed.
export type InventoryFacts = Omit<RowInput, 'features' | 'lastReviewedAt' | 'now'> & {features?: ServerFeatures; lastReviewedAt?: number};

// The hosts list tokens in no particular order (the REST API has no ORDER BY), so every answer and
// post starts from rows in token id order: ties in any later sort then come out alike on both hosts
// and on every page.
export function rowsInIdOrder(facts: InventoryFacts, now: number): Row[] {
    return sortRows(buildRows({
        tokens: facts.tokens,
        owners: facts.owners,
        usage: facts.usage,
        seen: facts.seen,
        policy: facts.policy,
        features: facts.features ?? {tokensEnabled: true, expirySupported: false},
        now,
        lastReviewedAt: facts.lastReviewedAt ?? 0,
        usageUnknown: facts.usageUnknown,
    }), 'token_id');
}
