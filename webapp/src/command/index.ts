// The /tokens hook for the web and desktop apps: the browser host of the engine's command. It fetches
// what the engine asks for with the admin's own session, carries out the actions the engine decides
// on, and posts the engine's answer as an ephemeral post. Mobile and API callers never reach this;
// the server plugin runs the same engine for them.
import type {CommandArgs} from '@mattermost/types/integrations';

import {
    ApiError,
    disableDue,
    getOwners,
    getPolicy,
    getServerFeatures,
    getToken,
    getTokensForUser,
    getUsage,
    getUserByUsername,
    getViews,
    inventoryCache,
    listCampaigns,
    localeFromState,
    messageOf,
    postEphemeral,
    replaceEphemeral,
    reportSeen,
    runPool,
    runTokenAction,
    siteURLFromState,
} from '../client';
import type {InventoryCache, KeptInventory, PostPlace} from '../client';
import {answerCommand, commandText, escapeMarkdown, explainFailure, planCommand, tokensIn, workingOn} from '../engine';
import type {AnswerContext, Campaign, CommandData, FailureCode, Needs, Outcome, Owner, Policy, Seen, Step, Token, Usage} from '../engine';
import {loadCatalogue} from '../i18n';

// `{}` consumes the command, `{message, args}` passes it on, `{error}` shows the error under the box.
export type SlashCommandHookResult = {message: string; args: CommandArgs} | {error: {message: string}} | Record<string, never>;
const CONSUMED: Record<string, never> = {};
export type SlashCommandHook = (message: string, args: CommandArgs) => Promise<SlashCommandHookResult>;

export interface HostStore {
    getState(): unknown;
}

export interface SlashCommandHookOptions {
    // Where list, search and audit get the inventory; the web app's one kept inventory by default.
    inventory?: InventoryCache;
}

// The hook, and a way to wait for the answers it is still working on (they finish after it returned).
export type BackgroundSlashCommandHook = SlashCommandHook & {idle(): Promise<void>};

// A reason the engine puts into words.
class Failure extends Error {
    constructor(readonly code: FailureCode, detail: string) {
        super(detail);
    }
}

export function createSlashCommandHook(store: HostStore, opts: SlashCommandHookOptions = {}): BackgroundSlashCommandHook {
    const cache = opts.inventory ?? inventoryCache;
    const working = new Set<Promise<void>>();
    const hook = async (message: string, args: CommandArgs): Promise<SlashCommandHookResult> => {
        if (commandText(message) === undefined) {
            return {message, args};
        }
        const needs = planCommand(message);

        // Only the server can post as the bot: the server answers these itself, for admins only.
        if (needs.digest) {
            return {message, args};
        }
        const state = store.getState();
        const context: AnswerContext = {
            siteURL: siteURLFromState(state),
            pluginId: PLUGIN_ID,
            now: Date.now(),
            locale: localeFromState(state),
            actions: ['revoke', 'disable', 'enable'],
        };
        const fail = (err: unknown) => ({error: {message: explain(err, context)}});

        // The inventory is read while the admin check and the placeholder are under way; a caller
        // the check refuses gets it cancelled (and could not have listed tokens anyway).
        const early = new AbortController();
        const inventory = needs.inventory ? Promise.resolve().then(() => cache.get({signal: early.signal})) : undefined;
        inventory?.catch(() => undefined);
        // Every word of the answer, an error included, waits for the admin's language, whose catalogue
        // is fetched (if start-up has not fetched it) while the policy is read.
        const language = loadCatalogue(context.locale);
        let policy: Policy;
        try {
            // The plugin API decides who is an admin; anyone else gets the server's own refusal.
            policy = await getPolicy();
        } catch (err) {
            early.abort();
            if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
                return {message, args};
            }
            await language;
            return fail(err);
        }
        await language;

        // The answer goes where the command was typed: the thread of a reply, or the channel.
        const place: PostPlace = {channelId: args.channel_id, rootId: args.root_id || undefined};
        const answer = async () => {
            const data = inventory ? fromInventory(await inventory) : await fetchData(needs, policy);
            let step: Step = answerCommand({line: message, context, data});
            if (step.kind === 'act') {
                step = answerCommand({line: message, context, data, outcome: await carryOut(step)});
            } else if (step.kind === 'disable_due') {
                step = answerCommand({line: message, context, data, outcome: await disableCampaigns({step, campaigns: data.campaigns ?? [], context})});
            }
            return step.kind === 'reply' ? step.markdown : '';
        };
        try {
            // What needs no server (help, a usage error) is answered at once.
            if (!Object.keys(needs).length) {
                await postEphemeral(place, await answer());
                return CONSUMED;
            }

            // Anything that waits on the server says at once that it is coming, and the message box is
            // given back then: a hook that waited for a 10,000-token answer would hold the box for a
            // second or more, and a command typed meanwhile could be lost.
            const placeholder = await postEphemeral(place, workingOn(message, context));
            const finishing = finish({placeholder, place, answer, fail}).finally(() => working.delete(finishing));
            working.add(finishing);
            return CONSUMED;
        } catch (err) {
            early.abort();
            return fail(err);
        }
    };
    return Object.assign(hook, {
        async idle() {
            while (working.size) {
                await Promise.all(working);
            }
        },
    });
}

interface Finish {
    placeholder: string;
    place: PostPlace;
    answer: () => Promise<string>;
    fail: (err: unknown) => {error: {message: string}};
}

// The placeholder becomes the answer, or the error: no "working on it" is left standing. Where the
// placeholder cannot be replaced the error comes as a post of its own.
async function finish({placeholder, place, answer, fail}: Finish): Promise<void> {
    let markdown: string;
    try {
        markdown = await answer();
    } catch (err) {
        markdown = escapeMarkdown(fail(err).error.message);
    }
    try {
        await replaceEphemeral(placeholder, markdown);
    } catch (err) {
        const said = escapeMarkdown(fail(err).error.message);
        await postEphemeral(place, said).catch((lost: unknown) => {
            // Nothing is left to show it with: the console is where the admin can see it.
            console.error(`[${PLUGIN_ID}] the answer to a /tokens command could not be shown`, lost);
        });
    }
}

function explain(err: unknown, context: AnswerContext): string {
    if (err instanceof Failure) {
        return explainFailure(err.code, err.message, context);
    }
    if (err instanceof ApiError && err.status === 0) {
        return explainFailure('unreachable', '', context);
    }
    return explainFailure('failed', messageOf(err), context);
}

async function carryOut(step: Extract<Step, {kind: 'act'}>) {
    try {
        const run = await runTokenAction(step.action, step.tokens, {source: 'command'});
        return {results: run.results.map((r) => ({id: r.tokenId, ok: r.ok, error: r.error})), trailError: run.trailError};
    } catch (err) {
        // runTokenAction only throws when the intent could not be recorded, before acting on anything.
        throw new Failure('not_recorded', messageOf(err));
    }
}

// The console's own way of disabling due tokens, one campaign after another, so that each campaign
// hears of its own tokens.
async function disableCampaigns({step, campaigns, context}: {step: Extract<Step, {kind: 'disable_due'}>; campaigns: readonly Campaign[]; context: AnswerContext}): Promise<Outcome> {
    const outcome: Outcome = {results: []};
    for (const campaign of campaigns.filter((c) => step.campaigns.includes(c.id))) {
        try {
            const run = await disableDue(campaign, {source: 'command'});
            outcome.results = [...outcome.results, ...run.results.map((r) => ({id: r.tokenId, ok: r.ok, error: r.error}))];
            outcome.trailError = outcome.trailError ?? run.trailError;
        } catch (err) {
            // Thrown only when the intent could not be recorded, before this campaign's tokens were
            // touched: with nothing done yet the command failed; else the report says which were not.
            if (!outcome.results.length) {
                throw new Failure('not_recorded', messageOf(err));
            }
            const error = explainFailure('not_recorded', messageOf(err), context);
            outcome.results = [...outcome.results, ...tokensIn(campaign, 'due').map((t) => ({id: t.id, ok: false, error}))];
        }
    }
    return outcome;
}

// The campaigns and the users they name.
async function fetchCampaigns(base: CommandData): Promise<CommandData> {
    const campaigns = await listCampaigns();
    const ids = [...new Set(campaigns.flatMap((c) => [c.created_by, c.cancelled_by ?? '', ...c.tokens.map((t) => t.user_id)]).filter(Boolean))];
    const partial: string[] = [];
    const owners = ids.length ? await getOwners(ids).catch(() => {
        partial.push('owners');
        return {} as Record<string, Owner>;
    }) : {};
    return {...base, campaigns, owners, partial};
}

// What the engine needs besides the whole inventory, which the hook reads itself.
async function fetchData(needs: Needs, policy: Policy): Promise<CommandData> {
    const base: CommandData = {tokens: [], owners: {}, usage: {}, seen: {}, policy, lastReviewedAt: 0};
    if (needs.campaigns) {
        return fetchCampaigns(base);
    }
    let tokens: Token[] = [];
    if (needs.user !== undefined) {
        const user = await getUserByUsername(needs.user);
        base.user = user ?? null;
        tokens = user ? await getTokensForUser(user.id) : [];
    } else if (needs.tokens) {
        const found = await runPool(needs.tokens, (id) => getToken(id));
        tokens = found.map((f) => {
            if (f.status === 'rejected') {
                throw f.reason;
            }
            return f.value;
        }).filter((t): t is Token => Boolean(t));
    }
    const data = await withDetails({...base, tokens}, needs.activity === true);
    if (needs.policyAuthor && policy.updated_by) {
        data.policyAuthor = (await getOwners([policy.updated_by]).catch(() => ({} as Record<string, Owner>)))[policy.updated_by];
    }
    return data;
}

function fromInventory({inventory: inv, reused}: KeptInventory): CommandData {
    return {
        tokens: inv.tokens,
        owners: inv.owners,
        usage: inv.usage,
        usageUnknown: inv.usageUnknown,
        seen: inv.seen,
        policy: inv.policy,
        lastReviewedAt: inv.views.last_reviewed_at,
        features: inv.features,
        partial: [...new Set(inv.failures.map((f) => f.part))],
        ...(reused ? {readAt: inv.loadedAt} : {}),
    };
}

// The handful-of-tokens counterpart of loadInventory: every part but the tokens themselves may fail
// and is then reported, never guessed. Reporting the ids to the first-seen registry is what
// loadInventory does too, so a token first met here is dated now.
async function withDetails(data: CommandData, activity: boolean): Promise<CommandData> {
    const {tokens} = data;
    const ownerIds = [...new Set(tokens.map((t) => t.user_id))];
    const missingOwners = ownerIds.filter((id) => !(data.user && data.user.id === id));
    const partial: string[] = [];
    const soft = <T>(part: string, p: Promise<T>, fallback: T): Promise<T> => p.catch(() => {
        partial.push(part);
        return fallback;
    });
    const none = Promise.resolve(undefined);
    const [owners, usage, seen, views, features] = await Promise.all([
        missingOwners.length ? soft('owners', getOwners(missingOwners), {} as Record<string, Owner>) : {},
        activity && tokens.length ? soft<Record<string, Usage> | undefined>('usage', getUsage(ownerIds), undefined) : none,
        activity && tokens.length ? soft('seen', reportSeen(tokens.map((t) => t.id), false).then((r) => r.tokens), {} as Record<string, Seen>) : none,
        activity ? soft('views', getViews(), {views: [], last_reviewed_at: 0}) : none,
        soft('config', getServerFeatures(tokens), undefined),
    ]);
    return {
        ...data,
        owners: {...owners, ...(data.user ? {[data.user.id]: data.user} : {})},
        usage: usage ?? {},
        usageUnknown: activity && !usage ? ownerIds : [],
        seen: seen ?? {},
        lastReviewedAt: views?.last_reviewed_at ?? 0,
        features,
        partial,
    };
}
