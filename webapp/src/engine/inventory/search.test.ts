import corpus from '../corpus/unicode.json';
import {clean} from '../characters';
import {DEFAULT_POLICY} from '../policy/policy';
import type {Owner, Row, Token, Usage, Seen} from '../types';

import {buildRows} from './findings';
import {searcher, searchRows} from './query';

// Search as it was before the searcher: every query on its own over every row.
function searchEachRow(rows: readonly Row[], query: string): Row[] {
    const q = clean(query).toLowerCase().replace(/^@/, '');
    if (!q) {
        return rows.slice();
    }
    return rows.filter((r) => [r.token.description, r.owner?.username, r.owner?.email, r.token.id, r.token.user_id].
        filter((field) => typeof field === 'string').map(clean).join('\u0000').toLowerCase().includes(q));
}

interface Dataset {
    tokens: Token[];
    owners: Record<string, Owner>;
    usage: Record<string, Usage>;
    seen: Record<string, Seen>;
}

function corpusRows(): Row[] {
    return Object.values(corpus.datasets as unknown as Record<string, Dataset>).flatMap((d) => buildRows({
        tokens: d.tokens, owners: d.owners, usage: d.usage, seen: d.seen, policy: DEFAULT_POLICY,
        features: {tokensEnabled: true, expirySupported: true}, now: corpus.context.now, lastReviewedAt: 0,
    }));
}

// Typing each text one character at a time, then deleting it the same way, as the search box does.
function keystrokes(text: string): string[] {
    const chars = Array.from(text);
    const typed = chars.map((_, i) => chars.slice(0, i + 1).join(''));
    return [...typed, ...typed.slice(0, -1).reverse(), ''];
}

const rows = corpusRows();
const ids = (found: Row[]) => found.map((r) => r.token.id);

const TYPED = [
    ...rows.map((r) => r.token.description),
    ...rows.flatMap((r) => (r.owner ? [`@${r.owner.username}`, r.owner.email.toUpperCase()] : [])),
    'CAFÉ', 'ZERO\u200BWIDTH', 'nbsp here ideographic there', 'line one line two', '🔑🔑', 'İ', '@', '@@channel', '  a  |  b ',
];

test('the corpus holds the hard cases the search must survive', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((r) => /[\u200B\u202E\u00A0\u3000]/.test(r.token.description))).toBe(true);
});

test('a searcher answers every keystroke as a search of all rows would, typing and deleting', () => {
    const search = searcher(rows);
    for (const text of TYPED) {
        for (const query of keystrokes(text)) {
            expect({query, found: ids(search(query))}).toEqual({query, found: ids(searchEachRow(rows, query))});
        }
    }
});

test('a searcher answers a query that does not extend the last one from all rows', () => {
    const search = searcher(rows);
    const pairs: Array<[string, string]> = [['line one', 'line two'], ['café', 'cafe'], ['@channel', 'channel @here'], ['xx', 'x']];
    for (const [first, second] of pairs) {
        search(first);
        expect(ids(search(second))).toEqual(ids(searchEachRow(rows, second)));
        expect(ids(search(second)).length).toBeGreaterThan(0);
    }
});

test('searchRows keeps the order of the rows it is given', () => {
    const reversed = rows.slice().reverse();
    for (const query of ['', 'a', 'line', '@mallory', 'umallory']) {
        expect(ids(searchRows(reversed, query))).toEqual(ids(searchEachRow(reversed, query)));
    }
});
