// The entry of engine.js, the engine as the Go plugin runs it in goja: one global, TokenAuditEngine,
// whose `call` takes a method name and a JSON argument and returns JSON. JSON both ways keeps the
// boundary to strings, which goja converts cheaply and which cannot carry a Go or JS object across.
import {answerCommand, explainFailure, planCommand} from './command/answer';
import type {AnswerContext, AnswerInput, FailureCode} from './command/answer';
import {autocomplete} from './command/autocomplete';
import {serverFeatures} from './features';
import type {ServerSettings} from './features';
import {buttonLabels, clickAnswer, digestMarkdown, guardMarkdown, newTokenAlerts, resolutionMarkdown} from './watch/watch';
import type {AlertRequest, ClickRefusal, DigestRequest, GuardRequest, Resolution, WatchContext} from './watch/watch';
import {policyLimits} from './policy/limits';

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

    // The bot's posts (watch/watch.ts).
    alerts: (input: WithSettings<AlertRequest>) => newTokenAlerts(judged(input)),
    digest: (input: WithSettings<DigestRequest>) => ({markdown: digestMarkdown(judged(input))}),
    guard: (input: GuardRequest) => ({markdown: guardMarkdown(input)}),
    resolution: (input: {context: WatchContext; resolution: Resolution}) => ({markdown: resolutionMarkdown(input.context, input.resolution)}),
    buttons: (input: {locale?: string}) => buttonLabels(input.locale),
    click: (input: {locale?: string; refusal: ClickRefusal; detail?: string}) => ({text: clickAnswer(input.locale, input.refusal, input.detail)}),
    limits: () => policyLimits(),
};

export function call(method: string, input: string): string {
    if (!Object.prototype.hasOwnProperty.call(METHODS, method)) {
        throw new Error(`engine.js has no method ${method}`);
    }
    return JSON.stringify(METHODS[method](JSON.parse(input) as never));
}
