import {escapeMarkdown, fit, truncate} from './markdown';

// Characters that would start markdown, a link, a mention, a channel link, a hashtag or emoji.
const ACTIVE = /[[\]()*_`~#@:<>|!\\$]/;

describe('escapeMarkdown', () => {
    test.each([
        '[click me](https://evil.example.com)',
        '![img](https://evil.example.com/x.png)',
        '**bold** _em_ ~~del~~ `code`',
        '@channel @all ~town-square #hashtag :smile:',
        '<script>alert(1)</script> <https://evil.example.com>',
        'www.evil.example.com http://evil.example.com evil.com/path',
        '$\\frac{1}{2}$ | pipe \\ backslash',
    ])('%s shows literally and cannot act', (text) => {
        const out = escapeMarkdown(text);
        expect(out.replace(/&#\d+;/g, '')).not.toMatch(ACTIVE);
        expect(out).not.toMatch(/www\.|:\/\//);
        const decoded = out.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
        expect(decoded).toBe(text);
    });

    test('line breaks and tabs become spaces, invisible and bidi characters go', () => {
        expect(escapeMarkdown('one\ntwo\r\n\tthree\u2028four')).toBe('one two three four');
        expect(escapeMarkdown('ab\u202Ecd\u200Bef\u2066')).toBe('abcdef');
        expect(escapeMarkdown('  ')).toBe('');
    });

    test('plain text and unicode stay readable', () => {
        expect(escapeMarkdown('CI deploy key – Café 🚀')).toBe('CI deploy key – Café 🚀');
    });
});

test('truncate counts code points and never splits an emoji', () => {
    expect(truncate('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a\nb', 10)).toBe('a b');
});



test('fit cuts long answers at a line boundary under the limit', () => {
    const md = Array.from({length: 100}, (_, i) => `line ${i}`).join('\n');
    const out = fit(md, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('\n\n…')).toBe(true);
    expect(out.split('\n')[0]).toBe('line 0');
    expect(fit('short', 50)).toBe('short');
});

