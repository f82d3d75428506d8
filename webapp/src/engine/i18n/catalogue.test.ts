import fs from 'fs';
import os from 'os';
import path from 'path';

import {parse, TYPE} from '@formatjs/icu-messageformat-parser';
import type {MessageFormatElement} from '@formatjs/icu-messageformat-parser';
import {IntlMessageFormat} from 'intl-messageformat';
import ts from 'typescript';

import {ALL_FINDINGS} from '../inventory/findings';
import {ALL_COLUMNS} from '../inventory/query';

import de from './de.json';
import en from './en.json';
import es from './es.json';
import {catalogueFor, englishMessages, LOCALES, supportedLocale, translationsFor} from './catalogue';

const ids = new Set(Object.keys(englishMessages));
const translations: Record<string, Record<string, string>> = {de, es};

test('every message is valid ICU and prefixed', () => {
    for (const [id, text] of Object.entries(englishMessages)) {
        expect(id.startsWith('token_audit.')).toBe(true);
        expect(() => new IntlMessageFormat(text, 'en')).not.toThrow();
    }
});

test('the families the console builds ids for are complete', () => {
    const want = [
        ...ALL_FINDINGS.flatMap((f) => [`finding.${f}`, `finding.${f}.description`]),
        ...ALL_COLUMNS.map((c) => `column.${c}`),
        ...['config', 'tokens', 'owners', 'usage', 'seen', 'preferences'].flatMap((p) => [`loading.${p}`, `loading.${p}_count`]),
        ...['config', 'owners', 'usage', 'seen', 'policy', 'views'].map((p) => `partial.${p}`),
        ...['revoke', 'disable', 'enable'].flatMap((a) => ['title', 'summary', 'effect', 'nothing', 'ok'].map((s) => `confirm.${a}.${s}`).concat(`bulk.${a}`, `result.${a}`)),
        'confirm.disable.skipped', 'confirm.enable.skipped',
        ...['revoke', 'disable', 'enable', 'bulk_revoke', 'bulk_disable', 'bulk_enable', 'policy_update'].map((a) => `trail.action.${a}`),
        ...['intent', 'act', 'outcome'].map((p) => `progress.${p}`),
        ...['user', 'bot', 'admin', 'deactivated'].map((k) => `owner_kind.${k}`),
    ];
    expect(want.filter((id) => !ids.has(`token_audit.${id}`))).toEqual([]);
});

// Each argument a message takes, with how it is used ("count:plural"), so a translation that
// drops, renames or stops pluralising one is caught.
function argumentsOf(text: string): string[] {
    const found = new Set<string>();
    const walk = (elements: MessageFormatElement[]) => {
        for (const el of elements) {
            if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) {
                found.add(`${el.value}:${TYPE[el.type]}`);
            } else if (el.type === TYPE.plural || el.type === TYPE.select) {
                found.add(`${el.value}:${TYPE[el.type]}`);
                Object.values(el.options).forEach((o) => walk(o.value));
            } else if (el.type === TYPE.tag) {
                walk(el.children);
            }
        }
    };
    walk(parse(text));
    return [...found].sort();
}

describe.each(Object.keys(translations))('the %s catalogue', (locale) => {
    const catalogue = translations[locale];

    test('has exactly the keys English has', () => {
        const keys = Object.keys(catalogue);
        expect({missing: [...ids].filter((id) => !(id in catalogue)), extra: keys.filter((id) => !ids.has(id))}).toEqual({missing: [], extra: []});
    });

    test('takes the same arguments in every message, as valid ICU', () => {
        const differ = Object.entries(englishMessages).filter(([id, text]) => {
            expect(() => new IntlMessageFormat(catalogue[id], locale)).not.toThrow();
            return argumentsOf(text).join() !== argumentsOf(catalogue[id]).join();
        }).map(([id]) => id);
        expect(differ).toEqual([]);
    });

    test('is translated, not copied', () => {
        // Words that read the same in both languages (Token, Bot, /tokens, ...) are few.
        const same = Object.keys(englishMessages).filter((id) => catalogue[id] === englishMessages[id as keyof typeof englishMessages]);
        expect(same.length).toBeLessThan(ids.size / 20);
    });
});

test('the argument check sees a dropped or renamed placeholder', () => {
    expect(argumentsOf('{count, plural, one {# token} other {# tokens}} of {owner}')).toEqual(['count:plural', 'owner:argument']);
    expect(argumentsOf('{n, plural, one {# Token} other {# Tokens}} von {owner}')).not.toEqual(argumentsOf('{count, plural, one {# token} other {# tokens}} of {owner}'));
});

test('registerTranslations gets the admin\'s language, English for any other', () => {
    expect(translationsFor('de')['token_audit.tabs.trail']).toBe(de['token_audit.tabs.trail']);
    expect(translationsFor('es')['token_audit.tabs.trail']).toBe(es['token_audit.tabs.trail']);
    expect(translationsFor('de')['token_audit.tabs.trail']).not.toBe(en['token_audit.tabs.trail']);
    expect(translationsFor('pt-BR')).toEqual(en);
    expect(supportedLocale('es-MX')).toBe('es');
    expect(supportedLocale('DE')).toBe('de');
    expect(catalogueFor(undefined)).toBe(englishMessages);
    expect(LOCALES).toEqual(['en', 'de', 'es']);
});

// Text in the TSX that a user would see, yet does not come from the catalogue: JSX text with
// letters in it, and the attributes read out or shown (aria-label, title, placeholder, alt).
function literalsShown(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const shownAttributes = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label']);
    const found: string[] = [];
    const hasLetters = (text: string) => /\p{L}/u.test(text);
    const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && hasLetters(node.text)) {
            found.push(node.text.trim());
        } else if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteral(node.expression) && ts.isJsxElement(node.parent) && hasLetters(node.expression.text)) {
            found.push(node.expression.text);
        } else if (ts.isJsxAttribute(node) && shownAttributes.has(node.name.getText())) {
            const value = node.initializer;
            const literal = value && (ts.isStringLiteral(value) ? value : (ts.isJsxExpression(value) && value.expression && ts.isStringLiteralLike(value.expression) ? value.expression : undefined));
            // A component's prop may name a message id, which it translates itself.
            const tag = node.parent.parent.tagName.getText();
            const messageId = /^[A-Z]/.test(tag) && literal?.text.startsWith('token_audit.');
            if (literal && hasLetters(literal.text) && !messageId) {
                found.push(`${node.name.getText()}="${literal.text}"`);
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found.map((text) => `${path.basename(file)}: ${text}`);
}

function sources(dir: string): string[] {
    return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === 'testing' ? [] : sources(full);
        }
        return entry.name.endsWith('.tsx') && !entry.name.includes('.test.') ? [full] : [];
    });
}

test('no text a user sees is written into the components', () => {
    const root = path.join(__dirname, '..', '..');
    const files = sources(root);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(literalsShown)).toEqual([]);
});

test('the scan finds text written into a component', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ta-i18n-')), 'Sample.tsx');
    fs.writeFileSync(file, "export const A = () => <div title='Hello' aria-label={t('x')}><b>Save now</b>{'Or later'}{' / '}<img alt=''/><Notice title='token_audit.ok'/><Notice title='Oops'/></div>;\n");
    expect(literalsShown(file)).toEqual(['Sample.tsx: title="Hello"', 'Sample.tsx: Save now', 'Sample.tsx: Or later', 'Sample.tsx: title="Oops"']);
});
