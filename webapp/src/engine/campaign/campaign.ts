// Clean-up campaigns: a set of tokens picked from a view of the Tokens tab, whose owners are asked by
// the bot, which become due after a grace period, are disabled by an admin (only a session can disable
// a token) and revoked by the server at the end of an undo window unless kept or enabled again.
// This file owns the stage machine, the limits and every word of it; the server keeps the records in
// KV and carries out the moves, the console shows them.
import {code, escapeMarkdown, truncate} from '../markdown';
import {heading, join, PostWriter} from '../command/render';
import {formatDateTime} from '../i18n/format';
import {isMattermostId} from '../ids';
import {rowsInIdOrder} from '../inventory/query';
import type {FindingName, Owner, Row} from '../types';
import type {WatchContext, WatchData} from '../watch/watch';

// A token's way through a campaign. picked → notified → (kept | revoked_by_owner | due);
// due → disabled → (reenabled | revoked); a token deleted elsewhere meanwhile is gone.
export type TokenStage = 'picked' | 'notified' | 'kept' | 'revoked_by_owner' | 'due' | 'disabled' | 'reenabled' | 'revoked' | 'gone';

export const TOKEN_STAGES: readonly TokenStage[] = ['picked', 'notified', 'due', 'disabled', 'kept', 'revoked_by_owner', 'reenabled', 'revoked', 'gone'];

const FINAL: ReadonlySet<TokenStage> = new Set(['kept', 'revoked_by_owner', 'reenabled', 'revoked', 'gone']);

export function isFinal(stage: TokenStage): boolean {
    return FINAL.has(stage);
}

export interface CampaignToken {
    id: string;

    // The token's user, and who is asked about it: the user, or for a bot's token the bot's owner.
    user_id: string;
    owner_id: string;
    stage: TokenStage;
    changed_at: number;

    // Who made the last move: an owner or admin clicking, the admin disabling, or the bot (the job).
    changed_by: string;

    // Set when kept: the end of the exemption the owner was given.
    kept_until?: number;

    // The DM that asked the owner, once sent; only its buttons answer for this token.
    post_id?: string;

    // What the server still owes a stored move (the revoke or the exemption), until it is done; the
    // server's campaign job finishes a move whose node was killed in between.
    pending?: 'revoke' | 'exempt';
}

export interface Campaign {
    id: string;
    created_by: string;
    created_at: number;
    note: string;

    // What view of the Tokens tab the tokens came from, as the console summarised it.
    filter: string;
    grace_days: number;
    undo_days: number;
    keep_days: number;

    // How long one of the campaign's days lasts: a day, shorter only on a test server.
    day_ms: number;

    // 0 while it runs; once cancelled no further stage runs.
    cancelled_at: number;
    cancelled_by?: string;
    tokens: CampaignToken[];
}

export const CAMPAIGN_LIMITS = {
    grace_days: {min: 1, max: 90},
    undo_days: {min: 1, max: 90},
    keep_days: {min: 1, max: 365},
    max_tokens: 1000,
    max_note: 1000,
    max_filter: 500,
} as const;

export const CAMPAIGN_DEFAULTS = {grace_days: 14, undo_days: 7, keep_days: 90} as const;

// What an admin submits to start a campaign.
export interface CampaignInput {
    token_ids: string[];
    grace_days: number;
    undo_days: number;
    keep_days: number;
    note: string;
    filter: string;
}

export type CampaignProblem = 'token_ids' | 'grace_days' | 'undo_days' | 'keep_days' | 'note' | 'filter';

const wholeWithin = (limit: {min: number; max: number}, v: number) => Number.isInteger(v) && v >= limit.min && v <= limit.max;

// Every field the server refuses, in the order the start dialog shows them.
export function campaignProblems(input: CampaignInput): CampaignProblem[] {
    const ids = input.token_ids;
    const checks: Array<[CampaignProblem, boolean]> = [
        ['token_ids', ids.length > 0 && ids.length <= CAMPAIGN_LIMITS.max_tokens && ids.every(isMattermostId) && new Set(ids).size === ids.length],
        ['grace_days', wholeWithin(CAMPAIGN_LIMITS.grace_days, input.grace_days)],
        ['undo_days', wholeWithin(CAMPAIGN_LIMITS.undo_days, input.undo_days)],
        ['keep_days', wholeWithin(CAMPAIGN_LIMITS.keep_days, input.keep_days)],
        ['note', input.note.length <= CAMPAIGN_LIMITS.max_note],
        ['filter', input.filter.length <= CAMPAIGN_LIMITS.max_filter],
    ];
    return checks.filter(([, ok]) => !ok).map(([problem]) => problem);
}

// When a campaign's notified tokens become due.
export function dueAt(campaign: Campaign): number {
    return campaign.created_at + (campaign.grace_days * campaign.day_ms);
}

// When a disabled token is revoked unless enabled again.
export function revokeAt(campaign: Campaign, token: CampaignToken): number {
    return token.changed_at + (campaign.undo_days * campaign.day_ms);
}

// The token as the server's read of the database found it.
export type Observed = 'active' | 'inactive' | 'missing';

export interface JobFacts {
    campaign: Campaign;
    token: CampaignToken;
    now: number;
    observed: Observed;
}

// The stage the job moves a token to, or null to leave it. The server does what the move means:
// notified = DM the owner, due = tell the admin, revoked = revoke through the plugin API.
export function jobMove({campaign, token, now, observed}: JobFacts): TokenStage | null {
    if (campaign.cancelled_at > 0 || isFinal(token.stage)) {
        return null;
    }
    if (observed === 'missing') {
        return 'gone';
    }
    switch (token.stage) {
    case 'picked':
        return 'notified';
    case 'notified':
        return now >= dueAt(campaign) ? 'due' : null;
    case 'due':
        // Disabled by an admin; the console also says so at once.
        return observed === 'inactive' ? 'disabled' : null;
    case 'disabled':
        if (observed === 'active') {
            return 'reenabled';
        }
        return now >= revokeAt(campaign, token) ? 'revoked' : null;
    default:
        return null;
    }
}

export type CampaignButton = 'keep' | 'revoke_now';
export const CAMPAIGN_BUTTONS: readonly CampaignButton[] = ['keep', 'revoke_now'];

// The stage a click moves a token to, or null when the click comes too late (already answered,
// disabled, or the campaign was cancelled).
export function clickMove(campaign: Campaign, token: CampaignToken, button: CampaignButton): TokenStage | null {
    if (campaign.cancelled_at > 0 || (token.stage !== 'notified' && token.stage !== 'due')) {
        return null;
    }
    return button === 'keep' ? 'kept' : 'revoked_by_owner';
}

// Whether an admin's report that a token is now disabled moves it.
export function disableMove(campaign: Campaign, token: CampaignToken): TokenStage | null {
    return campaign.cancelled_at === 0 && token.stage === 'due' ? 'disabled' : null;
}

export function tokensIn(campaign: Campaign, stage: TokenStage): CampaignToken[] {
    return campaign.tokens.filter((t) => t.stage === stage);
}

// ---- words ----


type CampaignWriter = PostWriter<'token_audit.campaign.'>;

function campaignWriter(context: WatchContext): CampaignWriter {
    return new PostWriter(context, 'token_audit.campaign.');
}

const DESCRIPTION_LENGTH = 200;


export interface OwnerMessagesRequest {
    context: WatchContext;
    data: WatchData;
    campaign: Campaign;
    token_ids: string[];

    // Who started the campaign, to name in the message.
    admin?: Owner;
}

export interface OwnerMessage {
    token_id: string;
    markdown: string;
}

// The DM to each owner: the token, why it was picked, the date, the admin's note. The buttons are
// labelled by campaignButtons. A token the server did not find is left out.
export function ownerMessages({context, data, campaign, token_ids: tokenIds, admin}: OwnerMessagesRequest): OwnerMessage[] {
    const out = campaignWriter(context);
    const w = out.writer;
    const rows = new Map<string, Row>(rowsInIdOrder(data, context.now).map((row) => [row.token.id, row]));
    const messages: OwnerMessage[] = [];
    for (const id of tokenIds) {
        const row = rows.get(id);
        if (!row) {
            continue;
        }
        const reasons = row.findings.filter((f: FindingName) => f !== 'new' && f !== 'exempted').map((f) => w.findingWord(f));
        const description = escapeMarkdown(truncate(row.token.description, DESCRIPTION_LENGTH)) || '–';
        const lines = [
            row.owner?.bot ? out.t('dm.bot_token', {token: code(row.token.id), description, bot: w.ownerName(row.owner)}) : out.t('dm.token', {token: code(row.token.id), description}),
            reasons.length ? out.t('dm.why', {count: reasons.length, findings: reasons.join(', ')}) : out.t('dm.picked', {filter: escapeMarkdown(campaign.filter) || '–'}),
            out.t('dm.date', {date: formatDateTime(dueAt(campaign)), days: campaign.undo_days}),
            out.t('dm.answer', {days: campaign.keep_days}),
        ];
        const blocks: string[][] = [[heading(out.t('dm.title', {admin: w.ownerName(admin)}))], lines];
        if (campaign.note.trim()) {
            blocks.push([`${out.t('dm.note', {admin: w.ownerName(admin)})}`, ...campaign.note.trim().split('\n').map((line) => `> ${escapeMarkdown(line)}`)]);
        }
        messages.push({token_id: id, markdown: join(blocks)});
    }
    return messages;
}

export function campaignButtons(locale: string | undefined, keepDays: number): Record<CampaignButton, string> {
    const out = campaignWriter({siteURL: '', pluginId: '', now: 0, locale});
    return {keep: out.t('button.keep', {days: keepDays}), revoke_now: out.t('button.revoke_now')};
}

// How an owner's answer ended, added under the DM.
export type CampaignResolution =
    | {kind: 'kept'; actor: Owner; until: number}
    | {kind: 'revoked'; actor: Owner}
    | {kind: 'revoke_failed'; error: string};

export function campaignResolution(context: WatchContext, resolution: CampaignResolution): string {
    const out = campaignWriter(context);
    switch (resolution.kind) {
    case 'kept':
        return `> ${out.t('resolved.kept', {user: out.writer.ownerName(resolution.actor), date: formatDateTime(resolution.until)})}`;
    case 'revoked':
        return `> ${out.t('resolved.revoked', {user: out.writer.ownerName(resolution.actor)})}`;
    case 'revoke_failed':
        return `> ${out.t('resolved.revoke_failed', {error: escapeMarkdown(truncate(resolution.error, DESCRIPTION_LENGTH))})}`;
    }
}

// The reason an owner's kept token is exempted, in the server's language: the policy is shared.
export function keepReason(locale: string | undefined, owner: Owner | undefined, campaignId: string): string {
    const out = campaignWriter({siteURL: '', pluginId: '', now: 0, locale});
    return out.t('keep_reason', {user: out.writer.ownerName(owner), campaign: campaignId});
}

export interface DueNoticeRequest {
    context: WatchContext;
    campaign: Campaign;
    due: number;
}

// The message to the admin who started the campaign once tokens are due.
export function dueNotice({context, campaign, due}: DueNoticeRequest): string {
    const out = campaignWriter(context);
    const title = campaign.note.trim() ? truncate(campaign.note.trim().split('\n')[0], 80) : campaign.id;
    return join([
        [heading(out.t('due.title', {campaign: escapeMarkdown(title), count: due}))],
        [out.t('due.text', {days: campaign.undo_days})],
        [out.writer.consoleLink(out.t('due.link'))],
    ]);
}

// Why a click on a campaign's button changed nothing, said only to the clicker.
export type CampaignClickRefusal = 'not_owner' | 'stale';

export function campaignClickAnswer(locale: string | undefined, refusal: CampaignClickRefusal): string {
    return campaignWriter({siteURL: '', pluginId: '', now: 0, locale}).t(`click.${refusal}`);
}

// ---- /tokens campaign ----

// Campaigns shown in one answer: a server keeps every campaign ever started, the console all of them.
export const CAMPAIGNS_SHOWN = 10;

// The due tokens of every running campaign: the ones `/tokens campaign disable` disables.
export function dueTokens(campaigns: readonly Campaign[]): Array<{campaign: Campaign; token: CampaignToken}> {
    return campaigns.filter((c) => c.cancelled_at === 0).flatMap((c) => tokensIn(c, 'due').map((token) => ({campaign: c, token})));
}

export interface CampaignAnswerRequest {
    context: WatchContext;
    campaigns: readonly Campaign[];

    // The users the campaigns name (admins, tokens' users), those the host could read.
    owners: Readonly<Record<string, Owner>>;
    footer: string[][];
}

// Running campaigns first, then the newest: hosts list them in no particular order.
function ordered(campaigns: readonly Campaign[]): Campaign[] {
    return [...campaigns].sort((a, b) => Number(a.cancelled_at > 0) - Number(b.cancelled_at > 0) || b.created_at - a.created_at || a.id.localeCompare(b.id));
}

function dueLine(out: CampaignWriter, {campaign, token}: {campaign: Campaign; token: CampaignToken}, owners: CampaignAnswerRequest['owners'], tail: string): string {
    return `- ${code(token.id)} ${out.writer.ownerName(owners[token.user_id])} — ${tail || out.t('command.due_since', {date: formatDateTime(dueAt(campaign))})}`;
}

// `/tokens campaign`: each campaign with its tokens by stage, and the due tokens by name.
export function campaignsAnswer({context, campaigns, owners, footer}: CampaignAnswerRequest): string {
    const out = campaignWriter(context);
    const w = out.writer;
    if (campaigns.length === 0) {
        return join([[out.t('command.none')], ...footer]);
    }
    const shown = ordered(campaigns).slice(0, CAMPAIGNS_SHOWN);
    const blocks: string[][] = [[heading(out.t('command.title', {count: campaigns.length}))]];
    for (const c of shown) {
        const note = c.note.trim() ? ` “${escapeMarkdown(truncate(c.note.trim().split('\n')[0], 80))}”` : '';
        const title = `**${out.t('command.started', {admin: w.ownerName(owners[c.created_by]), date: formatDateTime(c.created_at)})}**${note} ${code(c.id)}`;
        const stages = TOKEN_STAGES.map((stage) => [stage, tokensIn(c, stage).length] as const).filter(([, n]) => n > 0).map(([stage, n]) => `${out.t(`stage.${stage}`)}: ${n}`);
        const lines = [title, stages.join(' · ')];
        if (c.cancelled_at > 0) {
            lines.push(out.t('command.cancelled', {admin: w.ownerName(owners[c.cancelled_by ?? '']), date: formatDateTime(c.cancelled_at)}));
        }
        blocks.push(lines, dueTokens([c]).map((due) => dueLine(out, due, owners, '')));
    }
    if (campaigns.length > shown.length) {
        blocks.push([out.t('command.more', {count: campaigns.length - shown.length})]);
    }
    const due = dueTokens(campaigns).length;
    if (due > 0) {
        blocks.push([out.t('command.disable_hint', {count: due, command: code(DISABLE_DUE_COMMAND)})]);
    }
    return join([...blocks, ...footer]);
}

export const DISABLE_DUE_COMMAND = '/tokens campaign disable --yes';

// `/tokens campaign disable` without --yes: what would be disabled, and the command that does it.
export function disableDuePreview({context, campaigns, owners, footer}: CampaignAnswerRequest): string {
    const out = campaignWriter(context);
    const due = dueTokens(campaigns);
    if (due.length === 0) {
        return join([[out.t('command.nothing_due')], ...footer]);
    }
    const people = new Set(due.map((d) => d.token.user_id)).size;
    return join([
        [`**${out.t('command.preview', {count: due.length, people})}**`],
        due.map((d) => dueLine(out, d, owners, '')),
        [out.writer.t('action.effect.disable'), out.writer.t('action.confirm', {command: code(DISABLE_DUE_COMMAND)})],
        ...footer,
    ]);
}

// `/tokens campaign disable` where the host has no session to disable with (the server).
export function disableDueNeedsWebapp({context, campaigns, footer}: CampaignAnswerRequest): string {
    const out = campaignWriter(context);
    return join([[out.t('command.needs_webapp', {count: dueTokens(campaigns).length, command: code(DISABLE_DUE_COMMAND)})], ...footer]);
}

export interface DisableDueOutcome {
    results: ReadonlyArray<{id: string; ok: boolean; error?: string}>;
    trailError?: string;
}

// How disabling the due tokens went, token by token.
export function disableDueResults(request: CampaignAnswerRequest, {results, trailError}: DisableDueOutcome): string {
    const out = campaignWriter(request.context);
    const byId = new Map(results.map((r) => [r.id, r]));
    let ok = 0;
    const lines = dueTokens(request.campaigns).map((due) => {
        const result = byId.get(due.token.id);
        if (result?.ok) {
            ok++;
            return dueLine(out, due, request.owners, out.writer.t('action.done.disable'));
        }
        // A due token the host did not report on may or may not be disabled: it counts as failed.
        const reason = escapeMarkdown(truncate(result?.error ?? '', DESCRIPTION_LENGTH)) || out.writer.t('action.no_reason');
        return dueLine(out, due, request.owners, out.writer.t('action.failed', {error: reason}));
    });
    return join([
        [`**${out.writer.t('action.title.disable', {ok, failed: lines.length - ok, missing: 0})}**`],
        lines,
        trailError ? [`> ${out.writer.t('action.trail_error', {error: escapeMarkdown(truncate(trailError, DESCRIPTION_LENGTH))})}`] : [],
        ...request.footer,
    ]);
}
