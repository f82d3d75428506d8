// The engine's own number, date and message formatting. goja has no Intl, and both hosts must write
// the same text, so nothing here asks the runtime for locale data.
import {catalogueFor, supportedLocale, writtenLocale} from './catalogue';
import type {CatalogueId} from './catalogue';

export type Values = Readonly<Record<string, string | number>>;

// CLDR's grouping for the catalogues' languages: Spanish groups only from five digits
// (minimumGroupingDigits 2), as Intl.NumberFormat does.
const GROUPING: Readonly<Record<string, {separator: string; minDigits: number}>> = {
    en: {separator: ',', minDigits: 4},
    de: {separator: '.', minDigits: 4},
    es: {separator: '.', minDigits: 5},
};

export function formatNumber(n: number, locale: string | undefined): string {
    if (!Number.isFinite(n)) {
        return String(n);
    }
    const {separator, minDigits} = GROUPING[supportedLocale(locale)];
    const digits = String(Math.trunc(Math.abs(n)));
    const sign = n < 0 ? '-' : '';
    if (digits.length < minDigits) {
        return sign + digits;
    }
    return sign + digits.replace(/\B(?=(\d{3})+$)/g, separator);
}

const pad = (n: number) => String(n).padStart(2, '0');

// ISO order in UTC reads the same in every language and never depends on the reader's time zone.
export function formatDateTime(ms: number): string {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

export function formatDate(ms: number): string {
    return formatDateTime(ms).slice(0, 10);
}

// The subset of ICU MessageFormat the catalogues use: `{name}` and
// `{name, plural, =0 {…} one {…} other {…}}` with `#` for the number. The catalogues' languages
// share one plural rule: exactly 1 is "one".
export function formatMessage(text: string, values: Values, locale: string | undefined): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
        const open = text.indexOf('{', i);
        if (open === -1) {
            return out + text.slice(i);
        }
        out += text.slice(i, open);
        const close = matchingBrace(text, open);
        out += argument(text.slice(open + 1, close), values, locale);
        i = close + 1;
    }
    return out;
}

function matchingBrace(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === '{') {
            depth++;
        } else if (text[i] === '}' && --depth === 0) {
            return i;
        }
    }
    throw new Error(`unbalanced braces in message: ${text}`);
}

function argument(body: string, values: Values, locale: string | undefined): string {
    const [name, type] = body.split(',', 2).map((s) => s.trim());
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (type !== 'plural') {
        if (value === undefined) {
            return `{${body}}`;
        }
        return typeof value === 'number' ? formatNumber(value, locale) : value;
    }
    const n = Number(value);
    const options = pluralOptions(body.slice(body.indexOf('plural') + 'plural'.length + 1));
    const chosen = options[`=${n}`] ?? (n === 1 ? options.one : undefined) ?? options.other ?? '';
    return formatMessage(chosen.replace(/#/g, formatNumber(n, locale)), values, locale);
}

function pluralOptions(spec: string): Record<string, string> {
    const options: Record<string, string> = {};
    let i = 0;
    while (i < spec.length) {
        const open = spec.indexOf('{', i);
        if (open === -1) {
            break;
        }
        const close = matchingBrace(spec, open);
        options[spec.slice(i, open).trim()] = spec.slice(open + 1, close);
        i = close + 1;
    }
    return options;
}

// A translator for one language, English while that language's catalogue is not added.
export interface Translator {
    locale: string;
    t(id: CatalogueId, values?: Values): string;
    number(n: number): string;
}

export function translator(locale: string | undefined): Translator {
    const tag = writtenLocale(locale);
    const messages = catalogueFor(tag);
    return {
        locale: tag,
        t: (id, values = {}) => formatMessage(messages[id], values, tag),
        number: (n) => formatNumber(n, tag),
    };
}
