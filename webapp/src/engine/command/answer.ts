// A /tokens command is answered in pure steps, the same on both hosts:
//   planCommand(line)            -> the data the answer needs (Needs)
//   answerCommand({line, data})  -> the answer's markdown, or the action the host is to carry out
//   answerCommand({..., outcome}) -> the markdown that reports the action
// The browser fetches the data through the REST API with the admin's session; the server reads it
// from the database and the plugin API. Neither host writes a word of the answer.
import {campaignsAnswer, disableDueNeedsWebapp, disableDuePreview, disableDueResults, dueTokens} from '../campaign/campaign';
import type {Campaign, CampaignAnswerRequest} from '../campaign/campaign';
import {isAtRisk, riskScore} from '../inventory/findings';
import {filterRows, pageRows, rowsInIdOrder, searchRows, sortByRisk, sortRows} from '../inventory/query';
import {summarize} from '../inventory/summary';
import {escapeMarkdown, truncate} from '../markdown';
import type {Owner, Policy, Seen, ServerFeatures, Token, TokenActionName, Usage} from '../types';
import {digestMarkdown} from '../watch/watch';
import type {DigestHistory} from '../watch/watch';

import {PAGE_SIZE, parseCommand, TRIGGER} from './grammar';
import type {Command} from './grammar';
import {RISKIEST_SHOWN, Writer} from './render';
import type {ActionResults, ActionTarget, AnswerContext, Circumstances} from './render';

export type {AnswerContext} from './render';

// What to fetch before answering. Always, besides: the server features and the policy.
export interface Needs {
    // Every token on the server, with the owners, usage and first-seen records of all of them.
    inventory?: true;

    // The user with this username and their tokens.
    user?: string;

    // These tokens, those that exist.
    tokens?: string[];

    // With user or tokens: the usage and first-seen records of those tokens and when the reader last
    // reviewed, so that they can be judged. The inventory always comes with them.
    activity?: true;

    // The user who last changed the policy.
    policyAuthor?: true;

    // What the server keeps of the last digest. Only the server can post the digest as the bot, so a
    // browser host passes any command needing this on to the server.
    digest?: true;

    // Every clean-up campaign, with the users they name as owners.
    campaigns?: true;
}

// What the host fetched. Owners, usage and first-seen records need cover only the tokens given.
export interface CommandData {
    tokens: Token[];
    owners: Record<string, Owner>;
    usage: Record<string, Usage>;
    seen: Record<string, Seen>;

    // Owner ids whose sessions could not be read: their tokens' activity is unknown, not absent.
    usageUnknown?: string[];
    policy: Policy;

    // When the reading admin last marked the inventory reviewed (0: never).
    lastReviewedAt: number;
    features?: ServerFeatures;

    // Parts that could not be loaded, named for the reader (owners, usage, seen, ...).
    partial?: string[];

    // When the data was read, for a host that answers from data it read before the command (the
    // browser keeps the inventory for a minute): the answer says how old it is.
    readAt?: number;

    // With Needs.user: that user, or null when there is none.
    user?: Owner | null;

    // With Needs.policyAuthor, when known.
    policyAuthor?: Owner;

    // With Needs.digest.
    digest?: DigestHistory;

    // With Needs.campaigns.
    campaigns?: Campaign[];
}

// How the action the engine asked for went; for a digest, whether it was posted.
export type Outcome = ActionResults & {posted?: {ok: boolean; error?: string}};

export interface AnswerInput {
    // The whole command line, "/tokens list --active".
    line: string;
    context: AnswerContext;
    data: CommandData;
    outcome?: Outcome;
}

export type Step =
    | {kind: 'reply'; markdown: string}
    | {kind: 'act'; action: TokenActionName; tokens: Array<Pick<Token, 'id' | 'user_id'>>}

    // Post this as the bot where the digest goes, then answer again with the outcome.
    | {kind: 'post'; markdown: string}

    // Disable the due tokens of these campaigns with the admin's session, telling the server of each,
    // then answer again with the outcome.
    | {kind: 'disable_due'; campaigns: string[]};

const TRIGGER_PREFIX = new RegExp(`^\\s*\\/${TRIGGER}(?=\\s|$)`, 'i');

// The text after the trigger, or undefined when the line is not a /tokens command.
export function commandText(line: string): string | undefined {
    const match = TRIGGER_PREFIX.exec(line);
    return match ? line.slice(match[0].length) : undefined;
}

function parseLine(line: string) {
    return parseCommand(commandText(line) ?? '');
}

export function planCommand(line: string): Needs {
    const parsed = parseLine(line);
    if (!parsed.ok) {
        return {};
    }
    const command = parsed.command;
    switch (command.kind) {
    case 'list':
    case 'search':
    case 'audit':
        return {inventory: true};
    case 'user':
        return {user: command.username, activity: true};
    case 'show':
        return {tokens: [command.tokenId], activity: true};
    case 'action':
        return {tokens: command.ids};
    case 'policy':
        return {policyAuthor: true};
    case 'digest':
        return {inventory: true, digest: true};
    case 'campaign':
        return {campaigns: true};
    case 'help':
        return {};
    }
}

export function answerCommand(input: AnswerInput): Step {
    const writer = new Writer(input.context);
    const parsed = parseLine(input.line);
    if (!parsed.ok) {
        return reply(writer.parseError(parsed.error));
    }
    const data = input.data;
    const about: Circumstances = {features: data.features, partial: data.partial, readAt: data.readAt};
    const command = parsed.command;
    switch (command.kind) {
    case 'help':
        return reply(writer.help(about));
    case 'policy':
        return reply(writer.policy(data.policy, data.policyAuthor, about));
    case 'list': {
        const rows = rowsInIdOrder(data, input.context.now);
        const matching = filterRows(rows, {state: command.state, findings: command.finding ? [command.finding] : []});

        const ordered = sortRows(matching, 'owner');
        const page = pageRows(ordered, command.page - 1, PAGE_SIZE);
        return reply(writer.list({state: command.state, finding: command.finding}, {rows: page.rows, page: command.page, pageCount: page.pageCount, total: page.total}, about));
    }
    case 'search':
        return reply(writer.search(command.term, sortByRisk(searchRows(rowsInIdOrder(data, input.context.now), command.term)), about));
    case 'audit': {
        const rows = rowsInIdOrder(data, input.context.now);
        const riskiest = sortByRisk(rows.filter(isAtRisk)).slice(0, RISKIEST_SHOWN).map((row) => ({row, score: riskScore(row)}));
        return reply(writer.audit(summarize(rows), riskiest, about));
    }
    case 'user': {
        const owner = data.user ?? undefined;
        const rows = owner ? rowsInIdOrder({...data, tokens: data.tokens.filter((t) => t.user_id === owner.id), owners: {...data.owners, [owner.id]: owner}}, input.context.now) : [];
        return reply(writer.user(command.username, owner, sortByRisk(rows), about));
    }
    case 'show': {
        const token = data.tokens.find((t) => t.id === command.tokenId);
        return reply(writer.show(command.tokenId, token ? rowsInIdOrder({...data, tokens: [token]}, input.context.now)[0] : undefined, about));
    }
    case 'action':
        return act(command, input, writer, about);
    case 'digest':
        return digest(command, input, writer);
    case 'campaign':
        return campaign(command, input, writer, about);
    }
}

function campaign(command: Extract<Command, {kind: 'campaign'}>, input: AnswerInput, writer: Writer, about: Circumstances): Step {
    const request: CampaignAnswerRequest = {context: input.context, campaigns: input.data.campaigns ?? [], owners: input.data.owners, footer: writer.footer(about)};
    if (!command.disable) {
        return reply(campaignsAnswer(request));
    }
    if (!input.context.actions.includes('disable')) {
        return reply(disableDueNeedsWebapp(request));
    }
    const due = dueTokens(request.campaigns);
    if (!command.confirmed || due.length === 0) {
        return reply(disableDuePreview(request));
    }
    if (!input.outcome) {
        return {kind: 'disable_due', campaigns: [...new Set(due.map((d) => d.campaign.id))]};
    }
    return reply(disableDueResults(request, input.outcome));
}

function digest(command: Extract<Command, {kind: 'digest'}>, input: AnswerInput, writer: Writer): Step {
    const posted = input.outcome?.posted;
    if (posted) {
        return reply(posted.ok ? writer.t('digest.posted') : writer.t('digest.failed', {error: escapeMarkdown(truncate(posted.error ?? '', 200))}));
    }
    const {locale, siteURL, pluginId, now} = input.context;
    const markdown = digestMarkdown({context: {locale, siteURL, pluginId, now}, data: input.data, history: input.data.digest ?? {since: 0, removed: {}}});
    return command.preview ? reply(markdown) : {kind: 'post', markdown};
}

function act(command: Extract<Command, {kind: 'action'}>, input: AnswerInput, writer: Writer, about: Circumstances): Step {
    const data = input.data;
    if (!input.context.actions.includes(command.action)) {
        return reply(writer.needsWebapp(command.action, about));
    }
    const byId = new Map(data.tokens.map((t) => [t.id, t]));
    const targets: ActionTarget[] = command.ids.map((id) => {
        const token = byId.get(id);
        return token ? {id, token, owner: data.owners[token.user_id]} : {id};
    });
    if (!command.confirmed && command.action !== 'enable') {
        return reply(writer.actionPreview({action: command.action, targets, duplicates: command.duplicates}, about));
    }
    const found = targets.flatMap((x) => (x.token ? [{id: x.token.id, user_id: x.token.user_id}] : []));
    if (found.length && !input.outcome) {
        return {kind: 'act', action: command.action, tokens: found};
    }
    return reply(writer.actionResults({action: command.action, targets, duplicates: command.duplicates}, input.outcome ?? {results: []}, about));
}


function reply(markdown: string): Step {
    return {kind: 'reply', markdown};
}

// Why a host could not answer: the words are the engine's, the reason the host's.
export type FailureCode =
    | 'refused' // the caller is not a system admin
    | 'unreachable' // the browser got no answer from the server
    | 'failed' // a read failed; detail says how
    | 'not_recorded' // the audit trail refused the intent, so nothing was done
    | 'cannot_list'; // the server cannot read tokens from this database

export function explainFailure(code: FailureCode, detail: string, context: AnswerContext): string {
    const writer = new Writer(context);
    const sentence = writer.t(`error.${code}`, {detail});

    // Said in chat on the server path, where the console is the way on.
    return code === 'cannot_list' ? writer.sentence(sentence) : sentence;
}

// The placeholder the browser posts while it gathers the data.
export function workingOn(line: string, context: Pick<AnswerContext, 'locale'>): string {
    const writer = new Writer({siteURL: '', pluginId: '', now: 0, actions: [], ...context});
    return writer.working((commandText(line) ?? '').trim());
}
