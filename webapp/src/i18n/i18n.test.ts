import {IntlMessageFormat} from 'intl-messageformat';

import {commandMessages} from '../command';
import {ALL_COLUMNS, ALL_FINDINGS} from '../inventory';

import en from './en.json';
import {englishMessages, translationsFor} from '.';

const ids = new Set(Object.keys(englishMessages));

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

test('translations merge the console and /tokens catalogues', () => {
    const messages = translationsFor('de');
    expect(messages['token_audit.tabs.tokens']).toBe(en['token_audit.tabs.tokens']);
    for (const [id, text] of Object.entries(commandMessages)) {
        expect(messages[`token_audit.${id}`]).toBe(text);
    }
});
