import {CONTROL_CHARS, FORMAT_CHARS, LINE_SEPARATORS, UNPRINTABLE} from './characters';

// Every code point, compared with Node's Unicode properties.
function differences(written: RegExp, property: RegExp): string[] {
    const differ: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
        const ch = String.fromCodePoint(c);
        if (written.test(ch) !== property.test(ch)) {
            differ.push(c.toString(16));
        }
    }
    return differ;
}

test.each([
    ['Cf', FORMAT_CHARS, /^\p{Cf}$/u],
    ['Cc', CONTROL_CHARS, /^\p{Cc}$/u],
    ['Zl Zp', LINE_SEPARATORS, /^[\p{Zl}\p{Zp}]$/u],
])('the written-out %s class is Unicode\'s', (_name, chars, property) => {
    expect(differences(new RegExp(`^[${chars}]$`, 'u'), property)).toEqual([]);
});

test('UNPRINTABLE finds a right-to-left override, a zero-width space, a tag and a newline, not letters', () => {
    for (const text of ['a\u202Eb', 'a\u200Bb', 'a\u{E0041}b', 'a\nb', 'a\u2028b']) {
        expect(UNPRINTABLE.test(text)).toBe(true);
    }
    expect(UNPRINTABLE.test('Café – 🚀 日本')).toBe(false);
});
