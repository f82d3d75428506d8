import {addEveryCatalogue} from '../i18n/every';
import {summarize} from '../inventory/summary';
import {escapeMarkdown} from '../markdown';
import {DEFAULT_POLICY} from '../policy/policy';
import type {Owner, Policy, Row, Token} from '../types';

import {parseCommand, SUBCOMMANDS} from './grammar';
import {Writer} from './render';
import type {AnswerContext, Circumstances} from './render';

addEveryCatalogue();

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 10, 26, 12, 0);
const ctx: AnswerContext = {siteURL: 'https://chat.example.com/', pluginId: 'token-audit', now: NOW, actions: ['revoke', 'disable', 'enable']};
const about: Circumstances = {features: {tokensEnabled: true, expirySupported: true}};
const w = new Writer(ctx);
const CONSOLE_LINK = '[Open the full inventory in the System Console](https://chat.example.com/admin_console/plugins/plugin_token-audit)';

const ID1 = 'aaaaaaaaaaaaaaaaaaaaaaaaa1';
const ID2 = 'bbbbbbbbbbbbbbbbbbbbbbbbb2';
const ID3 = 'ccccccccccccccccccccccccc3';

function owner(username: string, extra: Partial<Owner> = {}): Owner {
    return {id: `${username}`.padEnd(26, 'u').slice(0, 26), username, email: `${username}@example.com`, first_name: '', last_name: '', deactivated: false, bot: false, system_admin: false, ...extra};
}

function row(id: string, description: string, extra: Partial<Row> = {}, token: Partial<Token> = {}): Row {
    return {token: {id, user_id: 'u'.repeat(26), description, is_active: true, ...token}, owner: owner('alice'), findings: [], ...extra};
}

function lines(markdown: string): string[] {
    return markdown.split('\n');
}

describe('table', () => {
    test('few columns, escaped description, short finding words, id in a code span', () => {
        const r = row(ID1, 'Deploy [prod](http://x) **now**', {findings: ['owner_system_admin', 'stale', 'never_expires']});
        const [header, rule, body] = w.table([r]);
        expect(header).toBe('| User | Description | State | Findings | Token id |');
        expect(rule).toBe('| --- | --- | --- | --- | --- |');
        expect(body).toBe(`| @alice | Deploy ${escapeMarkdown('[prod](http://x) **now**')} | active | admin, stale, no expiry | \`${ID1}\` |`);
    });

    test('long descriptions are cut, disabled shows once, missing owner is named as unknown', () => {
        const r = row(ID2, 'x'.repeat(100), {findings: ['disabled'], owner: undefined}, {is_active: false});
        const body = w.table([r])[2];
        expect(body).toBe(`| unknown user | ${'x'.repeat(39)}… | disabled | – | \`${ID2}\` |`);
    });

    test('a username the server would not accept is escaped whole', () => {
        const r = row(ID1, 'd', {owner: owner('Evil_[x](y)')});
        expect(w.table([r])[2]).toContain(`| ${escapeMarkdown('@Evil_[x](y)')} |`);
    });

    test('a pipe or newline in a description cannot break the table', () => {
        const body = w.table([row(ID1, 'a | b\n| c |')])[2];
        expect(body.split(' | ')).toHaveLength(5);
        expect(body).not.toContain('\n');
    });

    test('never shows a token secret', () => {
        const r = row(ID1, 'desc', {}, {token: 'SECRET-VALUE'} as Partial<Token>);
        const all = [w.table([r]).join('\n'), w.show(ID1, r, about), w.search('desc', [r], about)].join('\n');
        expect(all).not.toContain('SECRET-VALUE');
    });
});

describe('list', () => {
    const rows = [row(ID1, 'one'), row(ID2, 'two')];

    test('paging footer names the next page with the same filters', () => {
        const md = w.list({state: 'inactive', finding: 'stale'}, {rows, page: 2, pageCount: 7, total: 140}, about);
        const out = lines(md);
        expect(out[0]).toBe('#### Disabled tokens with the finding `stale`: 140');
        expect(out).toContain('page 2 of 7 — `/tokens list --inactive --finding stale --page 3`');
        expect(out[out.length - 1]).toBe(CONSOLE_LINK);
    });

    test('last page has no next command', () => {
        const out = lines(w.list({state: 'all'}, {rows, page: 7, pageCount: 7, total: 140}, about));
        expect(out[0]).toBe('#### All tokens: 140');
        expect(out).toContain('page 7 of 7');
    });

    test('a page past the end says so and points at the last one', () => {
        const out = lines(w.list({state: 'active'}, {rows: [], page: 9, pageCount: 7, total: 140}, about));
        expect(out).toContain('There is no page 9: the list has 7.');
        expect(out).toContain('`/tokens list --active --page 7`');
    });

    test('empty list', () => {
        const out = lines(w.list({state: 'all'}, {rows: [], page: 1, pageCount: 1, total: 0}, about));
        expect(out).toContain('No token matches.');
        expect(out.some((l) => l.startsWith('|'))).toBe(false);
    });

    test('notes when tokens are switched off and when data is partial', () => {
        const md = w.list({state: 'all'}, {rows, page: 1, pageCount: 1, total: 2}, {features: {tokensEnabled: false, expirySupported: false}, partial: ['usage', 'seen']});
        expect(lines(md)).toEqual(expect.arrayContaining([
            '> Personal access tokens are switched off on this server: existing tokens cannot be used until they are switched on again.',
            '> Some data could not be loaded (usage, seen), so findings may be incomplete.',
        ]));
    });

    test('the console link is a paragraph of its own after the notes, not a line of the quote', () => {
        const out = lines(w.list({state: 'all'}, {rows, page: 1, pageCount: 1, total: 2}, {partial: ['usage']}));
        expect(out.slice(-3)).toEqual(['> Some data could not be loaded (usage), so findings may be incomplete.', '', CONSOLE_LINK]);
    });
});

test('help lists every subcommand usage and the finding names', () => {
    const out = lines(w.help(about));
    expect(out[0]).toBe('#### Token Audit: every personal access token on this server');
    expect(out).toContain('- `/tokens list [--active|--inactive] [--finding <name>] [--page N]` — All tokens, 20 per page, optionally only active or inactive ones, or those with one finding.');
    expect(out).toContain('- `/tokens revoke <token-id> [<token-id> ...] [--yes]` — Revoke tokens: deletes them and signs out their sessions. Without --yes, only shows what would happen.');
    for (const sub of ['help', 'user @username', 'search <term>', 'show <token-id>', 'disable', 'enable', 'audit', 'policy']) {
        expect(out.some((l) => l.startsWith(`- \`/tokens ${sub}`))).toBe(true);
    }
    expect(out.find((l) => l.startsWith('Findings: '))).toContain('`owner_deactivated`');
    expect(out[out.length - 1]).toBe(CONSOLE_LINK);
});

describe('parseError', () => {
    function errorOf(text: string) {
        const result = parseCommand(text);
        if (result.ok) {
            throw new Error('expected a parse error');
        }
        return lines(w.parseError(result.error));
    }

    test('one-line message then that subcommand usage', () => {
        expect(errorOf('list --page 0')).toEqual([
            '**`0` is not a page number: use a whole number from 1 to 10,000.**',
            '',
            'Usage: `/tokens list [--active|--inactive] [--finding <name>] [--page N]`',
        ]);
    });

    test('unknown subcommand shows every usage', () => {
        const out = errorOf('frobnicate');
        expect(out[0]).toBe('**There is no subcommand `frobnicate`.**');
        expect(out.filter((l) => l.startsWith('- `/tokens '))).toHaveLength(SUBCOMMANDS.length);
    });

    test('what the user typed shows inside one code span, shortened, so nothing in it is markup', () => {
        const out = errorOf(`show \`x\`[x](http://evil)${'y'.repeat(100)}`);
        expect(out[0]).toBe(`**\`x[x](http://evil)${'y'.repeat(20)}…\` is not a token id (26 lowercase letters and digits).**`);
    });

    test('characters that do not show are written out, so the echo is not mistaken for a subcommand', () => {
        expect(errorOf('\u202Elist')[0]).toBe('**There is no subcommand `<U+202E>list`.**');
        expect(errorOf('li\u0000st')[0]).toBe('**There is no subcommand `li<U+0000>st`.**');
    });

    test('limits are numbers in the reader\'s language', () => {
        const result = parseCommand('list --page 0');
        if (result.ok) {
            throw new Error('expected a parse error');
        }
        expect(new Writer({...ctx, locale: 'de'}).parseError(result.error)).toContain('von 1 bis 10.000 an.');
    });

    test('finding names are listed as code', () => {
        expect(errorOf('list --finding nope')[0]).toContain('Findings: `owner_system_admin`, `owner_deactivated`');
    });
});

test('user: title with count, table without the user column; unknown user', () => {
    const alice = owner('alice');
    const out = lines(w.user('alice', alice, [row(ID1, 'one')], about));
    expect(out[0]).toBe('#### Tokens of @alice: 1');
    expect(out).toContain('| Description | State | Findings | Token id |');
    expect(lines(w.user('nobody', undefined, [], about))[0]).toBe(`There is no user ${escapeMarkdown('@nobody')}.`);
});

test('search: escaped term, capped rows with a pointer to the rest', () => {
    const rows = Array.from({length: 25}, (_, i) => row(String(i).padStart(26, 'a'), `key ${i}`));
    const out = lines(w.search('**key**', rows, about));
    expect(out[0]).toBe(`#### Tokens matching ${escapeMarkdown('**key**')}: 25`);
    expect(out.filter((l) => l.startsWith('| @alice'))).toHaveLength(20);
    expect(out).toContain('and 5 more; open the System Console for all of them.');
    expect(lines(w.search('zzz', [], about))).toContain('No token matches.');
});

describe('show', () => {
    const full = row(ID1, 'CI *deploy*', {
        owner: owner('bot.ci', {first_name: 'CI', last_name: 'Bot', bot: true, system_admin: true}),
        usage: {first_active: NOW - (10 * DAY), last_active: NOW - (3 * DAY)},
        seen: {first_seen: NOW - (30 * DAY), last_seen: NOW, removed_at: 0},
        findings: ['owner_system_admin', 'owner_bot', 'expiring_soon'],
    }, {expires_at: NOW + (5 * DAY)});

    test('one field per line, dates with how long ago', () => {
        const out = lines(w.show(ID1, full, about));
        expect(out[0]).toBe(`#### Token \`${ID1}\``);
        expect(out).toEqual(expect.arrayContaining([
            '- **Owner:** @bot.ci (CI Bot) — bot, system admin',
            `- **Description:** CI ${escapeMarkdown('*deploy*')}`,
            '- **State:** active',
            '- **Expires:** 2025-12-01 12:00 UTC (in 5d)',
            '- **First seen by Token Audit:** 2025-10-27 12:00 UTC (30d ago)',
            '- **Last seen active:** 2025-11-23 12:00 UTC (3d ago)',
            '- **Findings:** admin, bot, expiring',
            `Act on it: \`/tokens disable ${ID1}\` · \`/tokens revoke ${ID1}\``,
        ]));
    });

    test('no expiry line on a server without expiry; unknowns said plainly', () => {
        const bare = row(ID2, '', {usage_unknown: true, exemption: {kind: 'user', id: 'u'.repeat(26), reason: 'CI [owner](x)', added_by: '', added_at: 0}}, {is_active: false});
        const out = lines(w.show(ID2, bare, {features: {tokensEnabled: true, expirySupported: false}}));
        expect(out.some((l) => l.startsWith('- **Expires:**'))).toBe(false);
        expect(out).toEqual(expect.arrayContaining([
            '- **State:** disabled',
            '- **First seen by Token Audit:** not recorded yet',
            '- **Last seen active:** unknown (sessions could not be read)',
            '- **Findings:** none',
            `- **Exempted:** CI ${escapeMarkdown('[owner](x)')}`,
            `Act on it: \`/tokens enable ${ID2}\` · \`/tokens revoke ${ID2}\``,
        ]));
    });

    test('never expires; not found', () => {
        const out = lines(w.show(ID1, row(ID1, 'x', {}, {expires_at: 0}), about));
        expect(out).toContain('- **Expires:** never');
        expect(lines(w.show(ID3, undefined, about))[0]).toBe(`There is no token \`${ID3}\`.`);
    });
});

test('audit: totals, findings by count with the list command, riskiest first', () => {
    const rows = [
        row(ID1, 'admin key', {findings: ['owner_system_admin', 'stale']}),
        row(ID2, 'stale key', {findings: ['stale']}),
        row(ID3, 'fine'),
    ];
    const out = lines(w.audit(summarize(rows), [{row: rows[0], score: 60}, {row: rows[1], score: 20}], about));
    expect(out[0]).toBe('#### Token audit');
    expect(out[1]).toBe('3 tokens: 3 active, 0 inactive, 2 with findings.');
    const stale = out.indexOf('- **stale** 2 — `/tokens list --finding stale`');
    const admin = out.indexOf('- **admin** 1 — `/tokens list --finding owner_system_admin`');
    expect(stale).toBeGreaterThan(0);
    expect(admin).toBeGreaterThan(stale);
    expect(out).toContain('| Risk | User | Description | State | Findings | Token id |');
    const first = out.findIndex((l) => l.startsWith('| 60 |'));
    expect(first).toBeGreaterThan(0);
    expect(out[first + 1]).toMatch(/^\| 20 \|/);
});

test('audit with nothing to report', () => {
    const out = lines(w.audit(summarize([row(ID1, 'fine')]), [], about));
    expect(out).toContain('No findings.');
    expect(out).not.toContain('**Riskiest tokens**');
});

describe('policy', () => {
    test('defaults', () => {
        const out = lines(w.policy(DEFAULT_POLICY, undefined, about));
        expect(out).toEqual(expect.arrayContaining([
            '#### Audit preferences',
            '- Stale after 90 days without activity',
            '- Expiring soon: within 14 days',
            '- Exemptions: 0',
            '- Never changed: these are the defaults.',
        ]));
        expect(out.find((l) => l.startsWith('- Findings switched on:'))).toContain('deactivated (`owner_deactivated`)');
        expect(out.some((l) => l.startsWith('- Findings switched off:'))).toBe(false);
    });

    test('changed: toggles off, exemptions counted, who changed it when', () => {
        const policy: Policy = {
            ...DEFAULT_POLICY,
            version: 4,
            stale_after_days: 30,
            findings: {...DEFAULT_POLICY.findings, owner_bot: false, disabled: false},
            exemptions: [{kind: 'user', id: 'u'.repeat(26), reason: 'r', added_by: 'x', added_at: 1}, {kind: 'token', id: ID1, reason: 'r', added_by: 'x', added_at: 1}],
            updated_by: 'b'.repeat(26),
            updated_at: NOW - (2 * DAY),
        };
        const out = lines(w.policy(policy, owner('bob'), about));
        expect(out).toEqual(expect.arrayContaining([
            '- Stale after 30 days without activity',
            '- Findings switched off: bot (`owner_bot`), disabled (`disabled`)',
            '- Exemptions: 2',
            '- Last changed 2025-11-24 12:00 UTC (2d ago) by @bob',
        ]));
        expect(lines(w.policy(policy, undefined, about))).toContain(`- Last changed 2025-11-24 12:00 UTC (2d ago) by \`${'b'.repeat(26)}\``);
    });
});

describe('action answers', () => {
    const alice = owner('alice');
    const t1: Token = {id: ID1, user_id: alice.id, description: 'CI [key](x)', is_active: true};
    const t2: Token = {id: ID2, user_id: alice.id, description: '', is_active: false};

    test('preview says what would happen to whose tokens and how to confirm, only for ids that exist', () => {
        const out = lines(w.actionPreview({action: 'revoke', targets: [{id: ID1, token: t1, owner: alice}, {id: ID3}], duplicates: [ID1]}, about));
        expect(out).toEqual([
            '**Tokens that would be revoked: 1**',
            '',
            `- \`${ID1}\` @alice “CI ${escapeMarkdown('[key](x)')}” — active`,
            `- \`${ID3}\` — not found, will be skipped`,
            '',
            'Revoking deletes a token for good and signs out its sessions.',
            `Nothing has been done yet. To go ahead, run: \`/tokens revoke ${ID1} --yes\``,
            '',
            `Listed more than once, counted once: \`${ID1}\``,
            '',
            CONSOLE_LINK,
        ]);
    });

    test('disable preview marks tokens that are already disabled', () => {
        const out = lines(w.actionPreview({action: 'disable', targets: [{id: ID1, token: t1, owner: alice}, {id: ID2, token: t2, owner: alice}], duplicates: []}, about));
        expect(out).toContain(`- \`${ID2}\` @alice — already inactive`);
        expect(out).toContain(`Nothing has been done yet. To go ahead, run: \`/tokens disable ${ID1} ${ID2} --yes\``);
    });

    test('preview with no existing token offers nothing to confirm', () => {
        const out = lines(w.actionPreview({action: 'disable', targets: [{id: ID3}], duplicates: []}, about));
        expect(out).toContain('None of these tokens exist, so there is nothing to do.');
        expect(out.some((l) => l.includes('--yes'))).toBe(false);
    });

    test('results: one line per id in the order typed, counts in the title', () => {
        const out = lines(w.actionResults(
            {action: 'revoke', targets: [{id: ID1, token: t1, owner: alice}, {id: ID3}, {id: ID2, token: t2}], duplicates: []},
            {results: [{id: ID1, ok: true}, {id: ID2, ok: false, error: 'You do not have [permission](x).'}], trailError: 'trail down'},
            about));
        expect(out[0]).toBe('**Revoke: 1 done, 1 failed, 1 not found**');
        expect(out.slice(2, 5)).toEqual([
            `- \`${ID1}\` @alice “CI ${escapeMarkdown('[key](x)')}” — revoked`,
            `- \`${ID3}\` — not found, nothing done`,
            `- \`${ID2}\` unknown user — failed: ${escapeMarkdown('You do not have [permission](x).')}`,
        ]);
        expect(out).toContain('> The audit trail could not record the outcome: trail down');
    });

    test('results: a failure without a message, and a token the host did not report on, count as failed', () => {
        const out = lines(w.actionResults({action: 'enable', targets: [{id: ID1, token: t1, owner: alice}, {id: ID2, token: t2, owner: alice}], duplicates: []}, {results: [{id: ID2, ok: false, error: ''}]}, about));
        expect(out[0]).toBe('**Enable: 0 done, 2 failed, 0 not found**');
        expect(out.slice(2, 4)).toEqual([
            `- \`${ID1}\` @alice “CI ${escapeMarkdown('[key](x)')}” — failed: no reason given`,
            `- \`${ID2}\` @alice — failed: no reason given`,
        ]);
    });

    test('counts are worded for one and for many', () => {
        const one = new Writer({...ctx, locale: 'es'}).actionResults({action: 'revoke', targets: [{id: ID1, token: t1, owner: alice}, {id: ID3}], duplicates: []}, {results: [{id: ID1, ok: true}]}, about);
        expect(lines(one)[0]).toBe('**Revocar: 1 hecho, 0 con error, 1 no encontrado**');
        expect(lines(w.audit(summarize([row(ID1, 'fine')]), [], about))[1]).toBe('1 token: 1 active, 0 inactive, 0 with findings.');
        expect(lines(w.policy({...DEFAULT_POLICY, stale_after_days: 1, expiring_within_days: 1}, undefined, about))).toEqual(expect.arrayContaining([
            '- Stale after 1 day without activity',
            '- Expiring soon: within 1 day',
        ]));
    });
});

test('a page of hostile descriptions still fits an ephemeral post', () => {
    const rows = Array.from({length: 20}, (_, i) => row(String(i).padStart(26, 'a'), '[]()*_`~#@:<>|!\\$'.repeat(20)));
    const md = w.list({state: 'all'}, {rows, page: 1, pageCount: 1, total: 20}, about);
    expect(md.length).toBeLessThanOrEqual(16000);
    expect(md.endsWith(CONSOLE_LINK)).toBe(true);
});
