// The entry of engine.js, the engine as the Go plugin runs it in goja: one global, TokenAuditEngine,
// whose `call` takes a method name and a JSON argument and returns JSON. JSON both ways keeps the
// boundary to strings, which goja converts cheaply and which cannot carry a Go or JS object across.
import {answerCommand, explainFailure, planCommand} from './command/answer';
import type {AnswerContext, AnswerInput, FailureCode} from './command/answer';
import {autocomplete} from './command/autocomplete';
import {serverFeatures} from './features';
import type {ServerSettings} from './features';
import {addEveryCatalogue} from './i18n/every';
import {buttonLabels, clickAnswer, digestMarkdown, guardMarkdown, newTokenAlerts, resolutionMarkdown} from './watch/watch';
import type {AlertRequest, ClickRefusal, DigestRequest, GuardRequest, Resolution, WatchContext} from './watch/watch';
import {policyLimits} from './policy/limits';
import {campaignButtons, campaignClickAnswer, campaignProblems, campaignResolution, clickMove, disableMove, dueNotice, jobMove, keepReason, ownerMessages} from './campaign/campaign';
import type {Campaign, CampaignButton, CampaignClickRefusal, CampaignInput, CampaignResolution, DueNoticeRequest, Observed, OwnerMessagesRequest, TokenStage} from './campaign/campaign';
import type {Owner} from './types';

// The server answers every reader synchronously, in their own language.
addEveryCatalogue();

// The server reads the raw settings and leaves judging what they mean to the engine.
type ServerAnswerInput = AnswerInput & {data: {settings?: ServerSettings}};
type WithSettings<T extends {data: {tokens: AnswerInput['data']['tokens']}}> = T & {data: {settings?: ServerSettings}};

function judged<T extends {data: {tokens: AnswerInput['data']['tokens']; settings?: ServerSettings}}>(input: T): T {
    return {...input, data: {...input.data, features: serverFeatures(input.data.tokens, input.data.settings)}};
}

const METHODS: Record<string, (input: never) => unknown> = {
    autocomplete: (input: {locale?: string}) => autocomplete(input.locale),
    plan: (input: {line: string}) => planCommand(input.line),
    answer: (input: ServerAnswerInput) => answerCommand(judged(input)),
    explain: (input: {code: FailureCode; detail: string; context: AnswerContext}) => explainFailure(input.code, input.detail, input.context),
    limits: () => policyLimits(),

    // The bot's posts (watch/watch.ts).
    alerts: (input: WithSettings<AlertRequest>) => newTokenAlerts(judged(input)),
    digest: (input: WithSettings<DigestRequest>) => ({markdown: digestMarkdown(judged(input))}),
    guard: (input: GuardRequest) => ({markdown: guardMarkdown(input)}),
    resolution: (input: {context: WatchContext; resolution: Resolution}) => ({markdown: resolutionMarkdown(input.context, input.resolution)}),
    buttons: (input: {locale?: string}) => buttonLabels(input.locale),
    click: (input: {locale?: string; refusal: ClickRefusal; detail?: string}) => ({text: clickAnswer(input.locale, input.refusal, input.detail)}),

    // Clean-up campaigns (campaign/campaign.ts): the server asks for every move and every word.
    campaign_problems: (input: CampaignInput) => campaignProblems(input),
    campaign_moves: (input: {campaign: Campaign; now: number; observed: Record<string, Observed>}) => jobMoves(input),
    campaign_click: (input: {campaign: Campaign; token_id: string; button: CampaignButton}) => ({stage: onToken(input.campaign, input.token_id, (t) => clickMove(input.campaign, t, input.button))}),
    campaign_disabled: (input: {campaign: Campaign; token_id: string}) => ({stage: onToken(input.campaign, input.token_id, (t) => disableMove(input.campaign, t))}),
    campaign_messages: (input: WithSettings<OwnerMessagesRequest>) => ownerMessages(judged(input)),
    campaign_buttons: (input: {locale?: string; keep_days: number}) => campaignButtons(input.locale, input.keep_days),
    campaign_resolution: (input: {context: WatchContext; resolution: CampaignResolution}) => ({markdown: campaignResolution(input.context, input.resolution)}),
    campaign_due: (input: DueNoticeRequest) => ({markdown: dueNotice(input)}),
    campaign_click_answer: (input: {locale?: string; refusal: CampaignClickRefusal}) => ({text: campaignClickAnswer(input.locale, input.refusal)}),
    campaign_keep_reason: (input: {locale?: string; owner?: Owner; campaign_id: string}) => ({text: keepReason(input.locale, input.owner, input.campaign_id)}),
};

function onToken(campaign: Campaign, tokenId: string, move: (token: Campaign['tokens'][number]) => TokenStage | null): TokenStage | null {
    const token = campaign.tokens.find((t) => t.id === tokenId);
    return token ? move(token) : null;
}

// Every move the job makes now: token id → its next stage. A token the read did not report is missing.
function jobMoves({campaign, now, observed}: {campaign: Campaign; now: number; observed: Record<string, Observed>}): Record<string, TokenStage> {
    const moves: Record<string, TokenStage> = {};
    for (const token of campaign.tokens) {
        const next = jobMove({campaign, token, now, observed: observed[token.id] ?? 'missing'});
        if (next) {
            moves[token.id] = next;
        }
    }
    return moves;
}

export function call(method: string, input: string): string {
    if (!Object.prototype.hasOwnProperty.call(METHODS, method)) {
        throw new Error(`engine.js has no method ${method}`);
    }
    return JSON.stringify(METHODS[method](JSON.parse(input) as never));
}
