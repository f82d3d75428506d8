import {clean, CONTROL_CHARS, FORMAT_CHARS, LINE_SEPARATORS, reveal, UNPRINTABLE} from './characters';

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

test('clean makes any run of whitespace or control characters one space and drops invisible ones', () => {
    expect(clean(' a\u00A0\u3000b\r\n\tc\u0000d\u200Be\u202Ef\u2028g\u{E0041} ')).toBe('a b c def g');
    expect(clean('Café – 🚀 日本')).toBe('Café – 🚀 日本');
    expect(clean('plain ascii, one space')).toBe('plain ascii, one space');
    for (const [text, want] of [['  two  spaces ', 'two spaces'], ['a\tb', 'a b'], ['a\u007Fb', 'a b'], ['', '']]) {
        expect(clean(text)).toBe(want);
    }
});

test('reveal writes each character that does not show as its code point, and leaves the rest', () => {
    expect(reveal('\u202Elist')).toBe('<U+202E>list');
    expect(reveal('li\u0000st\u200D\u{E0041}')).toBe('li<U+0000>st<U+200D><U+E0041>');
    expect(reveal('Café – 🚀 日本')).toBe('Café – 🚀 日本');
});
