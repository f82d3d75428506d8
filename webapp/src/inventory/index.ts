// The pure half of the webapp: joins what client/ loaded and judges it. No I/O, no React, no clock
// (every function that needs the time takes `now`), so the console and /tokens agree and tests are plain.
//
// buildRows(tokens, owners, usage, seen, policy, features, now, lastReviewedAt, opts?): Row[]
// evaluateFindings(token, owner, usage, seen, policy, features, now, lastReviewedAt, opts?): FindingName[]
// searchRows(rows, query) / filterRows(rows, filters) / sortRows(rows, column, direction)
// pageRows(rows, page, pageSize) -> {rows, page, pageCount, total}; queryRows(rows, view) = search+filter+sort
// sortByRisk(rows), riskScore(row), isAtRisk(row), summarize(rows) -> Summary
// toCSV(rows) / toJSON(rows); labels: FINDING_LABELS, FINDING_DESCRIPTIONS, COLUMN_LABELS, OWNER_KIND_LABELS
export * from './types';
export {DAY_MS, DEFAULT_POLICY, POLICY_FINDINGS, policyToInput} from './policy';
export {buildRows, evaluateFindings, exemptionFor, isAtRisk, RISK_FINDINGS, riskScore} from './findings';
export type {BuildOptions} from './findings';
export {ALL_COLUMNS, DEFAULT_FILTERS, filterRows, ownerKinds, pageRows, queryRows, searchRows, sortByRisk, sortRows} from './query';
export type {Page, RowQuery} from './query';
export {summarize} from './summary';
export type {Summary} from './summary';
export {csvCell, EXPORT_FIELDS, toCSV, toExportRecord, toJSON} from './export';
export type {ExportRecord} from './export';
export {ALL_FINDINGS, COLUMN_LABELS, FINDING_DESCRIPTIONS, FINDING_LABELS, OWNER_KIND_LABELS} from './labels';
