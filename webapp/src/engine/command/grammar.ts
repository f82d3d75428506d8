// The one grammar of `/tokens`: turns the text after the trigger into a typed command, or a typed error
// that names the subcommand whose usage to show, and describes the subcommands for autocomplete. The
// browser's hook and the server's command both read it; the wording lives in the catalogues.
import {UNPRINTABLE} from '../characters';
import type {CatalogueId} from '../i18n/catalogue';
import {MATTERMOST_ID} from '../ids';
import {ALL_FINDINGS} from '../inventory/findings';
import type {FindingName, TokenActionName} from '../types';

// Mattermost lowercases the trigger (app.ExecuteCommand), so "/Tokens" is this command too.
export const TRIGGER = 'tokens';

export type Subcommand = 'help' | 'list' | 'user' | 'search' | 'show' | 'revoke' | 'disable' | 'enable' | 'audit' | 'policy' | 'digest' | 'campaign';

export type Command =
    | {kind: 'help'}
    | {kind: 'list'; state: 'all' | 'active' | 'inactive'; finding?: FindingName; page: number}
    | {kind: 'user'; username: string}
    | {kind: 'search'; term: string}
    | {kind: 'show'; tokenId: string}
    | {kind: 'action'; action: TokenActionName; ids: string[]; duplicates: string[]; confirmed: boolean}
    | {kind: 'audit'}
    | {kind: 'policy'}

    // Only the server can post as the bot, so the browser passes this command on to it.
    | {kind: 'digest'; preview: boolean}

    // The clean-up campaigns; with disable, their due tokens are disabled (with --yes).
    | {kind: 'campaign'; disable: boolean; confirmed: boolean};

export type ParseErrorCode =
    | 'too_long'
    | 'unknown_subcommand'
    | 'unknown_flag'
    | 'duplicate_flag'
    | 'missing_value'
    | 'conflicting_flags'
    | 'bad_page'
    | 'bad_finding'
    | 'missing_argument'
    | 'extra_argument'
    | 'bad_id'
    | 'bad_username'
    | 'bad_term'
    | 'too_many_ids';

export interface ParseError {
    code: ParseErrorCode;

    // Raw values for the message; the renderer escapes and shortens them.
    values: Record<string, string>;

    // Whose usage to show; undefined when the subcommand itself is unknown, so every usage is shown.
    subcommand?: Subcommand;
}

export type ParseResult = {ok: true; command: Command} | ParseFailure;

type ParseFailure = {ok: false; error: ParseError};

export const SUBCOMMANDS: readonly Subcommand[] = ['help', 'list', 'user', 'search', 'show', 'revoke', 'disable', 'enable', 'audit', 'policy', 'digest', 'campaign'];

// Command syntax is not translated, so it lives here rather than in the message catalogue.
export const USAGE: Record<Subcommand, string> = {
    help: '/tokens help',
    list: '/tokens list [--active|--inactive] [--finding <name>] [--page N]',
    user: '/tokens user @username',
    search: '/tokens search <term>',
    show: '/tokens show <token-id>',
    revoke: '/tokens revoke <token-id> [<token-id> ...] [--yes]',
    disable: '/tokens disable <token-id> [<token-id> ...] [--yes]',
    enable: '/tokens enable <token-id> [<token-id> ...] [--yes]',
    audit: '/tokens audit',
    policy: '/tokens policy',
    digest: '/tokens digest [--preview]',
    campaign: '/tokens campaign [disable [--yes]]',
};

// Rows on one page of `/tokens list`.
export const PAGE_SIZE = 20;

export const MAX_INPUT_LENGTH = 4000;
export const MAX_PAGE = 10000;
export const MAX_IDS = 100;
export const MAX_TERM_LENGTH = 200;

// Mattermost usernames (model.IsValidUsername), plus ':' for users of shared channels on remote servers.
const USERNAME_PATTERN = /^[a-z0-9.\-_:]{1,64}$/;

// Desktop text fields on macOS may turn a typed "--" into an en or em dash.
const DASH_PREFIX = /^(?:--|\u2013|\u2014)/;

function fail(code: ParseErrorCode, subcommand: Subcommand | undefined, values: Record<string, string> = {}): ParseFailure {
    return {ok: false, error: {code, values, subcommand}};
}

function ok(command: Command): ParseResult {
    return {ok: true, command};
}

interface Flag {
    name: string;
    inlineValue?: string;
}

// A single "-" prefix is still a flag, just never a known one, so "-yes" is refused rather than read as an id.
function asFlag(word: string): Flag | undefined {
    const match = DASH_PREFIX.exec(word);
    if (!match) {
        return word.startsWith('-') ? {name: ''} : undefined;
    }
    const rest = word.slice(match[0].length);
    const eq = rest.indexOf('=');
    if (eq === -1) {
        return {name: rest.toLowerCase()};
    }
    return {name: rest.slice(0, eq).toLowerCase(), inlineValue: rest.slice(eq + 1)};
}

export function parseCommand(text: string): ParseResult {
    if (text.length > MAX_INPUT_LENGTH) {
        return fail('too_long', undefined, {max: String(MAX_INPUT_LENGTH)});
    }
    const words = text.split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) {
        return ok({kind: 'help'});
    }
    const name = words[0].toLowerCase();
    const rest = words.slice(1);
    switch (name) {
    case 'help':
    case 'audit':
    case 'policy':
        return parseBare(name, rest);
    case 'list':
        return parseList(rest);
    case 'user':
        return parseUser(rest);
    case 'search':
        return parseSearch(rest);
    case 'show':
        return parseShow(rest);
    case 'revoke':
    case 'disable':
    case 'enable':
        return parseAction(name, rest);
    case 'digest':
        return parseDigest(rest);
    case 'campaign':
        return parseCampaign(rest);
    default:
        return fail('unknown_subcommand', undefined, {name: words[0]});
    }
}

function rejectWord(word: string, sub: Subcommand): ParseResult {
    const flag = asFlag(word);
    if (flag) {
        return fail('unknown_flag', sub, {flag: word});
    }
    return fail('extra_argument', sub, {value: word});
}

function parseBare(name: 'help' | 'audit' | 'policy', rest: string[]): ParseResult {
    if (rest.length > 0) {
        return rejectWord(rest[0], name);
    }
    return ok({kind: name});
}

// The words after a subcommand whose one option is a boolean flag: whether the flag was given (once).
function parseSoleFlag(rest: string[], subcommand: Subcommand, name: string): {ok: true; given: boolean} | ParseFailure {
    let given = false;
    for (const word of rest) {
        const flag = asFlag(word);
        if (!flag) {
            return fail('extra_argument', subcommand, {value: word});
        }
        if (flag.name !== name || flag.inlineValue !== undefined) {
            return fail('unknown_flag', subcommand, {flag: word});
        }
        if (given) {
            return fail('duplicate_flag', subcommand, {flag: '--' + name});
        }
        given = true;
    }
    return {ok: true, given};
}

function parseDigest(rest: string[]): ParseResult {
    const preview = parseSoleFlag(rest, 'digest', 'preview');
    return preview.ok ? ok({kind: 'digest', preview: preview.given}) : preview;
}

// "disable" is a word rather than a flag, as the other actions are; "--yes" confirms it, as theirs.
function parseCampaign(rest: string[]): ParseResult {
    if (rest.length === 0) {
        return ok({kind: 'campaign', disable: false, confirmed: false});
    }
    if (rest[0].toLowerCase() !== 'disable') {
        return rejectWord(rest[0], 'campaign');
    }
    const yes = parseSoleFlag(rest.slice(1), 'campaign', 'yes');
    return yes.ok ? ok({kind: 'campaign', disable: true, confirmed: yes.given}) : yes;
}

function parseList(rest: string[]): ParseResult {
    let state: 'all' | 'active' | 'inactive' = 'all';
    let finding: FindingName | undefined;
    let page: number | undefined;
    const seen = new Set<string>();

    for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        const flag = asFlag(word);
        if (!flag) {
            return fail('extra_argument', 'list', {value: word});
        }
        if (flag.name !== 'active' && flag.name !== 'inactive' && flag.name !== 'finding' && flag.name !== 'page') {
            return fail('unknown_flag', 'list', {flag: word});
        }
        if (seen.has(flag.name)) {
            return fail('duplicate_flag', 'list', {flag: '--' + flag.name});
        }
        seen.add(flag.name);

        if (flag.name === 'active' || flag.name === 'inactive') {
            if (flag.inlineValue !== undefined) {
                return fail('unknown_flag', 'list', {flag: word});
            }
            if (state !== 'all') {
                return fail('conflicting_flags', 'list', {first: '--active', second: '--inactive'});
            }
            state = flag.name;
            continue;
        }

        let value = flag.inlineValue;
        if (value === undefined) {
            // "--page -1" gave a value, a wrong one; only a "--" word is the next flag.
            const next = rest[i + 1];
            if (next === undefined || DASH_PREFIX.test(next)) {
                return fail('missing_value', 'list', {flag: '--' + flag.name});
            }
            value = next;
            i++;
        }
        if (value === '') {
            return fail('missing_value', 'list', {flag: '--' + flag.name});
        }

        if (flag.name === 'finding') {
            const candidate = value.toLowerCase();
            const known = ALL_FINDINGS.find((f) => f === candidate);
            if (!known) {
                return fail('bad_finding', 'list', {value, names: ALL_FINDINGS.join(', ')});
            }
            finding = known;
        } else {
            if (!(/^[0-9]{1,6}$/).test(value) || Number(value) < 1 || Number(value) > MAX_PAGE) {
                return fail('bad_page', 'list', {value, max: String(MAX_PAGE)});
            }
            page = Number(value);
        }
    }
    return ok({kind: 'list', state, finding, page: page ?? 1});
}

function parseUser(rest: string[]): ParseResult {
    if (rest.length === 0) {
        return fail('missing_argument', 'user', {what: '@username'});
    }
    if (rest.length > 1) {
        return rejectWord(rest[1], 'user');
    }
    if (asFlag(rest[0])) {
        return fail('unknown_flag', 'user', {flag: rest[0]});
    }
    const username = rest[0].replace(/^@/, '').toLowerCase();
    if (!USERNAME_PATTERN.test(username)) {
        return fail('bad_username', 'user', {value: rest[0]});
    }
    return ok({kind: 'user', username});
}

function parseSearch(rest: string[]): ParseResult {
    if (rest.length === 0) {
        return fail('missing_argument', 'search', {what: '<term>'});
    }
    const flagWord = rest.find((w) => asFlag(w));
    if (flagWord !== undefined) {
        return fail('unknown_flag', 'search', {flag: flagWord});
    }
    const term = rest.join(' ');
    if (term.length > MAX_TERM_LENGTH || UNPRINTABLE.test(term)) {
        return fail('bad_term', 'search', {max: String(MAX_TERM_LENGTH)});
    }
    return ok({kind: 'search', term});
}

function parseShow(rest: string[]): ParseResult {
    if (rest.length === 0) {
        return fail('missing_argument', 'show', {what: '<token-id>'});
    }
    if (rest.length > 1) {
        return rejectWord(rest[1], 'show');
    }
    if (asFlag(rest[0])) {
        return fail('unknown_flag', 'show', {flag: rest[0]});
    }
    if (!MATTERMOST_ID.test(rest[0])) {
        return fail('bad_id', 'show', {value: rest[0]});
    }
    return ok({kind: 'show', tokenId: rest[0]});
}

function parseAction(action: TokenActionName, rest: string[]): ParseResult {
    let confirmed = false;
    const ids: string[] = [];
    const duplicates: string[] = [];
    for (const word of rest) {
        const flag = asFlag(word);
        if (flag) {
            if (flag.name !== 'yes' || flag.inlineValue !== undefined) {
                return fail('unknown_flag', action, {flag: word});
            }
            if (confirmed) {
                return fail('duplicate_flag', action, {flag: '--yes'});
            }
            confirmed = true;
            continue;
        }
        if (!MATTERMOST_ID.test(word)) {
            return fail('bad_id', action, {value: word});
        }
        if (ids.includes(word)) {
            if (!duplicates.includes(word)) {
                duplicates.push(word);
            }
            continue;
        }
        ids.push(word);
        if (ids.length > MAX_IDS) {
            return fail('too_many_ids', action, {max: String(MAX_IDS)});
        }
    }
    if (ids.length === 0) {
        return fail('missing_argument', action, {what: '<token-id>'});
    }
    return ok({kind: 'action', action, ids, duplicates, confirmed});
}

// How Mattermost's autocomplete offers an argument (model.AutocompleteData's argument kinds).
export type ArgumentSpec =
    | {kind: 'static_list'; help: CatalogueId; items: ReadonlyArray<{item: string; help: CatalogueId}>}
    | {kind: 'named_static_list'; name: string; help: CatalogueId; items: readonly string[]}
    | {kind: 'named_text'; name: string; help: CatalogueId; hint: string; pattern: string}
    | {kind: 'text'; help: CatalogueId; hint: string};

const ID_ARGUMENT: ArgumentSpec = {kind: 'text', help: 'token_audit.command.arg.token_id', hint: '<token-id>'};
const IDS_ARGUMENT: ArgumentSpec = {kind: 'text', help: 'token_audit.command.arg.token_ids', hint: '<token-id> [<token-id> ...] [--yes]'};

export const ARGUMENTS: Readonly<Record<Subcommand, readonly ArgumentSpec[]>> = {
    help: [],
    list: [
        {kind: 'static_list', help: 'token_audit.command.arg.state', items: [
            {item: '--active', help: 'token_audit.command.arg.active'},
            {item: '--inactive', help: 'token_audit.command.arg.inactive'},
        ]},
        {kind: 'named_static_list', name: 'finding', help: 'token_audit.command.arg.finding', items: ALL_FINDINGS},
        {kind: 'named_text', name: 'page', help: 'token_audit.command.arg.page', hint: 'N', pattern: '^[1-9][0-9]*$'},
    ],
    user: [{kind: 'text', help: 'token_audit.command.arg.username', hint: '@username'}],
    search: [{kind: 'text', help: 'token_audit.command.arg.term', hint: '<term>'}],
    show: [ID_ARGUMENT],
    revoke: [IDS_ARGUMENT],
    disable: [IDS_ARGUMENT],
    enable: [IDS_ARGUMENT],
    audit: [],
    policy: [],
    digest: [{kind: 'static_list', help: 'token_audit.command.arg.preview', items: [{item: '--preview', help: 'token_audit.command.arg.preview'}]}],
    campaign: [{kind: 'static_list', help: 'token_audit.command.arg.campaign', items: [{item: 'disable', help: 'token_audit.command.arg.campaign_disable'}]}],
};
