import fs from 'fs';
import os from 'os';
import path from 'path';

import {parse, TYPE} from '@formatjs/icu-messageformat-parser';
import type {MessageFormatElement} from '@formatjs/icu-messageformat-parser';
import {IntlMessageFormat} from 'intl-messageformat';
import ts from 'typescript';

import {ALL_FINDINGS} from '../inventory/findings';
import {DIGEST_SCHEDULES, OFFBOARDING_RULES, WATCH_LIMITS} from '../policy/limits';
import {ALL_COLUMNS, OWNER_KINDS} from '../inventory/query';
import {TRAIL_ACTIONS} from '../trail/entries';

import de from './de.json';
import en from './en.json';
import es from './es.json';
import {addCatalogue, catalogueFor, englishMessages, LOCALES, supportedLocale, translationsFor, writtenLocale} from './catalogue';
import {addEveryCatalogue} from './every';

addEveryCatalogue();

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
        ...TRAIL_ACTIONS.map((a) => `trail.action.${a}`),
        ...['intent', 'act', 'outcome'].map((p) => `progress.${p}`),
        ...OWNER_KINDS.map((k) => `owner_kind.${k}`),
        ...DIGEST_SCHEDULES.map((s) => `policy.watch.schedule.${s}`),
        ...OFFBOARDING_RULES.map((r) => `policy.watch.offboarding.${r}`),
        ...Array.from({length: WATCH_LIMITS.weekday.max + 1}, (_, day) => `weekday.${day}`),
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

test('a language reads as English, words and numbers, until its host adds the catalogue', () => {
    jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('./catalogue') as typeof import('./catalogue');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const {translator: freshTranslator} = require('./format') as typeof import('./format');
        expect(fresh.supportedLocale('de-AT')).toBe('de');
        expect(fresh.writtenLocale('de-AT')).toBe('en');
        expect(fresh.translationsFor('de')).toEqual(en);
        expect(freshTranslator('de').locale).toBe('en');
        expect(freshTranslator('de').number(1234)).toBe('1,234');

        fresh.addCatalogue('de', de);
        expect(fresh.writtenLocale('de-AT')).toBe('de');
        expect(fresh.catalogueFor('de')).toBe(de);
        expect(freshTranslator('de').t('token_audit.tabs.trail')).toBe(de['token_audit.tabs.trail']);
        expect(freshTranslator('de').number(1234)).toBe('1.234');
        expect(fresh.writtenLocale('es')).toBe('en');
    });
});

test('a host adds only a language there is a catalogue file for, and never English', () => {
    expect(() => addCatalogue('fr', de)).toThrow('there is no fr catalogue to add');
    expect(() => addCatalogue('en', de)).toThrow('there is no en catalogue to add');
    expect(catalogueFor('en')).toBe(englishMessages);
});

test('each language has its file beside the catalogue, and the server\'s engine adds every one', () => {
    const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.json')).map((f) => path.basename(f, '.json'));
    expect(files.sort()).toEqual([...LOCALES].sort());
    expect(LOCALES.filter((l) => writtenLocale(l) !== l)).toEqual([]);
});

// Text in the TSX that a user would see, yet does not come from the catalogue: JSX text with
// letters in it, string literals (also inside a condition or a template) that a JSX element shows,
// the attributes read out or shown (aria-label, title, placeholder, alt, ...) and the props of our
// own components that carry such text (label, ariaLabel, text, ...), also as fields of an object
// literal handed to one (a select's options, a dialog's buttons).
const SHOWN_NAME = /^(aria-(label|description|roledescription|valuetext|placeholder)|title|placeholder|alt|label|text|message|heading|[a-z]+(Label|Title|Text|Message|Placeholder))$/;

// The literal strings an expression can evaluate to without calling anything.
function literalsIn(expr: ts.Expression): string[] {
    if (ts.isStringLiteralLike(expr)) {
        return [expr.text];
    }
    if (ts.isTemplateExpression(expr)) {
        return [expr.head.text + expr.templateSpans.map((span) => span.literal.text).join('')];
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) {
        return literalsIn(expr.expression);
    }
    if (ts.isConditionalExpression(expr)) {
        return [...literalsIn(expr.whenTrue), ...literalsIn(expr.whenFalse)];
    }
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(expr.operatorToken.kind)) {
        return expr.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? literalsIn(expr.right) : [...literalsIn(expr.left), ...literalsIn(expr.right)];
    }
    return [];
}

function literalsShown(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const found: string[] = [];
    const hasLetters = (text: string) => /\p{L}/u.test(text);

    // A component's prop may name a message id, which it translates itself.
    const isMessageId = (text: string) => text.startsWith('token_audit.');
    const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && hasLetters(node.text)) {
            found.push(node.text.trim());
        } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
            found.push(...literalsIn(node.expression).filter(hasLetters));
        } else if (ts.isJsxAttribute(node) && SHOWN_NAME.test(node.name.getText())) {
            const value = node.initializer;
            const literals = value && ts.isStringLiteral(value) ? [value.text] : (value && ts.isJsxExpression(value) && value.expression ? literalsIn(value.expression) : []);
            const component = /^[A-Z]/.test(node.parent.parent.tagName.getText());
            for (const text of literals.filter((l) => hasLetters(l) && !(component && isMessageId(l)))) {
                found.push(`${node.name.getText()}="${text}"`);
            }
        } else if (ts.isPropertyAssignment(node) && SHOWN_NAME.test(node.name.getText())) {
            for (const text of literalsIn(node.initializer).filter((l) => hasLetters(l) && !isMessageId(l))) {
                found.push(`${node.name.getText()}: "${text}"`);
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
    fs.writeFileSync(file, [
        "export const A = () => <div title='Hello' aria-label={t('x')}><b>Save now</b>{'Or later'}{' / '}<img alt=''/><Notice title='token_audit.ok'/><Notice title='Oops'/></div>;",
        "export const B = () => <><Button ariaLabel='Go' label={busy ? 'Saving' : t('token_audit.save')} onClick={go}/>{busy && `Wait ${n}`}<span aria-description='Hint'/></>;",
        "export const C = () => <LabelledSelect label={t('x')} testId='ta-x' options={[{value: 'a', label: 'Alpha'}, {value: 'b', label: t('y')}]}/>;",
        "export const D = () => <DialogFooter confirm={{label: 'OK', onClick: go}} cancel={{testId: 'ta-cancel'}}/>;",
        "const FIELDS = [{label: 'token_audit.trail.filter.actor', testId: 'ta-actor'}];",
        '',
    ].join('\n'));
    expect(literalsShown(file)).toEqual([
        'Sample.tsx: title="Hello"', 'Sample.tsx: Save now', 'Sample.tsx: Or later', 'Sample.tsx: title="Oops"',
        'Sample.tsx: ariaLabel="Go"', 'Sample.tsx: label="Saving"', 'Sample.tsx: Wait ', 'Sample.tsx: aria-description="Hint"',
        'Sample.tsx: label: "Alpha"',
        'Sample.tsx: label: "OK"',
    ]);
});
