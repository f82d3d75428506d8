// Markdown for every /tokens answer. Pure: the hook hands over what it loaded, this only writes text.
// Anything a user could have typed (descriptions, names, search terms, bad arguments) goes through
// `escapeMarkdown`, so it shows as typed and can never become a link, a mention or formatting.
import {ALL_FINDINGS, POLICY_FINDINGS} from '../inventory';
import type {FindingName, Owner, Policy, Row, ServerFeatures, Summary, Token, TokenActionName} from '../inventory';

import {formatDate, inLocale, t} from './messages';
import type {MessageId} from './messages';
import {SUBCOMMANDS, USAGE} from './parse';
import type {ParseError} from './parse';

// The plugin's POST /ephemeral accepts at most 16000 characters.
export const MAX_MESSAGE_LENGTH = 16000;
export const PAGE_SIZE = 20;
export const RISKIEST_SHOWN = 10;

const DESCRIPTION_CELL = 40;
const ECHO_LENGTH = 40;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RenderContext {
    siteURL: string;

    // Browser clock, for "3d ago"; dates themselves are shown in UTC.
    now: number;

    // The admin's locale; the answer is written in it (English when absent or not translated).
    locale?: string;
    features?: ServerFeatures;

    // Parts of the data that could not be loaded (owners, usage, seen, ...).
    partial?: string[];
}

export function consoleURL(siteURL: string): string {
    return `${siteURL.replace(/\/+$/, '')}/admin_console/plugins/plugin_${PLUGIN_ID}`;
}

// Control characters become spaces (a newline would end a table row), invisible format characters
// (bidi overrides, zero-width) go, and whatever markdown, Mattermost's autolinker, mentions, hashtags,
// channel links or emoji could act on becomes a numeric character reference: CommonMark and marked
// both treat those as literal text.
export function escapeMarkdown(text: string): string {
    return clean(text).replace(/[\\`*_{}[\]()#+\-.!|~<>&$@:;'"=%/?^]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clean(text: string): string {
    return text.replace(/[\p{Cf}]/gu, '').replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

// Counted in code points so a surrogate pair is never split.
export function truncate(text: string, max: number): string {
    const chars = Array.from(clean(text));
    return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

function echo(text: string, max = ECHO_LENGTH): string {
    return escapeMarkdown(truncate(text, max));
}

// Ids come from the server; a backtick would end the code span early, so none survives.
function code(text: string): string {
    return '`' + clean(text).replace(/`/g, '') + '`';
}

// Usernames the server accepts cannot carry markup, and written plainly they become real mentions
// (profile popover). Anything else is escaped whole, '@' included, so no partial mention appears.
const PLAIN_USERNAME = /^[a-z0-9][a-z0-9.\-_]*$/;

export function ownerName(owner: Owner | undefined): string {
    if (!owner) {
        return t('command.owner.unknown');
    }
    return PLAIN_USERNAME.test(owner.username) ? `@${owner.username}` : escapeMarkdown(`@${owner.username}`);
}

function when(ms: number, now: number): string {
    const days = Math.floor(Math.abs(now - ms) / DAY_MS);
    let relative: string;
    if (days === 0) {
        relative = t('command.time.today');
    } else if (ms <= now) {
        relative = t('command.time.ago', {days});
    } else {
        relative = t('command.time.in', {days});
    }
    return `${formatDate(ms)} (${relative})`;
}

function stateWord(active: boolean): string {
    return t(active ? 'command.state.active' : 'command.state.inactive');
}

function findingWord(f: FindingName): string {
    return t(`command.finding.${f}`);
}

// The state column already says "disabled"; repeating it as a finding only adds width.
function findingsCell(row: Row): string {
    const words = row.findings.filter((f) => f !== 'disabled').map(findingWord);
    return words.length ? words.join(', ') : '–';
}

function tableRow(cells: string[]): string {
    return `| ${cells.join(' | ')} |`;
}

export function renderTable(rows: readonly Row[], opts: {user?: boolean; risk?: (row: Row) => number} = {}): string[] {
    const withUser = opts.user !== false;
    const header: string[] = [];
    if (opts.risk) {
        header.push(t('command.col.risk'));
    }
    if (withUser) {
        header.push(t('command.col.user'));
    }
    header.push(t('command.col.description'), t('command.col.state'), t('command.col.findings'), t('command.col.id'));
    const lines = [tableRow(header), tableRow(header.map(() => '---'))];
    for (const row of rows) {
        const cells: string[] = [];
        if (opts.risk) {
            cells.push(String(opts.risk(row)));
        }
        if (withUser) {
            cells.push(ownerName(row.owner));
        }
        cells.push(echo(row.token.description, DESCRIPTION_CELL) || '–', stateWord(row.token.is_active), findingsCell(row), code(row.token.id));
        lines.push(tableRow(cells));
    }
    return lines;
}

function heading(text: string): string {
    return `#### ${text}`;
}

function footer(ctx: RenderContext): string[] {
    const lines: string[] = [];
    if (ctx.features && !ctx.features.tokensEnabled) {
        lines.push(`> ${t('command.note.tokens_disabled')}`);
    }
    if (ctx.partial?.length) {
        lines.push(`> ${t('command.note.partial', {parts: ctx.partial.map((p) => escapeMarkdown(p)).join(', ')})}`);
    }
    // A space or bracket in SiteURL would end the link target early.
    const url = consoleURL(ctx.siteURL).replace(/[\s()<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
    lines.push(`[${t('command.console.link')}](${url})`);
    return lines;
}

function join(blocks: string[][]): string {
    return fit(blocks.filter((b) => b.length).map((b) => b.join('\n')).join('\n\n'));
}

// Cut at a line boundary so a table loses rows rather than becoming garbage.
export function fit(markdown: string, max = MAX_MESSAGE_LENGTH): string {
    if (markdown.length <= max) {
        return markdown;
    }
    const marker = '\n\n…';
    const cut = markdown.lastIndexOf('\n', max - marker.length);
    return markdown.slice(0, cut > 0 ? cut : max - marker.length) + marker;
}

export function renderHelp(ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const lines = SUBCOMMANDS.map((sub) => `- ${code(USAGE[sub])} — ${t(`command.help.${sub}`, {size: PAGE_SIZE})}`);
        return join([
            [heading(t('command.help.title'))],
            lines,
            [t('command.help.findings', {names: ALL_FINDINGS.map(code).join(', ')})],
            footer(ctx),
        ]);
    });
}

export function parseErrorMessage(err: ParseError): string {
    // Inside a code span nothing is markup, so what was typed shows exactly (bar backticks).
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(err.values)) {
        if (key === 'names') {
            values[key] = value.split(', ').map(code).join(', ');
        } else {
            values[key] = key === 'max' ? value : code(truncate(value, ECHO_LENGTH));
        }
    }
    return t(`command.error.${err.code}`, values);
}

// The placeholder posted at once while the answer is being put together.
export function renderWorking(typed: string, locale?: string): string {
    return inLocale(locale, () => `_${t('command.working', {command: code(truncate(`/tokens ${typed}`, ECHO_LENGTH))})}_`);
}

export function renderParseError(err: ParseError, locale?: string): string {
    return inLocale(locale, () => {
        const usage = err.subcommand ? [`${t('command.usage')} ${code(USAGE[err.subcommand])}`] : [t('command.usage'), ...SUBCOMMANDS.map((s) => `- ${code(USAGE[s])}`)];
        return join([[`**${parseErrorMessage(err)}**`], usage]);
    });
}

export interface ListFilter {
    state: 'all' | 'active' | 'inactive';
    finding?: FindingName;
}

export interface ListPage {
    rows: Row[];

    // One-based, as typed.
    page: number;
    pageCount: number;
    total: number;
}

export function listCommand(filter: ListFilter, page: number): string {
    const parts = ['/tokens list'];
    if (filter.state !== 'all') {
        parts.push(`--${filter.state}`);
    }
    if (filter.finding) {
        parts.push(`--finding ${filter.finding}`);
    }
    if (page > 1) {
        parts.push(`--page ${page}`);
    }
    return parts.join(' ');
}

export function renderList(filter: ListFilter, page: ListPage, ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        let what = t(`command.filter.${filter.state}`);
        if (filter.finding) {
            what = t('command.filter.finding', {tokens: what, finding: code(filter.finding)});
        }
        const blocks: string[][] = [[heading(t('command.list.title', {what, count: page.total}))]];
        if (page.total === 0) {
            blocks.push([t('command.list.empty')]);
        } else if (page.page > page.pageCount) {
            blocks.push([t('command.list.no_page', {page: page.page, pages: page.pageCount}), code(listCommand(filter, page.pageCount))]);
        } else {
            blocks.push(renderTable(page.rows));
            blocks.push([page.page < page.pageCount ? t('command.list.next', {page: page.page, pages: page.pageCount, command: code(listCommand(filter, page.page + 1))}) : t('command.list.page', {page: page.page, pages: page.pageCount})]);
        }
        blocks.push(footer(ctx));
        return join(blocks);
    });
}

function shownRows(rows: readonly Row[], table: string[][], opts: {user?: boolean}): void {
    table.push(renderTable(rows.slice(0, PAGE_SIZE), opts));
    if (rows.length > PAGE_SIZE) {
        table.push([t('command.list.more', {count: rows.length - PAGE_SIZE})]);
    }
}

export function renderUser(username: string, owner: Owner | undefined, rows: readonly Row[], ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const name = owner ? ownerName(owner) : escapeMarkdown('@' + truncate(username, 64));
        if (!owner) {
            return join([[t('command.user.not_found', {user: name})], footer(ctx)]);
        }
        const blocks: string[][] = [[heading(t('command.user.title', {user: name, count: rows.length}))]];
        if (rows.length) {
            shownRows(rows, blocks, {user: false});
        }
        blocks.push(footer(ctx));
        return join(blocks);
    });
}

export function renderSearch(term: string, rows: readonly Row[], ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const blocks: string[][] = [[heading(t('command.search.title', {term: echo(term), count: rows.length}))]];
        if (rows.length) {
            shownRows(rows, blocks, {});
        } else {
            blocks.push([t('command.list.empty')]);
        }
        blocks.push(footer(ctx));
        return join(blocks);
    });
}

function ownerDetail(owner: Owner | undefined): string {
    if (!owner) {
        return t('command.owner.unknown');
    }
    let text = ownerName(owner);
    const full = `${owner.first_name} ${owner.last_name}`.trim();
    if (full) {
        text += ` (${echo(full, 64)})`;
    }
    const tags: string[] = [];
    if (owner.deactivated) {
        tags.push(t('command.owner.deactivated'));
    }
    if (owner.bot) {
        tags.push(t('command.owner.bot'));
    }
    if (owner.system_admin) {
        tags.push(t('command.owner.system_admin'));
    }
    return tags.length ? `${text} — ${tags.join(', ')}` : text;
}

function field(label: MessageId, value: string): string {
    return `- **${t(label)}:** ${value}`;
}

export function renderShow(tokenId: string, row: Row | undefined, ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        if (!row) {
            return join([[t('command.show.not_found', {id: code(tokenId)})], footer(ctx)]);
        }
        const {token} = row;
        const lines = [
            field('command.show.owner', ownerDetail(row.owner)),
            field('command.show.description', echo(token.description, 200) || '–'),
            field('command.show.state', stateWord(token.is_active)),
        ];
        if (ctx.features?.expirySupported && typeof token.expires_at === 'number') {
            lines.push(field('command.show.expires', token.expires_at === 0 ? t('command.show.never') : when(token.expires_at, ctx.now)));
        }
        lines.push(field('command.show.first_seen', row.seen?.first_seen ? when(row.seen.first_seen, ctx.now) : t('command.show.not_seen')));
        let active = t('command.show.no_activity');
        if (row.usage?.last_active) {
            active = when(row.usage.last_active, ctx.now);
        } else if (row.usage_unknown) {
            active = t('command.show.activity_unknown');
        }
        lines.push(field('command.show.last_active', active));
        lines.push(field('command.show.findings', row.findings.length ? row.findings.map(findingWord).join(', ') : t('command.none')));
        if (row.exemption) {
            lines.push(field('command.show.exempted', echo(row.exemption.reason, 200)));
        }
        const actions = (token.is_active ? ['disable', 'revoke'] : ['enable', 'revoke']).map((a) => code(`/tokens ${a} ${token.id}`));
        return join([
            [heading(t('command.show.title', {id: code(token.id)}))],
            lines,
            [t('command.show.actions', {commands: actions.join(' · ')})],
            footer(ctx),
        ]);
    });
}

export function renderAudit(summary: Summary, riskiest: ReadonlyArray<{row: Row; score: number}>, ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const counts = ALL_FINDINGS.filter((f) => summary.findings[f] > 0).
            sort((a, b) => summary.findings[b] - summary.findings[a]).
            map((f) => `- **${findingWord(f)}** ${summary.findings[f]} — ${code(listCommand({state: 'all', finding: f}, 1))}`);
        const blocks: string[][] = [
            [heading(t('command.audit.title')), t('command.audit.totals', {total: summary.total, active: summary.active, inactive: summary.inactive, flagged: summary.at_risk})],
            [`**${t('command.audit.findings')}**`, ...(counts.length ? counts : [t('command.audit.no_findings')])],
        ];
        if (riskiest.length) {
            const scores = new Map(riskiest.map((r) => [r.row, r.score]));
            blocks.push([`**${t('command.audit.riskiest')}**`], renderTable(riskiest.map((r) => r.row), {risk: (row) => scores.get(row) ?? 0}));
        }
        blocks.push(footer(ctx));
        return join(blocks);
    });
}

export function renderPolicy(policy: Policy, updatedBy: Owner | undefined, ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const on = POLICY_FINDINGS.filter((f) => policy.findings[f]);
        const off = POLICY_FINDINGS.filter((f) => !policy.findings[f]);
        const names = (list: readonly FindingName[]) => list.map((f) => `${findingWord(f)} (${code(f)})`).join(', ');
        const lines = [
            `- ${t('command.policy.stale', {days: policy.stale_after_days})}`,
            `- ${t('command.policy.expiring', {days: policy.expiring_within_days})}`,
            `- ${t('command.policy.on', {names: on.length ? names(on) : t('command.none')})}`,
        ];
        if (off.length) {
            lines.push(`- ${t('command.policy.off', {names: names(off)})}`);
        }
        lines.push(`- ${t('command.policy.exemptions', {count: policy.exemptions.length})}`);
        if (policy.updated_at > 0) {
            const who = updatedBy ? ownerName(updatedBy) : code(policy.updated_by);
            lines.push(`- ${t('command.policy.updated', {date: when(policy.updated_at, ctx.now), user: who})}`);
        } else {
            lines.push(`- ${t('command.policy.default')}`);
        }
        return join([[heading(t('command.policy.title'))], lines, footer(ctx)]);
    });
}

// What the hook found for each id an action names, in the order typed.
export interface ActionTarget {
    id: string;

    // Absent when no such token exists.
    token?: Token;
    owner?: Owner;
}

function targetLine(target: ActionTarget, tail: string): string {
    if (!target.token) {
        return `- ${code(target.id)} — ${tail}`;
    }
    const description = echo(target.token.description, DESCRIPTION_CELL);
    return `- ${code(target.id)} ${ownerName(target.owner)}${description ? ` “${description}”` : ''} — ${tail}`;
}

function duplicatesNote(duplicates: readonly string[]): string[] {
    return duplicates.length ? [t('command.duplicates', {ids: duplicates.map(code).join(', ')})] : [];
}

export function confirmCommand(action: TokenActionName, ids: readonly string[]): string {
    return `/tokens ${action} ${ids.join(' ')} --yes`;
}

// revoke/disable without --yes: what would happen to whom, and the exact command to confirm it.
export function renderActionPreview(action: 'revoke' | 'disable', targets: readonly ActionTarget[], duplicates: readonly string[], ctx: RenderContext): string {
    return inLocale(ctx.locale, () => {
        const found = targets.filter((x) => x.token);
        if (!found.length) {
            return join([targets.map((x) => targetLine(x, t('command.action.skip'))), [t('command.action.nothing')], duplicatesNote(duplicates), footer(ctx)]);
        }
        const lines = targets.map((x) => {
            if (!x.token) {
                return targetLine(x, t('command.action.skip'));
            }
            return targetLine(x, action === 'disable' && !x.token.is_active ? t('command.action.already_inactive') : stateWord(x.token.is_active));
        });
        return join([
            [`**${t(`command.action.preview.${action}`, {count: found.length})}**`],
            lines,
            [t(`command.action.effect.${action}`), t('command.action.confirm', {command: code(confirmCommand(action, found.map((x) => x.id)))})],
            duplicatesNote(duplicates),
            footer(ctx),
        ]);
    });
}

export interface ActionOutcome {
    id: string;
    ok: boolean;
    error?: string;
}

export function renderActionResults(
    action: TokenActionName,
    targets: readonly ActionTarget[],
    outcomes: readonly ActionOutcome[],
    duplicates: readonly string[],
    trailError: string | undefined,
    ctx: RenderContext,
): string {
    return inLocale(ctx.locale, () => {
        const byId = new Map(outcomes.map((o) => [o.id, o]));
        let ok = 0;
        let failed = 0;
        let missing = 0;
        const lines = targets.map((x) => {
            const outcome = byId.get(x.id);
            if (!x.token || !outcome) {
                missing++;
                return targetLine(x, t('command.action.missing'));
            }
            if (outcome.ok) {
                ok++;
                return targetLine(x, t(`command.action.done.${action}`));
            }
            failed++;
            return targetLine(x, t('command.action.failed', {error: echo(outcome.error || '', 200)}));
        });
        return join([
            [`**${t(`command.action.title.${action}`, {ok, failed, missing})}**`],
            lines,
            trailError ? [`> ${t('command.action.trail_error', {error: echo(trailError, 200)})}`] : [],
            duplicatesNote(duplicates),
            footer(ctx),
        ]);
    });
}
