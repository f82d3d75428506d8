// Markdown for every /tokens answer, in the reader's language. Pure: the host hands over what it
// loaded, this only writes text.
import {reveal} from '../characters';
import type {CatalogueId} from '../i18n/catalogue';
import {formatDateTime, translator} from '../i18n/format';
import type {Translator, Values} from '../i18n/format';
import {ALL_FINDINGS} from '../inventory/findings';
import type {Summary} from '../inventory/summary';
import {code, consoleURL, escapeMarkdown, fit, linkTarget, mention, truncate} from '../markdown';
import {MAX_MESSAGE_LENGTH} from '../policy/limits';
import {DAY_MS, POLICY_FINDINGS} from '../policy/policy';
import type {FindingName, Owner, Policy, Row, ServerFeatures, Token, TokenActionName} from '../types';

import {PAGE_SIZE, SUBCOMMANDS, USAGE} from './grammar';
import type {ParseError} from './grammar';

export const RISKIEST_SHOWN = 10;

const DESCRIPTION_CELL = 40;
const ECHO_LENGTH = 40;

// The catalogue ids under one prefix, without it: what one kind of writer may say.
export type MessageIdUnder<Prefix extends string> = CatalogueId extends infer Id ? (Id extends `${Prefix}${infer Rest}` ? Rest : never) : never;

type CommandMessageId = MessageIdUnder<'token_audit.command.'>;

// Where and for whom the answer is written.
export interface AnswerContext {
    // For the console link: SiteURL, or the page's address where SiteURL is not set.
    siteURL: string;
    pluginId: string;

    // The host's clock, for "3d ago"; dates themselves are written in UTC.
    now: number;

    // The reader's locale; English when absent or not translated.
    locale?: string;

    // The token actions this host can carry out itself: the server's plugin API cannot disable or enable.
    actions: readonly TokenActionName[];
}

// What the answer knows about the server besides the rows.
export interface Circumstances {
    features?: ServerFeatures;

    // Parts of the data that could not be loaded (owners, usage, seen, ...).
    partial?: readonly string[];

    // When data read before the command was read (CommandData.readAt).
    readAt?: number;
}

export interface ListFilter {
    state: 'all' | 'active' | 'inactive';
    finding?: FindingName;
}

export interface ListPage {
    rows: readonly Row[];

    // One-based, as typed.
    page: number;
    pageCount: number;
    total: number;
}

// What the host found for each id an action names, in the order typed.
export interface ActionTarget {
    id: string;

    // Absent when no such token exists.
    token?: Token;
    owner?: Owner;
}

export interface ActionOutcome {
    id: string;
    ok: boolean;
    error?: string;
}

// An action command as typed: the action, what the host found for each id, and the ids typed twice.
export interface ActionRequest<A extends TokenActionName = TokenActionName> {
    action: A;
    targets: readonly ActionTarget[];
    duplicates: readonly string[];
}

// How the action went, as the host reports it.
export interface ActionResults {
    results: readonly ActionOutcome[];

    // The action ran but its outcome could not be recorded in the audit trail.
    trailError?: string;
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

export function confirmCommand(action: TokenActionName, ids: readonly string[]): string {
    return `/tokens ${action} ${ids.join(' ')} --yes`;
}

export function tableRow(cells: readonly string[]): string {
    return `| ${cells.join(' | ')} |`;
}

export function heading(text: string): string {
    return `#### ${text}`;
}

function echo(text: string, max = ECHO_LENGTH): string {
    return escapeMarkdown(truncate(text, max));
}

// Writes the answers of one reader.
// The bot's posts (watch, campaign) say things of their own and share the answers' wording for the rest.
export class PostWriter<Prefix extends 'token_audit.watch.' | 'token_audit.campaign.'> {
    readonly writer: Writer;
    private readonly tr: Translator;

    constructor(context: Omit<AnswerContext, 'actions'>, private readonly prefix: Prefix) {
        this.writer = new Writer({...context, actions: []});
        this.tr = translator(context.locale);
    }

    t(id: MessageIdUnder<Prefix>, values?: Values): string {
        return this.tr.t(`${this.prefix}${id}` as CatalogueId, values);
    }
}

export class Writer {
    private readonly tr: Translator;

    constructor(private readonly ctx: AnswerContext) {
        this.tr = translator(ctx.locale);
    }

    t(id: CommandMessageId, values?: Values): string {
        return this.tr.t(`token_audit.command.${id}` as CatalogueId, values);
    }

    // The date of a moment in UTC with how long ago or ahead it is.
    when(ms: number): string {
        const days = Math.floor(Math.abs(this.ctx.now - ms) / DAY_MS);
        let relative: string;
        if (days === 0) {
            relative = this.t('time.today');
        } else if (ms <= this.ctx.now) {
            relative = this.t('time.ago', {days});
        } else {
            relative = this.t('time.in', {days});
        }
        return `${formatDateTime(ms)} (${relative})`;
    }

    ownerName(owner: Owner | undefined): string {
        return owner ? mention(owner) : this.t('owner.unknown');
    }

    private stateWord(active: boolean): string {
        return this.t(active ? 'state.active' : 'state.inactive');
    }

    findingWord(f: FindingName): string {
        return this.t(`finding.${f}` as CommandMessageId);
    }

    // The state column already says "disabled"; repeating it as a finding only adds width.
    private findingsCell(row: Row): string {
        const words = row.findings.filter((f) => f !== 'disabled').map((f) => this.findingWord(f));
        return words.length ? words.join(', ') : '–';
    }

    table(rows: readonly Row[], opts: {user?: boolean; risk?: (row: Row) => number} = {}): string[] {
        const withUser = opts.user !== false;
        const header: string[] = [];
        if (opts.risk) {
            header.push(this.t('col.risk'));
        }
        if (withUser) {
            header.push(this.t('col.user'));
        }
        header.push(this.t('col.description'), this.t('col.state'), this.t('col.findings'), this.t('col.id'));
        const lines = [tableRow(header), tableRow(header.map(() => '---'))];
        for (const row of rows) {
            const cells: string[] = [];
            if (opts.risk) {
                cells.push(String(opts.risk(row)));
            }
            if (withUser) {
                cells.push(this.ownerName(row.owner));
            }
            cells.push(echo(row.token.description, DESCRIPTION_CELL) || '–', this.stateWord(row.token.is_active), this.findingsCell(row), code(row.token.id));
            lines.push(tableRow(cells));
        }
        return lines;
    }

    // The notes and the console link are blocks of their own: a line straight after a quote continues
    // the quote in markdown, which would pull the link into the note.
    footer(about: Circumstances): string[][] {
        const notes: string[] = [];
        if (about.features && !about.features.tokensEnabled) {
            notes.push(`> ${this.t('note.tokens_disabled')}`);
        }
        if (about.partial?.length) {
            notes.push(`> ${this.t('note.partial', {parts: about.partial.map((p) => escapeMarkdown(p)).join(', ')})}`);
        }
        if (about.readAt !== undefined) {
            const seconds = Math.max(0, Math.round((this.ctx.now - about.readAt) / 1000));
            notes.push(`> ${this.t('note.read_before', {seconds})}`);
        }
        return [notes, [this.consoleLink(this.t('console.link'))]];
    }

    consoleLink(text: string): string {
        return `[${text}](${linkTarget(consoleURL(this.ctx.siteURL, this.ctx.pluginId))})`;
    }

    // One sentence and the footer: for answers that have nothing else to show.
    sentence(text: string, about: Circumstances = {}): string {
        return join([[text], ...this.footer(about)]);
    }

    help(about: Circumstances): string {
        const lines = SUBCOMMANDS.map((sub) => `- ${code(USAGE[sub])} — ${this.t(`help.${sub}` as CommandMessageId, {size: PAGE_SIZE})}`);
        return join([
            [heading(this.t('help.title'))],
            lines,
            [this.t('help.findings', {names: ALL_FINDINGS.map(code).join(', ')})],
            ...this.footer(about),
        ]);
    }

    private parseErrorMessage(err: ParseError): string {
        // Inside a code span nothing is markup, so what was typed shows exactly (bar backticks).
        const values: Record<string, string> = {};
        for (const [key, value] of Object.entries(err.values)) {
            if (key === 'names') {
                values[key] = value.split(', ').map(code).join(', ');
            } else {
                values[key] = key === 'max' ? this.tr.number(Number(value)) : code(truncate(reveal(value), ECHO_LENGTH));
            }
        }
        return this.t(`error.${err.code}` as CommandMessageId, values);
    }

    parseError(err: ParseError): string {
        const usage = err.subcommand ? [`${this.t('usage')} ${code(USAGE[err.subcommand])}`] : [this.t('usage'), ...SUBCOMMANDS.map((s) => `- ${code(USAGE[s])}`)];
        return join([[`**${this.parseErrorMessage(err)}**`], usage]);
    }

    // The placeholder posted at once while the answer is being put together.
    working(typed: string): string {
        return `_${this.t('working', {command: code(truncate(`/tokens ${typed}`, ECHO_LENGTH))})}_`;
    }

    list(filter: ListFilter, page: ListPage, about: Circumstances): string {
        let what = this.t(`filter.${filter.state}` as CommandMessageId);
        if (filter.finding) {
            what = this.t('filter.finding', {tokens: what, finding: code(filter.finding)});
        }
        const blocks: string[][] = [[heading(this.t('list.title', {what, count: page.total}))]];
        if (page.total === 0) {
            blocks.push([this.t('list.empty')]);
        } else if (page.page > page.pageCount) {
            blocks.push([this.t('list.no_page', {page: page.page, pages: page.pageCount}), code(listCommand(filter, page.pageCount))]);
        } else {
            blocks.push(this.table(page.rows));
            const next = listCommand(filter, page.page + 1);
            blocks.push([page.page < page.pageCount ? this.t('list.next', {page: page.page, pages: page.pageCount, command: code(next)}) : this.t('list.page', {page: page.page, pages: page.pageCount})]);
        }
        blocks.push(...this.footer(about));
        return join(blocks);
    }

    private firstRows(rows: readonly Row[], blocks: string[][], opts: {user?: boolean}): void {
        blocks.push(this.table(rows.slice(0, PAGE_SIZE), opts));
        if (rows.length > PAGE_SIZE) {
            blocks.push([this.t('list.more', {count: rows.length - PAGE_SIZE})]);
        }
    }

    user(username: string, owner: Owner | undefined, rows: readonly Row[], about: Circumstances): string {
        if (!owner) {
            return this.sentence(this.t('user.not_found', {user: escapeMarkdown('@' + truncate(username, 64))}), about);
        }
        const blocks: string[][] = [[heading(this.t('user.title', {user: this.ownerName(owner), count: rows.length}))]];
        if (rows.length) {
            this.firstRows(rows, blocks, {user: false});
        }
        blocks.push(...this.footer(about));
        return join(blocks);
    }

    search(term: string, rows: readonly Row[], about: Circumstances): string {
        const blocks: string[][] = [[heading(this.t('search.title', {term: echo(term), count: rows.length}))]];
        if (rows.length) {
            this.firstRows(rows, blocks, {});
        } else {
            blocks.push([this.t('list.empty')]);
        }
        blocks.push(...this.footer(about));
        return join(blocks);
    }

    ownerDetail(owner: Owner | undefined): string {
        if (!owner) {
            return this.t('owner.unknown');
        }
        let text = this.ownerName(owner);
        const full = `${owner.first_name} ${owner.last_name}`.trim();
        if (full) {
            text += ` (${echo(full, 64)})`;
        }
        const tags: string[] = [];
        if (owner.deactivated) {
            tags.push(this.t('owner.deactivated'));
        }
        if (owner.bot) {
            tags.push(this.t('owner.bot'));
        }
        if (owner.system_admin) {
            tags.push(this.t('owner.system_admin'));
        }
        return tags.length ? `${text} — ${tags.join(', ')}` : text;
    }

    field(label: CommandMessageId, value: string): string {
        return `- **${this.t(label)}:** ${value}`;
    }

    show(tokenId: string, row: Row | undefined, about: Circumstances): string {
        if (!row) {
            return this.sentence(this.t('show.not_found', {id: code(tokenId)}), about);
        }
        const {token} = row;
        const lines = [
            this.field('show.owner', this.ownerDetail(row.owner)),
            this.field('show.description', echo(token.description, 200) || '–'),
            this.field('show.state', this.stateWord(token.is_active)),
        ];
        if (about.features?.expirySupported && typeof token.expires_at === 'number') {
            lines.push(this.field('show.expires', token.expires_at === 0 ? this.t('show.never') : this.when(token.expires_at)));
        }
        lines.push(this.field('show.first_seen', row.seen?.first_seen ? this.when(row.seen.first_seen) : this.t('show.not_seen')));
        let active = this.t('show.no_activity');
        if (row.usage?.last_active) {
            active = this.when(row.usage.last_active);
        } else if (row.usage_unknown) {
            active = this.t('show.activity_unknown');
        }
        lines.push(this.field('show.last_active', active));
        lines.push(this.field('show.findings', row.findings.length ? row.findings.map((f) => this.findingWord(f)).join(', ') : this.t('none')));
        if (row.exemption) {
            const reason = echo(row.exemption.reason, 200);
            const ends = row.exemption.expires_at;
            lines.push(this.field('show.exempted', ends ? this.t('show.exempted_until', {reason, date: this.when(ends)}) : reason));
        }
        const actions = (token.is_active ? ['disable', 'revoke'] : ['enable', 'revoke']).map((a) => code(`/tokens ${a} ${token.id}`));
        return join([
            [heading(this.t('show.title', {id: code(token.id)}))],
            lines,
            [this.t('show.actions', {commands: actions.join(' · ')})],
            ...this.footer(about),
        ]);
    }

    audit(summary: Summary, riskiest: ReadonlyArray<{row: Row; score: number}>, about: Circumstances): string {
        return join([...this.auditBlocks({title: this.t('audit.title'), summary, riskiest}), ...this.footer(about)]);
    }

    // The title with the totals, the counts per finding, then the riskiest tokens: the audit answer
    // and the digest share them.
    auditBlocks({title, summary, riskiest}: {title: string; summary: Summary; riskiest: ReadonlyArray<{row: Row; score: number}>}): string[][] {
        const counts = ALL_FINDINGS.filter((f) => summary.findings[f] > 0).
            sort((a, b) => summary.findings[b] - summary.findings[a]).
            map((f) => `- **${this.findingWord(f)}** ${this.tr.number(summary.findings[f])} — ${code(listCommand({state: 'all', finding: f}, 1))}`);
        const blocks: string[][] = [
            [heading(title), this.t('audit.totals', {total: summary.total, active: summary.active, inactive: summary.inactive, flagged: summary.at_risk})],
            [`**${this.t('audit.findings')}**`, ...(counts.length ? counts : [this.t('audit.no_findings')])],
        ];
        if (riskiest.length) {
            const scores = new Map(riskiest.map((r) => [r.row, r.score]));
            blocks.push([`**${this.t('audit.riskiest')}**`], this.table(riskiest.map((r) => r.row), {risk: (row) => scores.get(row) ?? 0}));
        }
        return blocks;
    }

    policy(policy: Policy, updatedBy: Owner | undefined, about: Circumstances): string {
        const on = POLICY_FINDINGS.filter((f) => policy.findings[f]);
        const off = POLICY_FINDINGS.filter((f) => !policy.findings[f]);
        const names = (list: readonly FindingName[]) => list.map((f) => `${this.findingWord(f)} (${code(f)})`).join(', ');
        const lines = [
            `- ${this.t('policy.stale', {days: policy.stale_after_days})}`,
            `- ${this.t('policy.expiring', {days: policy.expiring_within_days})}`,
            `- ${this.t('policy.on', {names: on.length ? names(on) : this.t('none')})}`,
        ];
        if (off.length) {
            lines.push(`- ${this.t('policy.off', {names: names(off)})}`);
        }
        lines.push(`- ${this.t('policy.exemptions', {count: policy.exemptions.length})}`);
        if (policy.updated_at > 0) {
            const who = updatedBy ? this.ownerName(updatedBy) : code(policy.updated_by);
            lines.push(`- ${this.t('policy.updated', {date: this.when(policy.updated_at), user: who})}`);
        } else {
            lines.push(`- ${this.t('policy.default')}`);
        }
        return join([[heading(this.t('policy.title'))], lines, ...this.footer(about)]);
    }

    private targetLine(target: ActionTarget, tail: string): string {
        if (!target.token) {
            return `- ${code(target.id)} — ${tail}`;
        }
        const description = echo(target.token.description, DESCRIPTION_CELL);
        return `- ${code(target.id)} ${this.ownerName(target.owner)}${description ? ` “${description}”` : ''} — ${tail}`;
    }

    private duplicatesNote(duplicates: readonly string[]): string[] {
        return duplicates.length ? [this.t('duplicates', {ids: duplicates.map(code).join(', ')})] : [];
    }

    // revoke/disable without --yes: what would happen to whom, and the exact command to confirm it.
    actionPreview({action, targets, duplicates}: ActionRequest<'revoke' | 'disable'>, about: Circumstances): string {
        const found = targets.filter((x) => x.token);
        if (!found.length) {
            return join([targets.map((x) => this.targetLine(x, this.t('action.skip'))), [this.t('action.nothing')], this.duplicatesNote(duplicates), ...this.footer(about)]);
        }
        const lines = targets.map((x) => {
            if (!x.token) {
                return this.targetLine(x, this.t('action.skip'));
            }
            return this.targetLine(x, action === 'disable' && !x.token.is_active ? this.t('action.already_inactive') : this.stateWord(x.token.is_active));
        });
        return join([
            [`**${this.t(`action.preview.${action}`, {count: found.length})}**`],
            lines,
            [this.t(`action.effect.${action}`), this.t('action.confirm', {command: code(confirmCommand(action, found.map((x) => x.id)))})],
            this.duplicatesNote(duplicates),
            ...this.footer(about),
        ]);
    }

    actionResults({action, targets, duplicates}: ActionRequest, {results: outcomes, trailError}: ActionResults, about: Circumstances): string {
        const byId = new Map(outcomes.map((o) => [o.id, o]));
        let ok = 0;
        let failed = 0;
        let missing = 0;
        const lines = targets.map((x) => {
            if (!x.token) {
                missing++;
                return this.targetLine(x, this.t('action.missing'));
            }
            const outcome = byId.get(x.id);
            if (outcome?.ok) {
                ok++;
                return this.targetLine(x, this.t(`action.done.${action}`));
            }
            // A token the host was given but did not report on may or may not have been acted on: it
            // counts as failed, so that the reader looks, never as "not found".
            failed++;
            const reason = outcome?.error ? echo(outcome.error, 200) : '';
            return this.targetLine(x, this.t('action.failed', {error: reason || this.t('action.no_reason')}));
        });
        return join([
            [`**${this.t(`action.title.${action}`, {ok, failed, missing})}**`],
            lines,
            trailError ? [`> ${this.t('action.trail_error', {error: echo(trailError, 200)})}`] : [],
            this.duplicatesNote(duplicates),
            ...this.footer(about),
        ]);
    }

    // The server's plugin API has no way to disable or enable a token: an admin's session must.
    needsWebapp(action: TokenActionName, about: Circumstances): string {
        return this.sentence(this.t('host.needs_webapp', {command: code(`/tokens ${action}`)}), about);
    }
}

export function join(blocks: string[][]): string {
    return fit(blocks.filter((b) => b.length).map((b) => b.join('\n')).join('\n\n'), MAX_MESSAGE_LENGTH);
}
