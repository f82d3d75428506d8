// Text of every /tokens answer, from the i18n catalogues (ids `token_audit.command.*`). They use
// only simple {placeholder} arguments: no plural/select syntax, no `<`, no literal braces, since
// react-intl reads the same catalogue. Markdown around them is added by the renderer, never kept here.
import {catalogueFor, englishMessages} from '../i18n';
import type {Catalogue, CatalogueId} from '../i18n';

export type MessageId = CatalogueId extends infer Id ? (Id extends `token_audit.${infer Rest extends `command.${string}`}` ? Rest : never) : never;
export type Values = Record<string, string | number>;

const PREFIX = 'token_audit.';

// The English text of each message, by its id without the prefix.
export const commandMessages = Object.fromEntries(
    Object.entries(englishMessages).filter(([id]) => id.startsWith(`${PREFIX}command.`)).map(([id, text]) => [id.slice(PREFIX.length), text]),
) as Readonly<Record<MessageId, string>>;

interface Language {
    locale: string;
    messages: Catalogue;
    numbers: Intl.NumberFormat;
    dates: Intl.DateTimeFormat;
}

function language(locale: string | undefined): Language {
    const messages = catalogueFor(locale);
    const tag = locale || 'en';
    return {
        locale: tag,
        messages,
        numbers: new Intl.NumberFormat(tag),

        // UTC, said as such: an answer may be read again later, or shared, from another time zone.
        dates: new Intl.DateTimeFormat(tag, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC'}),
    };
}

// The renderer's functions are synchronous, so the language of the answer being written is set
// for the duration of one call (inLocale) instead of being threaded through every helper.
let current: Language = language('en');

export function inLocale<T>(locale: string | undefined, write: () => T): T {
    const outer = current;
    current = locale === outer.locale ? outer : language(locale);
    try {
        return write();
    } finally {
        current = outer;
    }
}

// Arguments are inserted as given, numbers in the answer's language: the renderer escapes user text
// before it gets here.
export function t(id: MessageId, values: Values = {}): string {
    const text = current.messages[`${PREFIX}${id}` as CatalogueId];
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        if (!(name in values)) {
            return whole;
        }
        const value = values[name];
        return typeof value === 'number' ? current.numbers.format(value) : value;
    });
}

export function formatNumber(n: number): string {
    return current.numbers.format(n);
}

// ICU versions differ in the no-break spaces they put in dates (Node's and Chromium's do); a plain
// space reads the same and keeps answers alike everywhere.
export function formatDate(ms: number): string {
    return `${current.dates.format(ms).replace(/[\u00a0\u202f]/g, ' ')} UTC`;
}
