// Bad input against every plugin route and every /tokens subcommand, sent by a system admin (who
// gets past the permission check, so validation is what stands in the way). Each case must be
// refused with a 4xx or a clear message, and must leave the plugin's KV rows exactly as they were.
import crypto from 'crypto';
import http from 'http';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {launchBrowser, openHost, postFrom, sendCommand, withoutReadNote} from '../harness/browser';
import {adminClient, environment, executeCommand, pluginRequest} from '../harness/context';
import {kvDiff, readPluginKV} from '../harness/kv';
import {SEEN_IDS_PER_REQUEST} from '../../webapp/src/engine';

interface RouteCase {
    what: string;
    method: string;

    // Under /plugins/<id>/api/v1; sent byte for byte, so dot segments and escapes reach the server.
    path: string;
    body?: string | (() => Promise<string | Buffer>);
    status: number;
}

interface CommandCase {
    what: string;
    command: string | (() => string);

    // What a clear answer says on the web path. The server path runs the same engine, so it must
    // give the very same text, except where it cannot do what the command asks.
    web: RegExp;

    // What the server path says instead, where it differs: disable and enable need an admin's session.
    server?: RegExp;

    // The webapp answers by scanning the inventory, which refreshes the first-seen registry; a scan
    // just before makes that refresh a no-op, so any write the case itself makes still shows.
    scans?: true;
}

let admin: Client4;
let browser: Browser;
let page: Page;
let tried = 0;

const env = () => environment();
const newId = () => Array.from(crypto.randomBytes(26), (b) => 'abcdefghijkmnopqrstuwxyz13456789'[b % 32]).join('');
const aliceLaptop = () => env().fixtures.tokens.find((t) => t.description === 'alice laptop')!;
const json = (value: unknown) => JSON.stringify(value);

// A valid policy edit of the stored policy with one part replaced, so only that part is wrong.
function policyWith(change: Record<string, unknown>, exemption?: Record<string, unknown>) {
    return async () => {
        const current = (await pluginRequest(admin, 'GET', '/policy')).body as {version: number; findings: unknown; stale_after_days: number; expiring_within_days: number};
        const input: Record<string, unknown> = {
            version: current.version,
            stale_after_days: current.stale_after_days,
            expiring_within_days: current.expiring_within_days,
            findings: current.findings,
            exemptions: exemption ? [{kind: 'user', id: env().fixtures.users.bob.id, reason: 'reviewed', ...exemption}] : [],
        };
        return json({...input, ...change});
    };
}

const view = (change: Record<string, unknown> = {}) => ({
    name: 'mine', query: '', filters: {state: 'all', findings: [], owner_kinds: []}, sort: {column: 'owner', direction: 'asc'}, columns: ['owner'], page_size: 50, ...change,
});
const record = (change: Record<string, unknown> = {}) => ({action_id: newId(), phase: 'intent', action: 'revoke', token_id: newId(), owner_id: '', source: 'console', ...change});

const routeCases: RouteCase[] = [
    // Malformed and truncated JSON, empty bodies, the wrong kind of value.
    {what: 'policy: truncated object', method: 'PUT', path: '/policy', body: '{', status: 400},
    {what: 'policy: truncated mid-value', method: 'PUT', path: '/policy', body: async () => (await policyWith({})()).slice(0, 40), status: 400},
    {what: 'policy: empty body', method: 'PUT', path: '/policy', body: '', status: 400},
    {what: 'policy: null', method: 'PUT', path: '/policy', body: 'null', status: 400},
    {what: 'policy: an array', method: 'PUT', path: '/policy', body: '[]', status: 400},
    {what: 'policy: a string', method: 'PUT', path: '/policy', body: '"policy"', status: 400},
    {what: 'policy: empty object', method: 'PUT', path: '/policy', body: '{}', status: 400},
    {what: 'policy: two JSON values', method: 'PUT', path: '/policy', body: async () => (await policyWith({})()).repeat(2), status: 400},
    {what: 'policy: byte order mark', method: 'PUT', path: '/policy', body: async () => '\ufeff' + await policyWith({})(), status: 400},
    {what: 'policy: nested 100000 deep', method: 'PUT', path: '/policy', body: '['.repeat(100000), status: 400},
    {what: 'policy: version as a string', method: 'PUT', path: '/policy', body: policyWith({version: '1'}), status: 400},
    {what: 'policy: negative version', method: 'PUT', path: '/policy', body: policyWith({version: -1}), status: 400},
    {what: 'policy: version beyond int64', method: 'PUT', path: '/policy', body: async () => (await policyWith({})()).replace(/"version":\d+/, '"version":1e400'), status: 400},
    {what: 'policy: stale_after_days 0', method: 'PUT', path: '/policy', body: policyWith({stale_after_days: 0}), status: 400},
    {what: 'policy: stale_after_days negative', method: 'PUT', path: '/policy', body: policyWith({stale_after_days: -90}), status: 400},
    {what: 'policy: stale_after_days enormous', method: 'PUT', path: '/policy', body: async () => (await policyWith({})()).replace(/"stale_after_days":\d+/, '"stale_after_days":99999999999999999999999'), status: 400},
    {what: 'policy: stale_after_days fractional', method: 'PUT', path: '/policy', body: policyWith({stale_after_days: 90.5}), status: 400},
    {what: 'policy: stale_after_days as a string', method: 'PUT', path: '/policy', body: policyWith({stale_after_days: '90'}), status: 400},
    {what: 'policy: stale_after_days true', method: 'PUT', path: '/policy', body: policyWith({stale_after_days: true}), status: 400},
    {what: 'policy: expiring_within_days 366', method: 'PUT', path: '/policy', body: policyWith({expiring_within_days: 366}), status: 400},
    {what: 'policy: findings an array', method: 'PUT', path: '/policy', body: policyWith({findings: []}), status: 400},
    {what: 'policy: finding as a string', method: 'PUT', path: '/policy', body: policyWith({findings: {stale: 'yes'}}), status: 400},
    {what: 'policy: unknown finding', method: 'PUT', path: '/policy', body: policyWith({findings: {made_up: true}}), status: 400},
    {what: 'policy: unknown field', method: 'PUT', path: '/policy', body: policyWith({is_admin: true}), status: 400},
    {what: 'policy: __proto__ field', method: 'PUT', path: '/policy', body: async () => (await policyWith({})()).replace(/^\{/, '{"__proto__":{"version":0},'), status: 400},
    {what: 'policy: exemptions null', method: 'PUT', path: '/policy', body: policyWith({exemptions: null}), status: 400},
    {what: 'policy: exemptions an object', method: 'PUT', path: '/policy', body: policyWith({exemptions: {}}), status: 400},
    {what: 'policy: exemption id is a path', method: 'PUT', path: '/policy', body: policyWith({}, {id: '../../../../etc/passwd'}), status: 400},
    {what: 'policy: exemption id is SQL', method: 'PUT', path: '/policy', body: policyWith({}, {id: "' OR '1'='1' --"}), status: 400},
    {what: 'policy: exemption id in capitals', method: 'PUT', path: '/policy', body: policyWith({}, {id: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'}), status: 400},
    {what: 'policy: exemption id 27 characters', method: 'PUT', path: '/policy', body: policyWith({}, {id: `${newId()}a`}), status: 400},
    {what: 'policy: exemption id of fullwidth letters', method: 'PUT', path: '/policy', body: policyWith({}, {id: 'ａ'.repeat(26)}), status: 400},
    {what: 'policy: exemption kind team', method: 'PUT', path: '/policy', body: policyWith({}, {kind: 'team'}), status: 400},
    {what: 'policy: exemption reason empty', method: 'PUT', path: '/policy', body: policyWith({}, {reason: ''}), status: 400},
    {what: 'policy: exemption reason blank', method: 'PUT', path: '/policy', body: policyWith({}, {reason: ' \n\t\u00a0 '}), status: 400},
    {what: 'policy: exemption reason 501 characters', method: 'PUT', path: '/policy', body: policyWith({}, {reason: 'é'.repeat(501)}), status: 400},
    {what: 'policy: exemption reason 900 KB', method: 'PUT', path: '/policy', body: policyWith({}, {reason: 'x'.repeat(900 * 1024)}), status: 400},
    {what: 'policy: exemption reason with control characters', method: 'PUT', path: '/policy', body: policyWith({}, {reason: 'ok\u0000\u0007\u001b[31m'}), status: 400},
    {what: 'policy: exemption reason with a bidi override', method: 'PUT', path: '/policy', body: policyWith({}, {reason: 'approved \u202edenied'}), status: 400},
    {what: 'policy: exemption reason not UTF-8', method: 'PUT', path: '/policy', body: async () => {
        const [head, tail] = (await policyWith({}, {reason: 'AB'})()).split('AB');
        return Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail)]);
    }, status: 400},
    {what: 'policy: exemption with added_by', method: 'PUT', path: '/policy', body: policyWith({}, {added_by: newId()}), status: 400},
    {what: 'policy: the same exemption twice', method: 'PUT', path: '/policy', body: async () => json({...JSON.parse(await policyWith({}, {})()), exemptions: Array(2).fill({kind: 'user', id: env().fixtures.users.bob.id, reason: 'twice'})}), status: 400},
    {what: 'policy: 1001 exemptions', method: 'PUT', path: '/policy', body: async () => json({...JSON.parse(await policyWith({})()), exemptions: Array.from({length: 1001}, () => ({kind: 'token', id: newId(), reason: 'r'}))}), status: 400},
    {what: 'policy: 2 MiB body', method: 'PUT', path: '/policy', body: async () => json({...JSON.parse(await policyWith({})()), pad: 'x'.repeat(2 << 20)}), status: 413},

    {what: 'views: null list', method: 'PUT', path: '/views', body: json({views: null}), status: 400},
    {what: 'views: a string', method: 'PUT', path: '/views', body: json({views: 'all'}), status: 400},
    {what: 'views: truncated', method: 'PUT', path: '/views', body: '{"views": [{"name": "mi', status: 400},
    {what: 'views: empty name', method: 'PUT', path: '/views', body: json({views: [view({name: ''})]}), status: 400},
    {what: 'views: blank name', method: 'PUT', path: '/views', body: json({views: [view({name: '\u3000 \t'})]}), status: 400},
    {what: 'views: name 65 characters', method: 'PUT', path: '/views', body: json({views: [view({name: '🔑'.repeat(65)})]}), status: 400},
    {what: 'views: name with a NUL', method: 'PUT', path: '/views', body: json({views: [view({name: 'mine\u0000'})]}), status: 400},
    {what: 'views: two views with one name', method: 'PUT', path: '/views', body: json({views: [view(), view()]}), status: 400},
    {what: 'views: page_size negative', method: 'PUT', path: '/views', body: json({views: [view({page_size: -1})]}), status: 400},
    {what: 'views: page_size enormous', method: 'PUT', path: '/views', body: json({views: [view({page_size: 1e12})]}), status: 400},
    {what: 'views: page_size fractional', method: 'PUT', path: '/views', body: json({views: [view({page_size: 10.5})]}), status: 400},
    {what: 'views: sort column is SQL', method: 'PUT', path: '/views', body: json({views: [view({sort: {column: 'owner; DROP TABLE users', direction: 'asc'}})]}), status: 400},
    {what: 'views: sort direction', method: 'PUT', path: '/views', body: json({views: [view({sort: {column: 'owner', direction: 'sideways'}})]}), status: 400},
    {what: 'views: state is markup', method: 'PUT', path: '/views', body: json({views: [view({filters: {state: '<img src=x onerror=alert(1)>', findings: [], owner_kinds: []}})]}), status: 400},
    {what: 'views: a finding twice', method: 'PUT', path: '/views', body: json({views: [view({filters: {state: 'all', findings: ['stale', 'stale'], owner_kinds: []}})]}), status: 400},
    {what: 'views: unknown column', method: 'PUT', path: '/views', body: json({views: [view({columns: ['owner', 'token']})]}), status: 400},
    {what: 'views: query 201 characters', method: 'PUT', path: '/views', body: json({views: [view({query: 'q'.repeat(201)})]}), status: 400},
    {what: 'views: 51 views', method: 'PUT', path: '/views', body: json({views: Array.from({length: 51}, (_, i) => view({name: `v${i}`}))}), status: 400},
    {what: 'views: unknown field in a view', method: 'PUT', path: '/views', body: json({views: [view({owner_id: newId()})]}), status: 400},

    {what: 'views/reviewed: GET', method: 'GET', path: '/views/reviewed', status: 405},
    {what: 'views/reviewed: a path below it', method: 'POST', path: '/views/reviewed/now', status: 404},

    {what: 'seen: token_ids a string', method: 'POST', path: '/seen', body: json({token_ids: 'abc', complete: false}), status: 400},
    {what: 'seen: token_ids numbers', method: 'POST', path: '/seen', body: json({token_ids: [123], complete: false}), status: 400},
    {what: 'seen: token_ids null entries', method: 'POST', path: '/seen', body: json({token_ids: [null], complete: false}), status: 400},
    {what: 'seen: malformed id', method: 'POST', path: '/seen', body: json({token_ids: ['not-an-id'], complete: false}), status: 400},
    {what: 'seen: SQL as an id', method: 'POST', path: '/seen', body: json({token_ids: ["'); DELETE FROM pluginkeyvaluestore; --"], complete: false}), status: 400},
    {what: 'seen: a good id after a bad one', method: 'POST', path: '/seen', body: json({token_ids: [newId(), 'x'], complete: false}), status: 400},
    {what: 'seen: complete without token_ids', method: 'POST', path: '/seen', body: json({complete: true}), status: 400},
    {what: 'seen: complete as a string', method: 'POST', path: '/seen', body: json({token_ids: [], complete: 'true'}), status: 400},
    {what: 'seen: unknown field', method: 'POST', path: '/seen', body: json({token_ids: [], complete: false, removed: [aliceLaptop().id]}), status: 400},
    {what: `seen: ${SEEN_IDS_PER_REQUEST + 1} ids, one over a request's count`, method: 'POST', path: '/seen', body: async () => json({token_ids: Array.from({length: SEEN_IDS_PER_REQUEST + 1}, newId), complete: false}), status: 400},
    {what: 'seen: 100001 ids, a body over 1 MiB', method: 'POST', path: '/seen', body: async () => json({token_ids: Array.from({length: 100001}, newId), complete: false}), status: 413},
    {what: 'seen: 9 MiB body', method: 'POST', path: '/seen', body: json({token_ids: [], complete: false, pad: 'x'.repeat(9 << 20)}), status: 413},

    {what: 'seen/lookup: token_ids an object', method: 'POST', path: '/seen/lookup', body: json({token_ids: {}}), status: 400},
    {what: 'seen/lookup: malformed id', method: 'POST', path: '/seen/lookup', body: json({token_ids: ['x']}), status: 400},
    {what: 'seen/lookup: empty object', method: 'POST', path: '/seen/lookup', body: '{}', status: 400},
    {what: 'seen/lookup: truncated', method: 'POST', path: '/seen/lookup', body: '{"token_ids": ["', status: 400},

    {what: 'trail: no records', method: 'POST', path: '/trail', body: json({records: []}), status: 400},
    {what: 'trail: 1001 records', method: 'POST', path: '/trail', body: async () => json({records: Array.from({length: 1001}, () => record())}), status: 400},
    {what: 'trail: a null record', method: 'POST', path: '/trail', body: json({records: [null]}), status: 400},
    {what: 'trail: unknown phase', method: 'POST', path: '/trail', body: async () => json({records: [record({phase: 'sideways'})]}), status: 400},
    {what: 'trail: unknown action', method: 'POST', path: '/trail', body: async () => json({records: [record({action: 'delete_everything'})]}), status: 400},
    {what: 'trail: outcome on an intent', method: 'POST', path: '/trail', body: async () => json({records: [record({outcome: 'ok'})]}), status: 400},
    {what: 'trail: outcome missing', method: 'POST', path: '/trail', body: async () => json({records: [record({phase: 'outcome'})]}), status: 400},
    {what: 'trail: error on a success', method: 'POST', path: '/trail', body: async () => json({records: [record({phase: 'outcome', outcome: 'ok', error: 'x'})]}), status: 400},
    {what: 'trail: actor from the body', method: 'POST', path: '/trail', body: async () => json({records: [record({actor_id: env().fixtures.users.bob.id})]}), status: 400},
    {what: 'trail: id and time from the body', method: 'POST', path: '/trail', body: async () => json({records: [record({id: '1'.repeat(17) + 'a'.repeat(9), at: 0})]}), status: 400},
    {what: 'trail: negative count', method: 'POST', path: '/trail', body: async () => json({records: [record({action: 'bulk_revoke', token_id: '', count: -1})]}), status: 400},
    {what: 'trail: count beyond int64', method: 'POST', path: '/trail', body: async () => json({records: [record({action: 'bulk_revoke', token_id: ''})]}).replace('"source"', '"count":1e20,"source"'), status: 400},
    {what: 'trail: error 1001 characters', method: 'POST', path: '/trail', body: async () => json({records: [record({phase: 'outcome', outcome: 'error', error: 'e'.repeat(1001)})]}), status: 400},
    {what: 'trail: token on a bulk summary', method: 'POST', path: '/trail', body: async () => json({records: [record({action: 'bulk_disable'})]}), status: 400},
    {what: 'trail: no token on a single action', method: 'POST', path: '/trail', body: async () => json({records: [record({token_id: ''})]}), status: 400},
    {what: 'trail: action id is a path', method: 'POST', path: '/trail', body: async () => json({records: [record({action_id: '../../../../../../../../x'})]}), status: 400},
    {what: 'trail: unknown source', method: 'POST', path: '/trail', body: async () => json({records: [record({source: 'api'})]}), status: 400},
    {what: 'trail: a good record before a bad one', method: 'POST', path: '/trail', body: async () => json({records: [record(), record({phase: 'nope'})]}), status: 400},

    {what: 'trail list: limit 0', method: 'GET', path: '/trail?limit=0', status: 400},
    {what: 'trail list: limit negative', method: 'GET', path: '/trail?limit=-5', status: 400},
    {what: 'trail list: limit 201', method: 'GET', path: '/trail?limit=201', status: 400},
    {what: 'trail list: limit in exponent form', method: 'GET', path: '/trail?limit=1e2', status: 400},
    {what: 'trail list: limit enormous', method: 'GET', path: '/trail?limit=99999999999999999999999', status: 400},
    {what: 'trail list: limit a word', method: 'GET', path: '/trail?limit=all', status: 400},
    {what: 'trail list: before garbage', method: 'GET', path: '/trail?before=yesterday', status: 400},
    {what: 'trail list: before a Mattermost id', method: 'GET', path: `/trail?before=${newId()}`, status: 400},
    {what: 'trail list: actor too short', method: 'GET', path: '/trail?actor=abc', status: 400},
    {what: 'trail list: token a NUL', method: 'GET', path: '/trail?token=%00', status: 400},
    {what: 'trail list: owner is markup', method: 'GET', path: '/trail?owner=%3Cscript%3Ealert(1)%3C%2Fscript%3E', status: 400},
    {what: 'trail list: action is SQL', method: 'GET', path: "/trail?action=revoke'%20OR%201=1--", status: 400},
    {what: 'trail list: unknown parameter', method: 'GET', path: '/trail?where=1', status: 400},
    {what: 'trail list: limit twice', method: 'GET', path: '/trail?limit=1&limit=2', status: 400},

    {what: 'ephemeral: malformed channel', method: 'POST', path: '/ephemeral', body: json({channel_id: 'town-square', message: 'hi'}), status: 400},
    {what: 'ephemeral: no channel', method: 'POST', path: '/ephemeral', body: json({message: 'hi'}), status: 400},
    {what: 'ephemeral: empty message', method: 'POST', path: '/ephemeral', body: async () => json({channel_id: env().fixtures.channelId, message: ''}), status: 400},
    {what: 'ephemeral: blank message', method: 'POST', path: '/ephemeral', body: async () => json({channel_id: env().fixtures.channelId, message: '\n \t '}), status: 400},
    {what: 'ephemeral: message 16001 characters', method: 'POST', path: '/ephemeral', body: async () => json({channel_id: env().fixtures.channelId, message: 'm'.repeat(16001)}), status: 400},
    {what: 'ephemeral: someone else as the recipient', method: 'POST', path: '/ephemeral', body: async () => json({channel_id: env().fixtures.channelId, message: 'hi', user_id: env().fixtures.users.alice.id}), status: 400},

    {what: 'usage: POST', method: 'POST', path: '/usage', body: '{}', status: 405},
    {what: 'policy: DELETE', method: 'DELETE', path: '/policy', status: 405},
    {what: 'trail: PATCH', method: 'PATCH', path: '/trail', body: '{}', status: 405},
    {what: 'seen: GET', method: 'GET', path: '/seen', status: 405},
    {what: 'unknown route', method: 'GET', path: '/tokens', status: 404},
    {what: 'usage: a query parameter', method: 'GET', path: '/usage?user_id=x', status: 400},

    // Mattermost decodes the path before the plugin routes it: this is GET on POST /views/reviewed.
    {what: 'encoded slash in a route', method: 'GET', path: '/views%2freviewed', status: 405},
];

const needsWebapp = /only the Mattermost web and desktop apps have[\s\S]*\/admin_console\/plugins\/plugin_token-audit/;
const tooManyIds = Array.from({length: 101}, newId).join(' ');

const commandCases: CommandCase[] = [
    {what: 'unknown subcommand', command: '/tokens frobnicate', web: /There is no subcommand `frobnicate`/},
    {what: 'subcommand is SQL', command: "/tokens ';DROP TABLE tokens;--", web: /There is no subcommand/},
    {what: 'list: page negative', command: '/tokens list --page -1', web: /page/i},
    {what: 'list: page 0', command: '/tokens list --page 0', web: /page/i},
    {what: 'list: page enormous', command: '/tokens list --page 99999999999999999999', web: /page/i},
    {what: 'list: page a word', command: '/tokens list --page two', web: /page/i},
    {what: 'list: page without a value', command: '/tokens list --page', web: /page/i},
    {what: 'list: unknown finding', command: '/tokens list --finding everything', web: /finding/i},
    {what: 'list: active and inactive', command: '/tokens list --active --inactive', web: /active/i},
    {what: 'list: unknown flag', command: '/tokens list --all', web: /--all/},
    {what: 'user: no name', command: '/tokens user', web: /usage/i},
    {what: 'user: name is SQL', command: "/tokens user @bob';DROP TABLE users;--", web: /usage/i},
    {what: 'user: two names', command: '/tokens user @alice @bob', web: /usage/i},
    {what: 'user: nobody by that name', command: '/tokens user @nobody-here', web: /There is no user/},
    {what: 'show: malformed id', command: '/tokens show not-an-id', web: /usage/i},
    {what: 'show: id in capitals', command: '/tokens show ABCDEFGHIJKLMNOPQRSTUVWXYZ', web: /usage/i},
    {what: 'show: id of emoji', command: `/tokens show ${'🔑'.repeat(26)}`, web: /usage/i},
    {what: 'show: two ids', command: () => `/tokens show ${aliceLaptop().id} ${aliceLaptop().id}`, web: /usage/i},
    {what: 'show: no such token', command: () => `/tokens show ${newId()}`, web: /There is no token/},
    {what: 'revoke: id is a path', command: '/tokens revoke ../../etc/passwd --yes', web: /usage/i},
    {what: 'revoke: id with shell', command: () => `/tokens revoke ${aliceLaptop().id};rm -rf / --yes`, web: /usage/i},
    {what: 'revoke: no ids', command: '/tokens revoke --yes', web: /usage/i},
    {what: 'revoke: one id twice', command: () => `/tokens revoke ${aliceLaptop().id} ${aliceLaptop().id}`, web: /would be revoked: 1\b/},
    {what: 'revoke: 101 ids', command: `/tokens revoke ${tooManyIds}`, web: /At most 100 tokens/},
    {what: 'revoke: no such token, confirmed', command: () => `/tokens revoke ${newId()} --yes`, web: /not found, nothing done/},
    {what: 'disable: no ids', command: '/tokens disable', web: /usage/i},
    {what: 'disable: ids twice, no such tokens', command: () => {
        const id = newId();
        return `/tokens disable ${id} ${id} --yes`;
    }, web: /not found, nothing done[\s\S]*more than once/, server: needsWebapp},
    {what: 'enable: flag only', command: '/tokens enable --yes', web: /usage/i},
    {what: 'enable: unknown flag', command: () => `/tokens enable ${aliceLaptop().id} --force`, web: /usage/i},
    {what: 'search: no term', command: '/tokens search', web: /usage/i},
    {what: 'search: term 201 characters', command: `/tokens search ${'a'.repeat(201)}`, web: /200/},
    {what: 'search: bidi override', command: '/tokens search \u202eevil', web: /usage/i},
    {what: 'search: markup', command: '/tokens search <img src=x onerror=alert(1)>', web: /No token matches/, scans: true},
    {what: 'help: an argument', command: '/tokens help me', web: /no arguments|usage/i},
    {what: 'audit: an argument', command: '/tokens audit --all', web: /no arguments|usage/i},
    {what: 'policy: an argument', command: '/tokens policy reset', web: /no arguments|usage/i},
    {what: 'command of 4001 characters', command: `/tokens list ${'x'.repeat(3996)}`, web: /too long \(more than 4,?000/},
];

async function expectPluginRunning(when: string) {
    const status = (await admin.getPluginStatuses()).find((s) => s.plugin_id === env().pluginId);

    // PluginStateRunning is 2 in server/public/model/plugin_status.go.
    expect({when, state: status?.state}).toEqual({when, state: 2});
}

// Sends the path byte for byte: fetch would resolve dot segments before the server saw them.
function rawRequest(method: string, route: string, body: Buffer | undefined): Promise<{status: number; text: string}> {
    const url = new URL(env().url);
    return new Promise((resolve, reject) => {
        const request = http.request({
            host: url.hostname,
            port: url.port,
            method,
            path: `/plugins/${env().pluginId}/api/v1${route}`,
            headers: {'Authorization': `Bearer ${admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'},
        }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c) => chunks.push(c));
            response.on('end', () => resolve({status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}));
        });
        request.on('error', reject);
        request.end(body);
    });
}

// Every answer in the browser is an ephemeral post the plugin records for 15 minutes, so that only
// its recipient may replace it; that record is the answer's, not a change the bad input made.
const answerRecords = /^placeholder_/;

// Runs `act` between two reads of the plugin's KV rows and asserts they are identical.
async function unchanged(what: string, act: () => Promise<void>) {
    const before = await readPluginKV();
    await act();
    expect({what, changed: kvDiff(before, await readPluginKV(), answerRecords)}).toEqual({what, changed: []});
    tried++;
    if (tried % 10 === 0) {
        await expectPluginRunning(`after ${tried} bad inputs`);
    }
}

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
    page = await openHost(browser, env().admin.username, env().admin.password);
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
});

afterAll(async () => {
    await browser?.close();
    console.log(`bad inputs tried: ${tried} (${routeCases.length} route cases, ${commandCases.length} commands on both paths)`);
});

test.each(routeCases.map((c) => [c.what, c] as const))('%s', async (what, c) => {
    await unchanged(what, async () => {
        const raw = typeof c.body === 'function' ? await c.body() : c.body;
        const answer = await rawRequest(c.method, c.path, typeof raw === 'string' ? Buffer.from(raw) : raw);
        expect({what, status: answer.status}).toEqual({what, status: c.status});
        expect({what, body: JSON.parse(answer.text)}).toEqual({what, body: expect.objectContaining({error: expect.any(String), detail: expect.stringMatching(/\w/)})});
    });
});

test.each(commandCases.map((c) => [c.what, c] as const))('/tokens %s', async (what, c) => {
    const command = typeof c.command === 'function' ? c.command() : c.command;
    if (c.scans) {
        expect((await sendCommand(page, '/tokens list')).post).toBeDefined();
    }
    let web = '';
    await unchanged(`${what} (web)`, async () => {
        const answer = await sendCommand(page, command);
        expect({what, answer}).toEqual({what, answer: {post: expect.stringMatching(c.web)}});
        web = withoutReadNote(answer.post!);
    });
    await unchanged(`${what} (server)`, async () => {
        let status = 0;
        let text = '';
        const post = await postFrom(page, async () => {
            ({status, text} = await executeCommand(admin, command));
        });
        expect({what, status, text}).toEqual({what, status: 200, text: c.server ? expect.stringMatching(c.server) : web});
        expect(post).toBe(text);
    });
});

test('the plugin is still running after the whole corpus', async () => {
    await expectPluginRunning('after the corpus');
    expect((await pluginRequest(admin, 'GET', '/policy')).status).toBe(200);
    expect(tried).toBeGreaterThanOrEqual(60);
});
