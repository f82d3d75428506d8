// Character classes for text people type, and what the engine does with the characters that do not show.
// Written out because goja reads `\p{…}` inside a character class as plain letters; characters.test.ts
// checks each against Unicode's own property in Node.

// General category Cf: soft hyphen, bidi controls and overrides, zero-width characters, tags, ...
export const FORMAT_CHARS = '\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u202a-\\u202e' +
    '\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u{110bd}\\u{110cd}\\u{13430}-\\u{1343f}\\u{1bca0}-\\u{1bca3}' +
    '\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}';

// General category Cc.
export const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f';

// Zl and Zp.
export const LINE_SEPARATORS = '\\u2028\\u2029';

// Nothing a person types on purpose: a search term or a name holding one is refused or cleaned.
export const UNPRINTABLE = new RegExp(`[${CONTROL_CHARS}${FORMAT_CHARS}${LINE_SEPARATORS}]`, 'u');

const INVISIBLE = new RegExp(`[${FORMAT_CHARS}]`, 'gu');
const BREAKING = new RegExp(`[${CONTROL_CHARS}${LINE_SEPARATORS}\\s]+`, 'gu');
const EVERY_UNPRINTABLE = new RegExp(UNPRINTABLE.source, 'gu');

// Printable ASCII words with single spaces between them, which most text is: nothing to clean, and one
// plain test is far cheaper in goja than two Unicode-aware replacements.
const ALREADY_CLEAN = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

// Text as a reader sees it, which the answers show and search matches: control characters and runs of
// any whitespace become one space (a newline would end a table row), invisible format characters
// (bidi overrides, zero-width) go.
export function clean(text: string): string {
    return ALREADY_CLEAN.test(text) ? text : text.replace(INVISIBLE, '').replace(BREAKING, ' ').trim();
}

// Every character that does not show, written as its code point: echoed back in an error, "\u202Elist"
// must not read as "list".
export function reveal(text: string): string {
    return text.replace(EVERY_UNPRINTABLE, (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}
