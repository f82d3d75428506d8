// The engine: everything Token Audit decides and writes, with no I/O, no DOM, no clock and no globals,
// so the browser (webapp/src) and the server (engine.js in goja) answer alike. Functions that need the
// time take `now`; those that write text take the reader's locale.
//
// Inventory: buildRows(input) -> Row[]; evaluateFindings; searchRows (searcher for typing) / filterRows / sortRows /
//            pageRows / queryRows; sortByRisk, riskScore, isAtRisk; summarize; toCSV / toJSON
// Actions:   planAction(action, rows) -> ActionPlan {targets, skipped, owners}; actionApplies
// Trail:     groupTrail(records) -> TrailEntry[] (an intent with its outcome)
// Policy:    DEFAULT_POLICY, DEFAULT_WATCH, POLICY_FINDINGS, policyToInput, diffPolicies, rebasePolicy; POLICY_LIMITS,
//            thresholdsValid, WATCH_LIMITS, watchProblems; policyWhatIf (saved vs edited, over the loaded
//            inventory), maxLifetimeWhatIf
// Campaigns: jobMove / clickMove / disableMove (the stage machine), campaignProblems, CAMPAIGN_LIMITS, dueAt, revokeAt
// /tokens:   planCommand(text) -> Needs; answerCommand({text, context, data, outcome?}) -> Step
// Text:      the catalogues (English built in, the others added by the host: addCatalogue; translationsFor),
//            translator(locale), formatNumber, formatDateTime
export * from './types';
export {isMattermostId, MATTERMOST_ID} from './ids';
export {UNPRINTABLE} from './characters';
export {code, consoleURL, escapeMarkdown, mention, truncate} from './markdown';
export {serverFeatures} from './features';
export type {ServerSettings} from './features';
export {copyWatch, DAY_MS, DEFAULT_POLICY, DEFAULT_WATCH, exemptionActive, POLICY_FINDINGS, policyToInput} from './policy/policy';
export {changesJudgement, diffPolicies, rebasePolicy} from './policy/diff';
export {DIGEST_SCHEDULES, exemptionEndValid, LIFETIME_WHATIF_DAYS, lifetimeDaysValid, MAX_EXEMPTION_DAYS, MAX_EXEMPTION_REASON, MAX_EXEMPTIONS, MAX_MESSAGE_LENGTH, OFFBOARDING_RULES, POLICY_LIMITS, POLICY_THRESHOLDS, SEEN_IDS_PER_REQUEST, thresholdsValid, thresholdValid, WATCH_LIMITS, watchNumberValid, watchProblems} from './policy/limits';
export type {PolicyThreshold, WatchNumber, WatchProblem} from './policy/limits';
export type {PolicyChange} from './policy/diff';
export {compareJudgements, maxLifetimeWhatIf, policyWhatIf} from './policy/whatif';
export type {FindingShift, LifetimeWhatIf, LifetimeWhatIfInput, PolicyWhatIf, PolicyWhatIfInput} from './policy/whatif';
export {ALL_FINDINGS, buildRows, evaluateFindings, exemptionLookup, EXPIRY_FINDINGS, isAtRisk, possibleFindings, RISK_FINDINGS, riskScore} from './inventory/findings';
export type {RowInput} from './inventory/findings';
export {ALL_COLUMNS, DEFAULT_FILTERS, filterRows, OWNER_KINDS, ownerKinds, ownerName, pageRows, queryRows, searcher, searchRows, sortByRisk, sortRows} from './inventory/query';
export type {Page, RowQuery} from './inventory/query';
export {summarize} from './inventory/summary';
export type {Summary} from './inventory/summary';
export {csvCell, EXPORT_FIELDS, toCSV, toExportRecord, toJSON} from './inventory/export';
export type {ExportRecord} from './inventory/export';
export {actionApplies, planAction} from './actions/plan';
export type {ActionPlan} from './actions/plan';
export {CAMPAIGN_DEFAULTS, CAMPAIGN_LIMITS, campaignProblems, dueAt, isFinal, revokeAt, TOKEN_STAGES, tokensIn} from './campaign/campaign';
export type {Campaign, CampaignInput, CampaignProblem, CampaignToken, TokenStage} from './campaign/campaign';
export {groupTrail, TRAIL_ACTIONS} from './trail/entries';
export type {TrailEntry} from './trail/entries';
export {addCatalogue, catalogueFor, englishMessages, LOCALES, supportedLocale, translationsFor, writtenLocale} from './i18n/catalogue';
export type {Catalogue, CatalogueId} from './i18n/catalogue';
export {formatDate, formatDateTime, formatMessage, formatNumber, translator} from './i18n/format';
export type {Translator, Values} from './i18n/format';
export {TRIGGER} from './command/grammar';
export {answerCommand, commandText, explainFailure, planCommand, workingOn} from './command/answer';
export type {AnswerContext, AnswerInput, CommandData, FailureCode, Needs, Outcome, Step} from './command/answer';
