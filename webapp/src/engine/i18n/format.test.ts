import {IntlMessageFormat} from 'intl-messageformat';

import {englishMessages, LOCALES, catalogueFor} from './catalogue';
import {addEveryCatalogue} from './every';
import {formatDate, formatDateTime, formatMessage, formatNumber, translator} from './format';

addEveryCatalogue();

test.each(LOCALES)('numbers in %s are grouped as Intl.NumberFormat groups them', (locale) => {
    const numbers = [0, 7, 42, 999, 1000, 1234, 9999, 10000, 12345, 99999, 100000, 1234567, 100000009, -4321, -12345];
    expect(numbers.map((n) => formatNumber(n, locale))).toEqual(numbers.map((n) => new Intl.NumberFormat(locale).format(n)));
});

test('dates are ISO order in UTC, whatever the time zone', () => {
    const at = Date.UTC(2025, 10, 26, 9, 5);
    expect(formatDateTime(at)).toBe('2025-11-26 09:05 UTC');
    expect(formatDate(at)).toBe('2025-11-26');
    expect(formatDateTime(Date.UTC(2026, 0, 1, 23, 59, 59))).toBe('2026-01-01 23:59 UTC');
});

// Sample values for every argument a message takes: a count to pluralise and text to insert.
function sampleValues(text: string, n: number): Record<string, string | number> {
    const values: Record<string, string | number> = {};
    for (const match of text.matchAll(/\{(\w+)(,\s*(\w+))?/g)) {
        values[match[1]] = match[3] === 'plural' ? n : `<${match[1]}>`;
    }
    return values;
}

test.each(LOCALES)('every %s message reads as react-intl would write it, for 0, 1, 2 and 12345', (locale) => {
    const catalogue = catalogueFor(locale);
    const differ: string[] = [];
    for (const id of Object.keys(englishMessages) as Array<keyof typeof englishMessages>) {
        for (const n of [0, 1, 2, 12345]) {
            const values = sampleValues(catalogue[id], n);
            const ours = formatMessage(catalogue[id], values, locale);
            const theirs = String(new IntlMessageFormat(catalogue[id], locale).format(values));
            if (ours !== theirs) {
                differ.push(`${id} (${n}): ${ours} ≠ ${theirs}`);
            }
        }
    }
    expect(differ).toEqual([]);
});

test('a missing value stays visible, a regional locale gets its language', () => {
    expect(formatMessage('Hello {name}', {}, 'en')).toBe('Hello {name}');
    expect(translator('de-AT').locale).toBe('de');
    expect(translator('pt-BR').number(1234)).toBe('1,234');
});
