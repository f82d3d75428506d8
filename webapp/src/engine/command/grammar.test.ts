import {MAX_IDS, MAX_INPUT_LENGTH, parseCommand} from './grammar';
import type {Command, ParseErrorCode, Subcommand} from './grammar';

// Keeps test names readable when the input is huge.
function label(text: string): string {
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text);
}

const A = 'a'.repeat(26);
const B = 'b1'.repeat(13);
const C = '0123456789abcdefghijklmnop';

describe('parseCommand accepts', () => {
    const cases: Array<[string, Command]> = [
        ['', {kind: 'help'}],
        ['   ', {kind: 'help'}],
        ['help', {kind: 'help'}],
        ['HELP', {kind: 'help'}],
        ['audit', {kind: 'audit'}],
        ['policy', {kind: 'policy'}],
        ['list', {kind: 'list', state: 'all', finding: undefined, page: 1}],
        ['list --active', {kind: 'list', state: 'active', finding: undefined, page: 1}],
        ['list --inactive --page 3', {kind: 'list', state: 'inactive', finding: undefined, page: 3}],
        ['list --finding stale', {kind: 'list', state: 'all', finding: 'stale', page: 1}],
        ['list --finding=OWNER_BOT --page=10000', {kind: 'list', state: 'all', finding: 'owner_bot', page: 10000}],
        ['list  --page   007\t--active', {kind: 'list', state: 'active', finding: undefined, page: 7}],
        ['list \u2014active', {kind: 'list', state: 'active', finding: undefined, page: 1}],
        ['user @alice', {kind: 'user', username: 'alice'}],
        ['user Bob.Smith_2', {kind: 'user', username: 'bob.smith_2'}],
        ['user @carol:remote', {kind: 'user', username: 'carol:remote'}],
        ['search deploy', {kind: 'search', term: 'deploy'}],
        ['search  ci   deploy key ', {kind: 'search', term: 'ci deploy key'}],
        ['search café ☕', {kind: 'search', term: 'café ☕'}],
        ['search ](javascript:alert(1))', {kind: 'search', term: '](javascript:alert(1))'}],
        ['search \'; DROP TABLE UserAccessTokens;', {kind: 'search', term: '\'; DROP TABLE UserAccessTokens;'}],
        ['search @alice', {kind: 'search', term: '@alice'}],
        [`show ${A}`, {kind: 'show', tokenId: A}],
        [`revoke ${A}`, {kind: 'action', action: 'revoke', ids: [A], duplicates: [], confirmed: false}],
        [`revoke ${A} ${B} --yes`, {kind: 'action', action: 'revoke', ids: [A, B], duplicates: [], confirmed: true}],
        [`disable --yes ${C}`, {kind: 'action', action: 'disable', ids: [C], duplicates: [], confirmed: true}],
        [`disable ${A} \u2014yes`, {kind: 'action', action: 'disable', ids: [A], duplicates: [], confirmed: true}],
        [`enable ${A} ${B}`, {kind: 'action', action: 'enable', ids: [A, B], duplicates: [], confirmed: false}],
        [`enable ${A} --yes`, {kind: 'action', action: 'enable', ids: [A], duplicates: [], confirmed: true}],
        [`revoke ${A} ${B} ${A} ${A} ${B}`, {kind: 'action', action: 'revoke', ids: [A, B], duplicates: [A, B], confirmed: false}],
        [`REVOKE ${A} --YES`, {kind: 'action', action: 'revoke', ids: [A], duplicates: [], confirmed: true}],
        ['digest', {kind: 'digest', preview: false}],
        ['Digest --PREVIEW', {kind: 'digest', preview: true}],
        ['digest \u2014preview', {kind: 'digest', preview: true}],
    ];
    test.each(cases.map(([text, command]) => ({name: label(text), text, command})))('$name', ({text, command}) => {
        expect(parseCommand(text)).toEqual({ok: true, command});
    });
});

describe('parseCommand refuses', () => {
    const cases: Array<[string, ParseErrorCode, Subcommand | undefined, Record<string, string>?]> = [
        ['lsit', 'unknown_subcommand', undefined, {name: 'lsit'}],
        ['--yes', 'unknown_subcommand', undefined],
        ['tokens list', 'unknown_subcommand', undefined],
        ['lïst', 'unknown_subcommand', undefined],
        ['<script>alert(1)</script>', 'unknown_subcommand', undefined],
        ['help me', 'extra_argument', 'help', {value: 'me'}],
        ['help --verbose', 'unknown_flag', 'help', {flag: '--verbose'}],
        ['audit now', 'extra_argument', 'audit'],
        ['policy --json', 'unknown_flag', 'policy'],
        ['digest now', 'extra_argument', 'digest', {value: 'now'}],
        ['digest --now', 'unknown_flag', 'digest', {flag: '--now'}],
        ['digest --preview=1', 'unknown_flag', 'digest'],
        ['digest -preview', 'unknown_flag', 'digest'],
        ['digest --preview --preview', 'duplicate_flag', 'digest', {flag: '--preview'}],

        ['list --all', 'unknown_flag', 'list', {flag: '--all'}],
        ['list -a', 'unknown_flag', 'list'],
        ['list stale', 'extra_argument', 'list', {value: 'stale'}],
        ['list --active --inactive', 'conflicting_flags', 'list', {first: '--active', second: '--inactive'}],
        ['list --inactive --active', 'conflicting_flags', 'list'],
        ['list --active --active', 'duplicate_flag', 'list', {flag: '--active'}],
        ['list --active=yes', 'unknown_flag', 'list'],
        ['list --page', 'missing_value', 'list', {flag: '--page'}],
        ['list --page --active', 'missing_value', 'list'],
        ['list --page=', 'missing_value', 'list'],
        ['list --page 0', 'bad_page', 'list', {value: '0', max: '10000'}],
        ['list --page -1', 'bad_page', 'list', {value: '-1'}],
        ['list --finding -stale', 'bad_finding', 'list', {value: '-stale'}],
        ['list --page \u2014active', 'missing_value', 'list', {flag: '--page'}],
        ['list --page 10001', 'bad_page', 'list'],
        ['list --page 2.5', 'bad_page', 'list'],
        ['list --page 1e3', 'bad_page', 'list'],
        ['list --page 0x10', 'bad_page', 'list'],
        ['list --page ３', 'bad_page', 'list'],
        ['list --page 99999999999999999999999', 'bad_page', 'list'],
        ['list --page 1 --page 2', 'duplicate_flag', 'list', {flag: '--page'}],
        ['list --finding', 'missing_value', 'list', {flag: '--finding'}],
        ['list --finding risky', 'bad_finding', 'list'],
        ['list --finding __proto__', 'bad_finding', 'list'],
        ['list --finding stale --finding new', 'duplicate_flag', 'list'],

        ['user', 'missing_argument', 'user', {what: '@username'}],
        ['user @alice @bob', 'extra_argument', 'user', {value: '@bob'}],
        ['user @', 'bad_username', 'user'],
        ['user @al!ce', 'bad_username', 'user'],
        ['user @ålice', 'bad_username', 'user'],
        ['user [x](http://evil)', 'bad_username', 'user'],
        [`user @${'a'.repeat(65)}`, 'bad_username', 'user'],
        ['user --all', 'unknown_flag', 'user'],

        ['search', 'missing_argument', 'search', {what: '<term>'}],
        ['search deploy --yes', 'unknown_flag', 'search', {flag: '--yes'}],
        ['search \'; DROP TABLE x; --', 'unknown_flag', 'search', {flag: '--'}],
        [`search ${'x'.repeat(201)}`, 'bad_term', 'search', {max: '200'}],
        ['search a\u202Eb', 'bad_term', 'search'],
        ['search zero\u200Bwidth', 'bad_term', 'search'],

        ['show', 'missing_argument', 'show', {what: '<token-id>'}],
        [`show ${A} ${B}`, 'extra_argument', 'show'],
        ['show abc', 'bad_id', 'show', {value: 'abc'}],
        [`show ${A.toUpperCase()}`, 'bad_id', 'show'],
        [`show ${A}x`, 'bad_id', 'show'],
        [`show ${'a'.repeat(25)}é`, 'bad_id', 'show'],
        ['show --yes', 'unknown_flag', 'show'],

        ['revoke', 'missing_argument', 'revoke', {what: '<token-id>'}],
        ['revoke --yes', 'missing_argument', 'revoke'],
        [`revoke ${A} --yes --yes`, 'duplicate_flag', 'revoke', {flag: '--yes'}],
        [`revoke ${A} --force`, 'unknown_flag', 'revoke', {flag: '--force'}],
        [`revoke ${A} -y`, 'unknown_flag', 'revoke'],
        [`revoke ${A} --yes=no`, 'unknown_flag', 'revoke'],
        [`revoke ${A} @alice`, 'bad_id', 'revoke', {value: '@alice'}],
        [`disable ${A};rm`, 'bad_id', 'disable'],
        [`enable ${A.slice(1)}`, 'bad_id', 'enable'],
        [`revoke ${Array.from({length: MAX_IDS + 1}, (_, i) => String(i).padStart(26, 'a')).join(' ')}`, 'too_many_ids', 'revoke', {max: '100'}],

        ['x'.repeat(MAX_INPUT_LENGTH + 1), 'too_long', undefined],
        [`search ${'☕'.repeat(MAX_INPUT_LENGTH)}`, 'too_long', undefined],
    ];
    test.each(cases.map(([text, code, subcommand, values]) => ({name: label(text), text, code, subcommand, values: values ?? {}})))('$name → $code', ({text, code, subcommand, values}) => {
        const result = parseCommand(text);
        expect(result.ok).toBe(false);
        if (result.ok) {
            return;
        }
        expect(result.error.code).toBe(code);
        expect(result.error.subcommand).toBe(subcommand);
        expect(result.error.values).toMatchObject(values);
    });
});

test('a list of exactly the maximum number of ids is accepted', () => {
    const ids = Array.from({length: MAX_IDS}, (_, i) => String(i).padStart(26, 'a'));
    const result = parseCommand(`disable ${ids.join(' ')} ${ids[0]}`);
    expect(result).toEqual({ok: true, command: {kind: 'action', action: 'disable', ids, duplicates: [ids[0]], confirmed: false}});
});
