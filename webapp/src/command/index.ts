// The /tokens hook for the web and desktop apps: answers every subcommand in the browser with the
// admin's own session, through client/ and inventory/, as an ephemeral post. Mobile and API callers
// never reach this; the server plugin answers them.
import type {CommandArgs} from '@mattermost/types/integrations';

import {
    ApiError,
    detectFeatures,
    getOwners,
    getPolicy,
    getServerFeatures,
    getToken,
    getTokensForUser,
    getUsage,
    getUserByUsername,
    getViews,
    loadInventory,
    messageOf,
    postEphemeral,
    replaceEphemeral,
    reportSeen,
    runPool,
    runTokenAction,
    siteURLFromState,
} from '../client';
import type {ActionRun, Inventory, PostPlace} from '../client';
import {localeFromState} from '../i18n';
import {buildRows, filterRows, isAtRisk, pageRows, riskScore, searchRows, sortByRisk, sortRows, summarize} from '../inventory';
import type {Owner, Policy, Row, ServerFeatures, Token, Usage} from '../inventory';

import {inLocale, t} from './messages';
import {parseCommand} from './parse';
import type {Command} from './parse';
import {
    escapeMarkdown,
    PAGE_SIZE,
    renderActionPreview,
    renderActionResults,
    renderAudit,
    renderHelp,
    renderList,
    renderParseError,
    renderPolicy,
    renderSearch,
    renderShow,
    renderUser,
    renderWorking,
    RISKIEST_SHOWN,
} from './render';
import type {ActionTarget, RenderContext} from './render';

export {commandMessages} from './messages';

// `{}` consumes the command, `{message, args}` passes it on, `{error}` shows the error under the box.
export type SlashCommandHookResult = {message: string; args: CommandArgs} | {error: {message: string}} | Record<string, never>;
const CONSUMED: Record<string, never> = {};
export type SlashCommandHook = (message: string, args: CommandArgs) => Promise<SlashCommandHookResult>;

export interface HostStore {
    getState(): unknown;
}

// Mattermost lowercases the trigger (app.ExecuteCommand), so "/Tokens" is this command too.
const TRIGGER = /^\s*\/tokens(?=\s|$)/i;

// Carries the reason the trail refused the intent; the sentence around it is written in the admin's language.
class NotRecordedError extends Error {}

export function createSlashCommandHook(store: HostStore): SlashCommandHook {
    return async (message, args) => {
        const match = TRIGGER.exec(message);
        if (!match) {
            return {message, args};
        }
        const locale = localeFromState(store.getState());
        const fail = (err: unknown) => ({error: {message: inLocale(locale, () => sentence(err))}});
        let policy: Policy;
        try {
            // The plugin API decides who is an admin; anyone else gets the server's own refusal.
            policy = await getPolicy();
        } catch (err) {
            if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
                return {message, args};
            }
            return fail(err);
        }

        // The answer goes where the command was typed: the thread of a reply, or the channel.
        const place: PostPlace = {channelId: args.channel_id, rootId: args.root_id || undefined};
        const typed = message.slice(match[0].length);
        const parsed = parseCommand(typed);
        let placeholder = '';
        try {
            if (!parsed.ok) {
                await postEphemeral(place, renderParseError(parsed.error, locale));
                return CONSUMED;
            }

            // Everything but help waits on the server; say at once that it is coming.
            if (parsed.command.kind !== 'help') {
                placeholder = await postEphemeral(place, renderWorking(typed.trim(), locale));
            }
            const ctx: RenderContext = {siteURL: siteURLFromState(store.getState()), now: Date.now(), locale, features: await configFeatures()};
            const markdown = await answer(parsed.command, policy, ctx);
            await (placeholder ? replaceEphemeral(placeholder, markdown) : postEphemeral(place, markdown));
            return CONSUMED;
        } catch (err) {
            const failed = fail(err);

            // No "working on it" is left standing: it becomes the error, which the draft shows too.
            if (placeholder) {
                await replaceEphemeral(placeholder, escapeMarkdown(failed.error.message)).catch(() => undefined);
            }
            return failed;
        }
    };
}

// From the config the host already holds, so that every answer, help included, can say when
// personal access tokens are switched off. Answers that load tokens replace it with their own.
async function configFeatures(): Promise<ServerFeatures | undefined> {
    try {
        return await getServerFeatures([]);
    } catch {
        return undefined;
    }
}

function sentence(err: unknown): string {
    if (err instanceof NotRecordedError) {
        return t('command.error.not_recorded', {detail: err.message});
    }
    if (err instanceof ApiError && err.status === 0) {
        return t('command.error.unreachable');
    }
    return t('command.error.failed', {detail: messageOf(err)});
}

async function answer(command: Command, policy: Policy, ctx: RenderContext): Promise<string> {
    switch (command.kind) {
    case 'help':
        return renderHelp(ctx);
    case 'policy':
        return renderPolicy(policy, await policyAuthor(policy), ctx);
    case 'list': {
        const {rows, ctx: loaded} = await inventoryRows(ctx);
        const filter = {state: command.state, finding: command.finding};
        const matching = filterRows(rows, {state: command.state, findings: command.finding ? [command.finding] : []});

        // The token list has no server order, so pin one that stays put between pages.
        const ordered = sortRows(sortRows(matching, 'token_id'), 'owner');
        const page = pageRows(ordered, command.page - 1, PAGE_SIZE);
        return renderList(filter, {rows: page.rows, page: command.page, pageCount: page.pageCount, total: page.total}, loaded);
    }
    case 'search': {
        const {rows, ctx: loaded} = await inventoryRows(ctx);
        return renderSearch(command.term, sortByRisk(searchRows(rows, command.term)), loaded);
    }
    case 'audit': {
        const {rows, ctx: loaded} = await inventoryRows(ctx);
        const riskiest = sortByRisk(rows.filter(isAtRisk)).slice(0, RISKIEST_SHOWN).map((row) => ({row, score: riskScore(row)}));
        return renderAudit(summarize(rows), riskiest, loaded);
    }
    case 'user': {
        const owner = await getUserByUsername(command.username);
        if (!owner) {
            return renderUser(command.username, undefined, [], ctx);
        }
        const {rows, ctx: loaded} = await rowsFor(await getTokensForUser(owner.id), policy, ctx, {[owner.id]: owner});
        return renderUser(command.username, owner, sortByRisk(rows), loaded);
    }
    case 'show': {
        const token = await getToken(command.tokenId);
        if (!token) {
            return renderShow(command.tokenId, undefined, ctx);
        }
        const {rows, ctx: loaded} = await rowsFor([token], policy, ctx);
        return renderShow(command.tokenId, rows[0], loaded);
    }
    case 'action':
        return act(command, ctx);
    }
}

async function policyAuthor(policy: Policy): Promise<Owner | undefined> {
    if (!policy.updated_by) {
        return undefined;
    }
    const owners = await getOwners([policy.updated_by]).catch(() => ({} as Record<string, Owner>));
    return owners[policy.updated_by];
}

function partsFailed(inv: Inventory): string[] {
    return [...new Set(inv.failures.map((f) => f.part))];
}

async function inventoryRows(ctx: RenderContext): Promise<{rows: Row[]; ctx: RenderContext}> {
    const inv = await loadInventory();
    const rows = buildRows(inv.tokens, inv.owners, inv.usage, inv.seen, inv.policy, inv.features, inv.loadedAt, inv.views.last_reviewed_at, {usageUnknown: inv.usageUnknown});
    return {rows, ctx: {...ctx, features: inv.features, partial: partsFailed(inv)}};
}

// The handful-of-tokens counterpart of loadInventory for `user` and `show`: every part but the
// tokens themselves may fail and is then reported, never guessed. Reporting the ids to the
// first-seen registry is what loadInventory does too, so a token first met here is dated now.
async function rowsFor(tokens: Token[], policy: Policy, ctx: RenderContext, known: Record<string, Owner> = {}): Promise<{rows: Row[]; ctx: RenderContext}> {
    const ownerIds = [...new Set(tokens.map((x) => x.user_id))];
    const missingOwners = ownerIds.filter((id) => !known[id]);
    const partial: string[] = [];
    const soft = <T>(part: string, p: Promise<T>, fallback: T): Promise<T> => p.catch(() => {
        partial.push(part);
        return fallback;
    });
    const [owners, usage, seen, views, features] = await Promise.all([
        missingOwners.length ? soft('owners', getOwners(missingOwners), {} as Record<string, Owner>) : {},
        tokens.length ? soft<Record<string, Usage> | undefined>('usage', getUsage(ownerIds), undefined) : {},
        tokens.length ? soft('seen', reportSeen(tokens.map((x) => x.id), false).then((r) => r.tokens), {}) : {},
        soft('views', getViews(), {views: [], last_reviewed_at: 0}),
        soft('config', getServerFeatures(tokens), detectFeatures(tokens, undefined)),
    ]);
    const rows = buildRows(tokens, {...owners, ...known}, usage ?? {}, seen, policy, features, ctx.now, views.last_reviewed_at, {usageUnknown: usage ? [] : ownerIds});
    return {rows, ctx: {...ctx, features, partial}};
}

async function act(command: Extract<Command, {kind: 'action'}>, ctx: RenderContext): Promise<string> {
    const lookups = await runPool(command.ids, (id) => getToken(id));
    const targets: ActionTarget[] = command.ids.map((id, i) => {
        const found = lookups[i];
        if (found.status === 'rejected') {
            throw found.reason;
        }
        return found.value ? {id, token: found.value} : {id};
    });
    const tokens = targets.flatMap((x) => (x.token ? [x.token] : []));
    const owners = tokens.length ? await getOwners([...new Set(tokens.map((x) => x.user_id))]).catch(() => ({} as Record<string, Owner>)) : {};
    for (const x of targets) {
        if (x.token) {
            x.owner = owners[x.token.user_id];
        }
    }

    if (!command.confirmed && command.action !== 'enable') {
        return renderActionPreview(command.action, targets, command.duplicates, ctx);
    }
    if (!tokens.length) {
        return renderActionResults(command.action, targets, [], command.duplicates, undefined, ctx);
    }
    let run: ActionRun;
    try {
        run = await runTokenAction(command.action, tokens, {source: 'command'});
    } catch (err) {
        // runTokenAction only throws when the intent could not be recorded, before acting on anything.
        throw new NotRecordedError(messageOf(err));
    }
    const outcomes = run.results.map((r) => ({id: r.tokenId, ok: r.ok, error: r.error}));
    return renderActionResults(command.action, targets, outcomes, command.duplicates, run.trailError, ctx);
}
