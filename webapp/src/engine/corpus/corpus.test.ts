/**
 * @jest-environment node
 */
// The shared /tokens corpus: every *.json beside this file holds command lines, the data a host
// fetched for them and the engine's expected answers. This runner calls the engine through
// bundle.ts's `call`, with the same JSON the Go plugin passes to engine.js in goja; the Go test runs
// the same files there, so both hosts are held to one answer.
//
// A file: {"context": the AnswerContext its cases share, "datasets": {name: what a server host
// passes as data (raw `settings`, not `features`)}, "cases": [{name, line, context? (merged over the
// file's), data (a dataset's name, or the data), outcome?, needs, answer}]}. Case names are unique
// across files; ids are Mattermost ids.
//
// The expected `needs` and `answer` of every case are a golden file, read by a person when written:
//   UPDATE_CORPUS=1 npx jest webapp/src/engine/corpus --selectProjects unit
// rewrites them from the engine (and the files' layout), after which `git diff` shows what changed.
import {readdirSync, readFileSync, writeFileSync} from 'fs';
import {join} from 'path';

import {call} from '../bundle';
import type {AnswerContext, CommandData, Needs, Outcome, Step} from '../command/answer';
import {parseCommand, SUBCOMMANDS} from '../command/grammar';
import type {ParseErrorCode} from '../command/grammar';
import type {ServerSettings} from '../features';
import {LOCALES, supportedLocale} from '../i18n/catalogue';
import {isMattermostId} from '../ids';
import {ALL_FINDINGS} from '../inventory/findings';

// What the server passes: the raw settings instead of the features the engine derives from them.
type ServerData = Omit<CommandData, 'features'> & {settings?: ServerSettings};

interface CorpusCase {
    name: string;
    line: string;

    // Merged shallowly over the file's context.
    context?: Partial<AnswerContext>;

    // A dataset of the file by name, or the data itself.
    data: string | ServerData;
    outcome?: Outcome;
    needs: Needs;
    answer: Step;
}

interface CorpusFile {
    context: AnswerContext;
    datasets: Record<string, ServerData>;
    cases: CorpusCase[];
}

const UPDATE = process.env.UPDATE_CORPUS === '1';

// Issue 12 asks for at least 80 cases; a file below a handful has lost its topic.
const MIN_CASES = 80;
const MIN_CASES_PER_FILE = 10;

// Written out so that a new refusal in the grammar fails to compile here until the corpus shows it.
const EVERY_PARSE_ERROR: Record<ParseErrorCode, true> = {
    too_long: true,
    unknown_subcommand: true,
    unknown_flag: true,
    duplicate_flag: true,
    missing_value: true,
    conflicting_flags: true,
    bad_page: true,
    bad_finding: true,
    missing_argument: true,
    extra_argument: true,
    bad_id: true,
    bad_username: true,
    bad_term: true,
    too_many_ids: true,
};

const files = readdirSync(__dirname).filter((f) => f.endsWith('.json')).sort().map((f) => ({
    file: f,
    corpus: JSON.parse(readFileSync(join(__dirname, f), 'utf8')) as CorpusFile,
}));
const allCases = files.flatMap(({corpus}) => corpus.cases);

function dataOf(corpus: CorpusFile, c: CorpusCase): ServerData {
    return typeof c.data === 'string' ? corpus.datasets[c.data] : c.data;
}

// As the Go host calls engine.js: method name and JSON in, JSON out.
function run(corpus: CorpusFile, c: CorpusCase): {needs: Needs; answer: Step} {
    const needs = JSON.parse(call('plan', JSON.stringify({line: c.line}))) as Needs;
    const input = {line: c.line, context: {...corpus.context, ...c.context}, data: dataOf(corpus, c), outcome: c.outcome};
    const answer = JSON.parse(call('answer', JSON.stringify(input))) as Step;
    return {needs, answer};
}

describe('the corpus', () => {
    test(`has at least ${MIN_CASES} cases, and every file at least ${MIN_CASES_PER_FILE}`, () => {
        expect(allCases.length).toBeGreaterThanOrEqual(MIN_CASES);
        for (const {file, corpus} of files) {
            expect({file, cases: corpus.cases.length >= MIN_CASES_PER_FILE}).toEqual({file, cases: true});
        }
    });

    test('names every case once, across all files', () => {
        const seen = new Set<string>();
        const duplicated = allCases.map((c) => c.name).filter((name) => seen.has(name) || !seen.add(name));
        expect(duplicated).toEqual([]);
    });

    test('refers only to datasets that exist, and leaves none unused', () => {
        for (const {file, corpus} of files) {
            const named = new Set(corpus.cases.flatMap((c) => (typeof c.data === 'string' ? [c.data] : [])));
            expect({file, missing: [...named].filter((n) => !(n in corpus.datasets))}).toEqual({file, missing: []});
            expect({file, unused: Object.keys(corpus.datasets).filter((n) => !named.has(n))}).toEqual({file, unused: []});
        }
    });

    test('gives every token and user a Mattermost id', () => {
        const bad: string[] = [];
        for (const {corpus} of files) {
            for (const c of corpus.cases) {
                const data = dataOf(corpus, c);
                const ids = [
                    ...data.tokens.flatMap((t) => [t.id, t.user_id]),
                    ...Object.entries(data.owners).flatMap(([key, o]) => [key, o.id]),
                    ...Object.keys(data.usage), ...Object.keys(data.seen),
                    ...data.policy.exemptions.map((e) => e.id),
                    ...(data.user ? [data.user.id] : []),
                ];
                bad.push(...ids.filter((id) => !isMattermostId(id)).map((id) => `${c.name}: ${id}`));
            }
        }
        expect(bad).toEqual([]);
    });

    // What the issue asks the corpus to show, checked so that trimming a file cannot lose it silently.
    test('covers every subcommand, every refusal, every finding filter and every language', () => {
        const parsed = allCases.map((c) => parseCommand(c.line.replace(/^\s*\/tokens/i, '')));
        const kinds = new Set(parsed.flatMap((p) => {
            if (!p.ok) {
                return [];
            }
            return p.command.kind === 'action' ? [p.command.action] : [p.command.kind];
        }));
        const refusals = new Set(parsed.flatMap((p) => (p.ok ? [] : [p.error.code])));
        const findings = new Set(parsed.flatMap((p) => (p.ok && p.command.kind === 'list' && p.command.finding ? [p.command.finding] : [])));
        const locales = new Set(files.flatMap(({corpus}) => corpus.cases.map((c) => c.context?.locale ?? corpus.context.locale ?? '')));
        expect([...SUBCOMMANDS].filter((s) => !kinds.has(s))).toEqual([]);
        expect(Object.keys(EVERY_PARSE_ERROR).filter((code) => !refusals.has(code as ParseErrorCode))).toEqual([]);
        expect(ALL_FINDINGS.filter((f) => !findings.has(f))).toEqual([]);
        expect(LOCALES.filter((l) => !locales.has(l))).toEqual([]);
        expect([...locales].some((x) => supportedLocale(x) === 'en' && x !== 'en')).toBe(true);
    });
});

for (const {file, corpus} of files) {
    describe(file, () => {
        test.each(corpus.cases.map((c) => ({name: c.name, c})))('$name', ({c}) => {
            const got = run(corpus, c);
            if (UPDATE) {
                c.needs = got.needs;
                c.answer = got.answer;
                return;
            }
            expect(got.needs).toStrictEqual(c.needs);
            expect(got.answer).toStrictEqual(c.answer);
        });

        if (UPDATE) {
            afterAll(() => {
                corpus.cases = corpus.cases.map(({name, line, context, data, outcome, needs, answer}) => ({name, line, context, data, outcome, needs, answer}));
                writeFileSync(join(__dirname, file), formatJSON(corpus) + '\n');
            });
        }
    });
}

// The layout of the corpus files: short objects and arrays on one line, and every character that
// does not show (controls, format and bidi characters, unusual spaces, combining marks) as a \u
// escape, so that a reader sees exactly what a case holds.
const INLINE_WIDTH = 140;
const HIDDEN = /[\p{C}\p{Z}\p{M}]/gu;

function jsonString(text: string): string {
    return JSON.stringify(text).replace(HIDDEN, (ch) => (ch === ' ' ? ch : Array.from({length: ch.length}, (_, i) => '\\u' + ch.charCodeAt(i).toString(16).padStart(4, '0')).join('')));
}

function formatJSON(value: unknown, indent = ''): string {
    if (value === null || typeof value !== 'object') {
        return typeof value === 'string' ? jsonString(value) : JSON.stringify(value);
    }
    const entries: Array<[string | undefined, unknown]> = Array.isArray(value) ?
        value.map((v) => [undefined, v]) :
        Object.entries(value).filter(([, v]) => v !== undefined);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (!entries.length) {
        return open + close;
    }
    const inner = indent + '  ';
    const item = ([key, v]: [string | undefined, unknown], at: string) => (key === undefined ? '' : jsonString(key) + ': ') + formatJSON(v, at);
    const inline = open + entries.map((e) => item(e, '')).join(', ') + close;
    if (!inline.includes('\n') && indent.length + inline.length <= INLINE_WIDTH) {
        return inline;
    }
    return open + '\n' + entries.map((e) => inner + item(e, inner)).join(',\n') + '\n' + indent + close;
}
