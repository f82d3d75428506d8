/**
 * @jest-environment node
 */
// The bot's posts: alerts, the offboarding guard, how a click ended, the buttons, click refusals and
// the scheduled digest, each a method of engine.js called with the JSON the Go plugin passes. The
// server's watch package runs the same file in goja (server/watch/corpus_test.go).
//   UPDATE_CORPUS=1 npx jest webapp/src/engine/corpus/posts
// rewrites the expected outputs; `git diff` then shows what changed.
import {readFileSync, writeFileSync} from 'fs';
import {join} from 'path';

import {call} from '../../bundle';

interface PostCase {
    name: string;
    method: string;
    input: unknown;
    output: unknown;
}

const FILE = join(__dirname, 'posts.json');
const corpus = JSON.parse(readFileSync(FILE, 'utf8')) as {cases: PostCase[]};
const UPDATE = process.env.UPDATE_CORPUS === '1';

test('names every case once and calls every post method', () => {
    expect(new Set(corpus.cases.map((c) => c.name)).size).toBe(corpus.cases.length);
    expect([...new Set(corpus.cases.map((c) => c.method))].sort()).toEqual(['alerts', 'buttons', 'click', 'digest', 'guard', 'resolution']);
});

test.each(corpus.cases.map((c) => ({name: c.name, c})))('$name', ({c}) => {
    const got = JSON.parse(call(c.method, JSON.stringify(c.input))) as unknown;
    if (UPDATE) {
        c.output = got;
        return;
    }
    expect(got).toStrictEqual(c.output);
});

if (UPDATE) {
    afterAll(() => writeFileSync(FILE, JSON.stringify(corpus, null, 2) + '\n'));
}
