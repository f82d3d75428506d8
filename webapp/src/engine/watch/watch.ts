// What the bot posts while nobody has the console open: alerts on newly seen risky tokens, the
// offboarding guard, the digest, how a click on one of its buttons ended, and the buttons' labels.
// Pure like the rest of the engine: the server hands over what it read and posts what this writes.
import type {CommandData} from '../command/answer';
import {PAGE_SIZE} from '../command/grammar';
import {heading, join, PostWriter, RISKIEST_SHOWN, Writer} from '../command/render';
import type {AnswerContext} from '../command/render';
import {formatDate} from '../i18n/format';
import {isAtRisk, riskScore} from '../inventory/findings';
import {rowsInIdOrder, sortByRisk} from '../inventory/query';
import {summarize} from '../inventory/summary';
import {code, escapeMarkdown, truncate} from '../markdown';
import type {FindingName, Owner, Row, Seen} from '../types';

// Where and for whom a post is written; the bot's posts need no actions of a host.
export type WatchContext = Omit<AnswerContext, 'actions'>;

// The inventory as the server read it, with the features already judged.
export type WatchData = Pick<CommandData, 'tokens' | 'owners' | 'usage' | 'seen' | 'policy' | 'features' | 'usageUnknown' | 'partial'>;


type WatchWriter = PostWriter<'token_audit.watch.'>;

function watchWriter(context: WatchContext): WatchWriter {
    return new PostWriter(context, 'token_audit.watch.');
}

const DESCRIPTION_LENGTH = 200;



export interface AlertRequest {
    context: WatchContext;
    data: WatchData;

    // Tokens first seen after this moment are new to the watch; the first scan's own sightings are not.
    since: number;
}

export interface Alert {
    token_id: string;
    user_id: string;
    findings: FindingName[];
    markdown: string;
}

// A token alerts when it was first seen after `since`, is not exempted, and carries a finding the
// admin chose to be alerted about while the policy has that finding on.
export function newTokenAlerts({data, since, context}: AlertRequest): Alert[] {
    const chosen = new Set<FindingName>(data.policy.watch.alert_findings.filter((f) => data.policy.findings[f]));
    const out = watchWriter(context);
    return rowsInIdOrder(data, context.now).
        filter((row) => (row.seen?.first_seen ?? 0) > since && !row.exemption && row.findings.some((f) => chosen.has(f))).
        map((row) => ({
            token_id: row.token.id,
            user_id: row.token.user_id,
            findings: row.findings.filter((f) => chosen.has(f)),
            markdown: alertMarkdown(row, out),
        }));
}

function alertMarkdown(row: Row, out: WatchWriter): string {
    const w = out.writer;
    const risky = row.findings.filter(isRiskFinding);
    const lines = [
        w.field('show.owner', w.ownerDetail(row.owner)),
        w.field('show.description', escapeMarkdown(truncate(row.token.description, DESCRIPTION_LENGTH)) || '–'),
        `- **${w.t('col.id')}:** ${code(row.token.id)}`,
        w.field('show.findings', row.findings.map((f) => w.findingWord(f)).join(', ')),
    ];
    return join([
        [heading(out.t('alert.title', {owner: w.ownerName(row.owner), count: risky.length}))],
        lines,
        [w.consoleLink(out.t('alert.link'))],
    ]);
}

function isRiskFinding(f: FindingName): boolean {
    return f !== 'new' && f !== 'exempted';
}

export interface GuardRequest {
    context: WatchContext;
    owner: Owner;
    activeTokens: number;
}

export function guardMarkdown({context, owner, activeTokens}: GuardRequest): string {
    const out = watchWriter(context);
    return join([
        [out.t('guard.text', {user: out.writer.ownerName(owner), count: activeTokens})],
        [out.writer.consoleLink(out.writer.t('console.link'))],
    ]);
}

// How an alert or a guard ended, added under the original post.
export type Resolution =
    | {kind: 'confirm'; actor: Owner}
    | {kind: 'revoked'; actor: Owner; failed: number; error?: string}
    | {kind: 'kept'; actor: Owner}
    | {kind: 'automatic'; failed: number; error?: string};

export function resolutionMarkdown(context: WatchContext, resolution: Resolution): string {
    const out = watchWriter(context);
    const lines: string[] = [];
    switch (resolution.kind) {
    case 'confirm':
        lines.push(out.t('resolved.confirm', {user: out.writer.ownerName(resolution.actor)}));
        break;
    case 'kept':
        lines.push(out.t('resolved.kept', {user: out.writer.ownerName(resolution.actor)}));
        break;
    case 'revoked':
    case 'automatic':
        lines.push(resolution.kind === 'revoked' ? out.t('resolved.revoked', {user: out.writer.ownerName(resolution.actor)}) : out.t('resolved.automatic'));
        if (resolution.failed > 0) {
            lines.push(out.t('resolved.failed', {failed: resolution.failed, error: escapeMarkdown(truncate(resolution.error ?? '', DESCRIPTION_LENGTH))}));
        }
        break;
    }
    return lines.map((line) => `> ${line}`).join('\n');
}

export type ButtonName = 'revoke' | 'confirm' | 'cancel' | 'revoke_all' | 'keep';
const BUTTONS: readonly ButtonName[] = ['revoke', 'confirm', 'cancel', 'revoke_all', 'keep'];

export function buttonLabels(locale: string | undefined): Record<ButtonName, string> {
    const out = watchWriter({siteURL: '', pluginId: '', now: 0, locale});
    return Object.fromEntries(BUTTONS.map((b) => [b, out.t(`button.${b}`)])) as Record<ButtonName, string>;
}

// Why a click changed nothing, said only to the one who clicked.
export type ClickRefusal = 'refused' | 'forged' | 'stale' | 'failed';

export function clickAnswer(locale: string | undefined, refusal: ClickRefusal, detail = ''): string {
    const out = watchWriter({siteURL: '', pluginId: '', now: 0, locale});
    return out.t(`click.${refusal}`, {error: escapeMarkdown(truncate(detail, DESCRIPTION_LENGTH))});
}

// What the server keeps of the last digest: when it went out, and the registry's removed tokens.
export interface DigestHistory {
    // 0 when no digest was posted yet.
    since: number;
    removed: Record<string, Seen>;
}

export interface DigestRequest {
    context: WatchContext;
    data: WatchData;
    history: DigestHistory;
}

export function digestMarkdown({context, data, history}: DigestRequest): string {
    const out = watchWriter(context);
    const w = out.writer;
    const rows = rowsInIdOrder(data, context.now);
    const riskiest = sortByRisk(rows.filter(isAtRisk)).slice(0, RISKIEST_SHOWN).map((row) => ({row, score: riskScore(row)}));
    const changes: string[] = [];
    if (history.since > 0) {
        const added = rows.filter((row) => (row.seen?.first_seen ?? 0) > history.since);
        const removed = Object.entries(history.removed).filter(([, seen]) => seen.removed_at > history.since).map(([id]) => id).sort();
        changes.push(
            `**${out.t('digest.changes', {date: w.when(history.since)})}**`,
            `- ${out.t('digest.new', {count: added.length})}${listed(w, added.map((row) => `${code(row.token.id)} ${w.ownerName(row.owner)}`))}`,
            `- ${out.t('digest.removed', {count: removed.length})}${listed(w, removed.map(code))}`,
        );
    } else {
        changes.push(out.t('digest.first'));
    }
    if (data.features?.expirySupported) {
        const expiring = rows.filter((row) => row.findings.includes('expiring_soon'));
        changes.push(`- ${out.t('digest.expiring', {days: data.policy.expiring_within_days, count: expiring.length})}`);
    }
    const [totals, findings, ...riskiestBlocks] = w.auditBlocks({title: out.t('digest.title', {date: formatDate(context.now)}), summary: summarize(rows), riskiest});
    return join([totals, findings, changes, ...riskiestBlocks, ...w.footer({features: data.features, partial: data.partial})]);
}

// The first items of a list after a colon; a long list ends by pointing at the console.
function listed(w: Writer, items: readonly string[]): string {
    if (!items.length) {
        return '';
    }
    const shown = items.slice(0, PAGE_SIZE).join(', ');
    return items.length > PAGE_SIZE ? ` — ${shown} ${w.t('list.more', {count: items.length - PAGE_SIZE})}` : ` — ${shown}`;
}
