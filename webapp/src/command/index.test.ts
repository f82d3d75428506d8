import type {CommandArgs} from '@mattermost/types/integrations';

import * as client from '../client';
import {ApiError, InventoryCache} from '../client';
import type {ActionRun, Inventory} from '../client';
import {DEFAULT_POLICY, escapeMarkdown, translator} from '../engine';
import type {Campaign, Owner, Policy, Token} from '../engine';

import {createSlashCommandHook} from './index';
import type {BackgroundSlashCommandHook, HostStore} from './index';

const english = translator('en').t;

jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    getPolicy: jest.fn(),
    postEphemeral: jest.fn(),
    replaceEphemeral: jest.fn(),
    loadInventory: jest.fn(),
    getUserByUsername: jest.fn(),
    getTokensForUser: jest.fn(),
    getToken: jest.fn(),
    getOwners: jest.fn(),
    getUsage: jest.fn(),
    reportSeen: jest.fn(),
    getViews: jest.fn(),
    getServerFeatures: jest.fn(),
    runTokenAction: jest.fn(),
    listCampaigns: jest.fn(),
    disableDue: jest.fn(),
}));

const mocked = client as jest.Mocked<typeof client>;

const DAY = 24 * 60 * 60 * 1000;
const CHANNEL = 'c'.repeat(26);
const args: CommandArgs = {channel_id: CHANNEL, team_id: 't'.repeat(26)};
const store = {getState: () => ({entities: {general: {config: {SiteURL: 'https://chat.example.com'}}}})};

const ID1 = 'aaaaaaaaaaaaaaaaaaaaaaaaa1';
const ID2 = 'bbbbbbbbbbbbbbbbbbbbbbbbb2';
const ID3 = 'ccccccccccccccccccccccccc3';

function owner(username: string, extra: Partial<Owner> = {}): Owner {
    return {id: username.padEnd(26, 'x'), username, email: '', first_name: '', last_name: '', deactivated: false, bot: false, system_admin: false, ...extra};
}

const alice = owner('alice', {system_admin: true});
const bob = owner('bob');
const tokens: Token[] = [
    {id: ID1, user_id: alice.id, description: 'alice admin key', is_active: true},
    {id: ID2, user_id: bob.id, description: 'bob [ci](http://evil)', is_active: true},
    {id: ID3, user_id: bob.id, description: 'bob old', is_active: false},
];

function inventory(extra: Partial<Inventory> = {}): Inventory {
    const now = Date.now();
    return {
        tokens,
        owners: {[alice.id]: alice, [bob.id]: bob},
        usage: {[ID2]: {first_active: now - (200 * DAY), last_active: now - (100 * DAY)}},
        usageUnknown: [],
        seen: {},
        removed: {},
        features: {tokensEnabled: true, expirySupported: false},
        policy: DEFAULT_POLICY,
        policyIsDefault: false,
        views: {views: [], last_reviewed_at: 0},
        loadedAt: now,
        requests: 5,
        failures: [],
        ...extra,
    };
}

const PLACEHOLDER = 'p'.repeat(26);

// The answer as the admin ends up seeing it: one post in the channel, replaced in place when a
// placeholder went first.
function posted(): string {
    expect(mocked.postEphemeral).toHaveBeenCalledTimes(1);
    const [place, markdown] = mocked.postEphemeral.mock.calls[0];
    expect(place).toEqual({channelId: CHANNEL, rootId: undefined});
    if (!mocked.replaceEphemeral.mock.calls.length) {
        return markdown;
    }
    expect(markdown).toMatch(/^_.* `\/tokens .*`…_$/);
    expect(mocked.replaceEphemeral).toHaveBeenCalledTimes(1);
    const [id, answer] = mocked.replaceEphemeral.mock.calls[0];
    expect(id).toBe(PLACEHOLDER);
    return answer;
}

// A hook with an inventory cache of its own, so no test answers from another's inventory.
function newHook(host: HostStore = store): BackgroundSlashCommandHook {
    return createSlashCommandHook(host, {inventory: new InventoryCache({load: (opts) => mocked.loadInventory(opts)})});
}

// What typing the command comes to once the hook's background work is done too: what the hook
// returned to the message box, and (see posted) what the admin was shown.
function finished(background: BackgroundSlashCommandHook) {
    return async (message: string, commandArgs: CommandArgs) => {
        const result = await background(message, commandArgs);
        await background.idle();
        return result;
    };
}

let background: BackgroundSlashCommandHook;
let hook: ReturnType<typeof finished>;

beforeEach(() => {
    jest.resetAllMocks();
    background = newHook();
    hook = finished(background);
    mocked.getPolicy.mockResolvedValue(DEFAULT_POLICY);
    mocked.postEphemeral.mockResolvedValue(PLACEHOLDER);
    mocked.replaceEphemeral.mockResolvedValue(undefined);
    mocked.loadInventory.mockResolvedValue(inventory());
    mocked.getOwners.mockImplementation(async (ids) => Object.fromEntries([alice, bob].filter((o) => ids.includes(o.id)).map((o) => [o.id, o])));
    mocked.getToken.mockImplementation(async (id) => tokens.find((t) => t.id === id));
    mocked.getUsage.mockResolvedValue({});
    mocked.reportSeen.mockResolvedValue({tokens: {}, removed: {}});
    mocked.getViews.mockResolvedValue({views: [], last_reviewed_at: 0});
    mocked.getServerFeatures.mockResolvedValue({tokensEnabled: true, expirySupported: false});
});

describe('passes other messages through untouched', () => {
    test.each(['/away', '/tokensx list', '/token list', 'hello /tokens list', '', '/ tokens'])('%j', async (message) => {
        await expect(hook(message, args)).resolves.toEqual({message, args});
        expect(mocked.getPolicy).not.toHaveBeenCalled();
        expect(mocked.postEphemeral).not.toHaveBeenCalled();
    });
});

describe('passes /tokens digest on to the server, which alone posts as the bot', () => {
    test.each(['/tokens digest', '/tokens digest --preview', '/TOKENS  Digest'])('%j', async (message) => {
        await expect(hook(message, args)).resolves.toEqual({message, args});
        expect(mocked.getPolicy).not.toHaveBeenCalled();
        expect(mocked.postEphemeral).not.toHaveBeenCalled();
    });

    test('a malformed digest command is answered here, with its usage', async () => {
        await expect(hook('/tokens digest --now', args)).resolves.toEqual({});
        expect(posted()).toContain('/tokens digest [--preview]');
    });
});

describe('consumes /tokens', () => {
    test.each(['/tokens', '/tokens help', '  /TOKENS   help  ', '/Tokens\thelp'])('%j answers with help', async (message) => {
        await expect(hook(message, args)).resolves.toEqual({});
        expect(posted()).toContain('#### Token Audit: every personal access token on this server');
        expect(mocked.loadInventory).not.toHaveBeenCalled();
    });

    test.each(['/tokens help', '/tokens policy', `/tokens revoke ${ID1}`])('%s says when personal access tokens are switched off', async (message) => {
        mocked.getServerFeatures.mockResolvedValue({tokensEnabled: false, expirySupported: false});
        await hook(message, args);
        expect(posted()).toContain(english('token_audit.command.note.tokens_disabled'));
    });

    test('help still answers when the config cannot be read', async () => {
        mocked.getServerFeatures.mockRejectedValue(new ApiError({status: 500}));
        await expect(hook('/tokens help', args)).resolves.toEqual({});
        expect(posted()).not.toContain(english('token_audit.command.note.tokens_disabled'));
    });

    test('list: the whole inventory, filtered, one page, with the console link', async () => {
        await expect(hook('/tokens list --active', args)).resolves.toEqual({});
        const md = posted();
        expect(md).toContain('#### Active tokens: 2');
        expect(md).toContain(`| @alice | alice admin key | active | admin | \`${ID1}\` |`);
        expect(md).toMatch(new RegExp(`\\| @bob \\| bob &#91;ci&#93;.* \\| active \\| stale \\| \`${ID2}\` \\|`));
        expect(md).not.toContain(ID3);
        expect(md).toContain('page 1 of 1');
        expect(md).toContain('(https://chat.example.com/admin_console/plugins/plugin_token-audit)');
    });

    test('list pages are stable and sorted by owner', async () => {
        const many: Token[] = Array.from({length: 45}, (_, i) => ({id: String(i).padStart(26, 'z'), user_id: (i % 2 ? alice : bob).id, description: `k${i}`, is_active: true}));
        mocked.loadInventory.mockResolvedValue(inventory({tokens: many, usage: {}}));
        await hook('/tokens list --page 2', args);
        const md = posted();
        expect(md).toContain('page 2 of 3 — `/tokens list --page 3`');
        const users = md.split('\n').filter((l) => l.startsWith('| @')).map((l) => l.split(' | ')[0]);
        expect(users).toHaveLength(20);
        expect(users.slice(0, 2)).toEqual(['| @alice', '| @alice']);
        expect(users[users.length - 1]).toBe('| @bob');
    });

    test('list reports parts of the inventory that failed', async () => {
        mocked.loadInventory.mockResolvedValue(inventory({failures: [{part: 'usage', ids: [bob.id], message: 'x', status: 500}, {part: 'usage', ids: [alice.id], message: 'y', status: 502}]}));
        await hook('/tokens list', args);
        expect(posted()).toContain('> Some data could not be loaded (usage), so findings may be incomplete.');
    });

    test('search matches the inventory like the console search', async () => {
        await hook('/tokens search BOB', args);
        const md = posted();
        expect(md).toContain('#### Tokens matching BOB: 2');
        expect(md).toContain(ID2);
        expect(md).toContain(ID3);
        expect(md).not.toContain(ID1);
    });

    test('audit: counts, then the riskiest token first', async () => {
        await hook('/tokens audit', args);
        const md = posted();
        expect(md).toContain('3 tokens: 2 active, 1 inactive, 3 with findings.');
        expect(md).toContain('- **admin** 1 — `/tokens list --finding owner_system_admin`');
        const risky = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
        expect(risky[0]).toContain(ID1);
        expect(risky[1]).toContain(ID2);
    });

    test('policy renders the policy the gate read, with who changed it', async () => {
        const policy: Policy = {...DEFAULT_POLICY, version: 2, stale_after_days: 45, updated_by: bob.id, updated_at: Date.now() - DAY};
        mocked.getPolicy.mockResolvedValue(policy);
        await hook('/tokens policy', args);
        const md = posted();
        expect(md).toContain('- Stale after 45 days without activity');
        expect(md).toMatch(/- Last changed .* by @bob/);
        expect(mocked.getPolicy).toHaveBeenCalledTimes(1);
    });

    test('user: that user\'s tokens with findings, first sighting reported', async () => {
        mocked.getUserByUsername.mockResolvedValue(bob);
        mocked.getTokensForUser.mockResolvedValue([tokens[1], tokens[2]]);
        await hook('/tokens user @Bob', args);
        expect(mocked.getUserByUsername).toHaveBeenCalledWith('bob');
        expect(mocked.getTokensForUser).toHaveBeenCalledWith(bob.id);
        expect(mocked.reportSeen).toHaveBeenCalledWith([ID2, ID3], false);
        const md = posted();
        expect(md).toContain('#### Tokens of @bob: 2');
        expect(md).toContain(`| bob old | disabled | – | \`${ID3}\` |`);
    });

    test('user: unknown user', async () => {
        mocked.getUserByUsername.mockResolvedValue(undefined);
        await hook('/tokens user @ghost', args);
        expect(posted()).toContain('There is no user &#64;ghost.');
        expect(mocked.getTokensForUser).not.toHaveBeenCalled();
    });

    test('show: one token in full; a part that fails is reported, not guessed', async () => {
        mocked.getUsage.mockRejectedValue(new ApiError({status: 500, detail: 'boom'}));
        await hook(`/tokens show ${ID1}`, args);
        const md = posted();
        expect(md).toContain(`#### Token \`${ID1}\``);
        expect(md).toContain('- **Owner:** @alice — system admin');
        expect(md).toContain('- **Last seen active:** unknown (sessions could not be read)');
        expect(md).toContain('(usage)');
    });

    test('show: unknown token', async () => {
        await hook(`/tokens show ${'d'.repeat(26)}`, args);
        expect(posted()).toContain(`There is no token \`${'d'.repeat(26)}\`.`);
    });

    test('bad input answers with the error and usage, privately', async () => {
        await expect(hook('/tokens list --active --inactive', args)).resolves.toEqual({});
        const md = posted();
        expect(md).toContain('**`--active` and `--inactive` cannot be used together.**');
        expect(md).toContain('Usage: `/tokens list [--active|--inactive] [--finding <name>] [--page N]`');
        expect(mocked.loadInventory).not.toHaveBeenCalled();
    });
});

describe('revoke and disable ask first', () => {
    test.each(['revoke', 'disable'])('%s without --yes only describes, for ids that exist', async (action) => {
        const unknown = 'e'.repeat(26);
        await expect(hook(`/tokens ${action} ${ID2} ${unknown}`, args)).resolves.toEqual({});
        expect(mocked.runTokenAction).not.toHaveBeenCalled();
        const md = posted();
        expect(md).toContain(`- \`${ID2}\` @bob “bob &#91;ci&#93;`);
        expect(md).toContain(`- \`${unknown}\` — not found, will be skipped`);
        expect(md).toContain(`To go ahead, run: \`/tokens ${action} ${ID2} --yes\``);
    });

    test('revoke --yes acts through the recorded action, one line per id in order', async () => {
        const unknown = 'e'.repeat(26);
        const run: ActionRun = {action: 'revoke', actionId: 'f'.repeat(26), results: [{tokenId: ID2, ok: true}, {tokenId: ID1, ok: false, error: 'Forbidden', status: 403}]};
        mocked.runTokenAction.mockResolvedValue(run);
        await expect(hook(`/tokens revoke ${ID2} ${unknown} ${ID1} ${ID2} --yes`, args)).resolves.toEqual({});
        expect(mocked.runTokenAction).toHaveBeenCalledTimes(1);
        expect(mocked.runTokenAction).toHaveBeenCalledWith('revoke', [{id: ID2, user_id: bob.id}, {id: ID1, user_id: alice.id}], {source: 'command'});
        const out = posted().split('\n');
        expect(out[0]).toBe('**Revoke: 1 done, 1 failed, 1 not found**');
        expect(out[2]).toMatch(new RegExp(`^- \`${ID2}\` @bob .* — revoked$`));
        expect(out[3]).toBe(`- \`${unknown}\` — not found, nothing done`);
        expect(out[4]).toMatch(new RegExp(`^- \`${ID1}\` @alice .* — failed: Forbidden$`));
        expect(out).toContain(`Listed more than once, counted once: \`${ID2}\``);
    });

    test('enable needs no confirmation', async () => {
        mocked.runTokenAction.mockResolvedValue({action: 'enable', actionId: 'f'.repeat(26), results: [{tokenId: ID3, ok: true}]});
        await hook(`/tokens enable ${ID3}`, args);
        expect(mocked.runTokenAction).toHaveBeenCalledWith('enable', [{id: ID3, user_id: bob.id}], {source: 'command'});
        expect(posted()).toContain(`- \`${ID3}\` @bob “bob old” — enabled`);
    });

    test('nothing is attempted when no id exists', async () => {
        const unknown = 'e'.repeat(26);
        await hook(`/tokens disable ${unknown} --yes`, args);
        expect(mocked.runTokenAction).not.toHaveBeenCalled();
        expect(posted()).toContain(`- \`${unknown}\` — not found, nothing done`);
    });

    test('an outcome the trail could not record is said', async () => {
        mocked.runTokenAction.mockResolvedValue({action: 'disable', actionId: 'f'.repeat(26), results: [{tokenId: ID1, ok: true}], trailError: 'KV down'});
        await hook(`/tokens disable ${ID1} --yes`, args);
        expect(posted()).toContain('> The audit trail could not record the outcome: KV down');
    });

    test('when the intent cannot be recorded nothing is done and the error says so', async () => {
        mocked.runTokenAction.mockRejectedValue(new ApiError({status: 503, detail: 'Service unavailable'}));
        const result = await hook(`/tokens revoke ${ID1} --yes`, args);
        const said = 'Nothing was done: the audit trail could not record the action first (Service unavailable).';
        expect(result).toEqual({});

        // Only the placeholder was posted, and it now says the same.
        expect(mocked.postEphemeral).toHaveBeenCalledTimes(1);
        expect(mocked.replaceEphemeral.mock.calls).toEqual([[PLACEHOLDER, escapeMarkdown(said)]]);
    });

    test('a failed lookup stops before anything is done', async () => {
        mocked.getToken.mockRejectedValue(new ApiError({status: 500, detail: 'db gone'}));
        const result = await hook(`/tokens revoke ${ID1} --yes`, args);
        expect(result).toEqual({});
        expect(posted()).toBe(escapeMarkdown('Token Audit could not answer /tokens: db gone'));
        expect(mocked.runTokenAction).not.toHaveBeenCalled();
    });
});

describe('non-admins and failures', () => {
    test.each([403, 401])('HTTP %i from the plugin API passes the command on to the server, showing nothing', async (status) => {
        mocked.getPolicy.mockRejectedValue(new ApiError({status, code: 'forbidden', detail: 'no'}));
        await expect(hook('/tokens list', args)).resolves.toEqual({message: '/tokens list', args});
        await expect(hook(`/tokens revoke ${ID1} --yes`, args)).resolves.toEqual({message: `/tokens revoke ${ID1} --yes`, args});
        await expect(hook('/tokens nonsense', args)).resolves.toEqual({message: '/tokens nonsense', args});

        // The list's inventory was started beside the admin check, and cancelled by the refusal.
        expect(mocked.loadInventory).toHaveBeenCalledTimes(1);
        expect((mocked.loadInventory.mock.calls[0][0] as {signal: AbortSignal}).signal.aborted).toBe(true);
        expect(mocked.getToken).not.toHaveBeenCalled();
        expect(mocked.runTokenAction).not.toHaveBeenCalled();
        expect(mocked.postEphemeral).not.toHaveBeenCalled();
    });

    test('an unreachable server is a clear error, not a throw', async () => {
        mocked.getPolicy.mockRejectedValue(new ApiError({status: 0, code: 'network', detail: 'The server could not be reached.'}));
        await expect(hook('/tokens list', args)).resolves.toEqual({error: {message: english('token_audit.command.error.unreachable')}});
    });

    test('the answer that cannot be delivered is an error too', async () => {
        mocked.postEphemeral.mockRejectedValue(new ApiError({status: 0, code: 'network'}));
        await expect(hook('/tokens help', args)).resolves.toEqual({error: {message: english('token_audit.command.error.unreachable')}});
    });

    test('a server error names what went wrong', async () => {
        mocked.loadInventory.mockRejectedValue(new ApiError({status: 500, detail: 'Unable to get the tokens.'}));
        await expect(hook('/tokens audit', args)).resolves.toEqual({});
        expect(posted()).toBe(escapeMarkdown('Token Audit could not answer /tokens: Unable to get the tokens.'));
    });

    test('anything thrown, even a non-Error, stays inside the hook', async () => {
        mocked.loadInventory.mockImplementation(() => {
            throw 'weird';
        });
        await expect(hook('/tokens list', args)).resolves.toEqual({});
        expect(posted()).toBe(escapeMarkdown('Token Audit could not answer /tokens: weird'));
        mocked.getPolicy.mockImplementation(() => {
            throw new TypeError('bad');
        });
        await expect(hook('/tokens list', args)).resolves.toEqual({error: {message: 'Token Audit could not answer /tokens: bad'}});
    });
});

describe('where and how the answer arrives', () => {
    test('a command typed in a thread is answered in that thread', async () => {
        const root = 'r'.repeat(26);
        await expect(hook('/tokens list', {...args, root_id: root})).resolves.toEqual({});
        expect(mocked.postEphemeral.mock.calls[0][0]).toEqual({channelId: CHANNEL, rootId: root});
        expect(mocked.replaceEphemeral.mock.calls[0][1]).toContain('#### All tokens: 3');
    });

    test('the placeholder is posted before the inventory has loaded, and replaced once it has', async () => {
        let loaded: (inv: Inventory) => void = () => undefined;
        mocked.loadInventory.mockReturnValue(new Promise((resolve) => {
            loaded = resolve;
        }));
        const answered = hook('/tokens audit', args);
        await waitFor(() => mocked.loadInventory.mock.calls.length > 0);
        expect(mocked.postEphemeral.mock.calls).toEqual([[{channelId: CHANNEL, rootId: undefined}, '_Working on `/tokens audit`…_']]);
        expect(mocked.replaceEphemeral).not.toHaveBeenCalled();
        loaded(inventory());
        await expect(answered).resolves.toEqual({});
        expect(mocked.replaceEphemeral.mock.calls[0][1]).toContain('#### Token audit');
    });

    test('help and usage errors need no server, so they come without a placeholder', async () => {
        await hook('/tokens help', args);
        await hook('/tokens frobnicate', args);
        expect(mocked.postEphemeral).toHaveBeenCalledTimes(2);
        expect(mocked.replaceEphemeral).not.toHaveBeenCalled();
    });

    test('a failure after the placeholder turns it into the error', async () => {
        mocked.loadInventory.mockRejectedValue(new ApiError({status: 500, detail: 'Unable to get the tokens.'}));
        await expect(hook('/tokens list', args)).resolves.toEqual({});
        expect(mocked.replaceEphemeral.mock.calls).toEqual([[PLACEHOLDER, escapeMarkdown('Token Audit could not answer /tokens: Unable to get the tokens.')]]);
    });

    test('the hook gives the message box back once the placeholder is shown, and answers after', async () => {
        let loaded: (inv: Inventory) => void = () => undefined;
        mocked.loadInventory.mockReturnValue(new Promise((resolve) => {
            loaded = resolve;
        }));
        await expect(background('/tokens list', args)).resolves.toEqual({});
        expect(mocked.postEphemeral).toHaveBeenCalledTimes(1);
        expect(mocked.replaceEphemeral).not.toHaveBeenCalled();

        // Meanwhile the next command is answered.
        await expect(background('/tokens help', args)).resolves.toEqual({});
        expect(mocked.postEphemeral.mock.calls[1][1]).toContain('#### Token Audit: every personal access token on this server');

        loaded(inventory());
        await background.idle();
        expect(mocked.replaceEphemeral.mock.calls).toEqual([[PLACEHOLDER, expect.stringContaining('#### All tokens: 3')]]);
    });

    test('an answer that cannot replace its placeholder comes as a post of its own, saying why', async () => {
        mocked.replaceEphemeral.mockRejectedValue(new ApiError({status: 500, detail: 'post gone'}));
        await expect(hook('/tokens list', args)).resolves.toEqual({});
        expect(mocked.postEphemeral.mock.calls.map((c) => c[1])).toEqual([
            '_Working on `/tokens list`…_',
            escapeMarkdown('Token Audit could not answer /tokens: post gone'),
        ]);
    });
});

describe('list, search and audit answer from an inventory read up to a minute before', () => {
    const T0 = Date.UTC(2026, 0, 5, 12);
    let clock = T0;
    beforeEach(() => {
        clock = T0;
        jest.spyOn(Date, 'now').mockImplementation(() => clock);
        mocked.loadInventory.mockImplementation(async () => inventory({loadedAt: clock}));
    });
    afterEach(() => jest.restoreAllMocks());

    const answers = () => mocked.replaceEphemeral.mock.calls.map((c) => c[1]);
    const aged = (seconds: number) => english('token_audit.command.note.read_before', {seconds});

    test('the second command reuses the first one\'s read and says how old it is', async () => {
        await hook('/tokens list', args);
        clock += 40000;
        await hook('/tokens audit', args);
        await hook('/tokens search alice', args);
        expect(mocked.loadInventory).toHaveBeenCalledTimes(1);
        const [list, audit, search] = answers();
        expect(list).not.toContain(aged(0).slice(0, 8));
        expect(audit).toContain(`> ${aged(40)}`);
        expect(search).toContain(`> ${aged(40)}`);
    });

    test('a minute after the read, the next command reads again', async () => {
        await hook('/tokens list', args);
        clock += 60000;
        await hook('/tokens list', args);
        expect(mocked.loadInventory).toHaveBeenCalledTimes(2);
        expect(answers()[1]).not.toContain(aged(60).slice(0, 8));
    });

    test('commands typed while a read is under way share it', async () => {
        let loaded: (inv: Inventory) => void = () => undefined;
        mocked.loadInventory.mockReturnValue(new Promise((resolve) => {
            loaded = resolve;
        }));
        await background('/tokens list', args);
        await background('/tokens audit', args);
        loaded(inventory({loadedAt: clock}));
        await background.idle();
        expect(mocked.loadInventory).toHaveBeenCalledTimes(1);
        expect(answers()).toEqual([expect.stringContaining('#### All tokens: 3'), expect.stringContaining('#### Token audit')]);
    });

    test('an inventory with a part missing is not kept', async () => {
        mocked.loadInventory.mockImplementation(async () => inventory({loadedAt: clock, failures: [{part: 'usage', ids: [bob.id], message: 'x', status: 500}]}));
        await hook('/tokens list', args);
        await hook('/tokens list', args);
        expect(mocked.loadInventory).toHaveBeenCalledTimes(2);
    });
});

describe('the answer follows the admin\'s locale', () => {
    const me = 'm'.repeat(26);
    const inLanguage = (locale: string | undefined, defaultLocale?: string) => finished(newHook({getState: () => ({entities: {
        general: {config: {SiteURL: 'https://chat.example.com', DefaultClientLocale: defaultLocale}},
        users: {currentUserId: me, profiles: {[me]: {locale}}},
    }})}));

    test('German from the admin\'s profile, numbers and words alike', async () => {
        const many = Array.from({length: 1234}, (_, i) => ({...tokens[0], id: String(i).padStart(26, 'a')}));
        mocked.loadInventory.mockResolvedValue(inventory({tokens: many}));
        await inLanguage('de')('/tokens list', args);
        expect(mocked.postEphemeral.mock.calls[0][1]).toBe('_Arbeite an `/tokens list`…_');
        expect(posted()).toContain('#### Alle Tokens: 1.234');
    });

    test('Spanish from the server default when the admin chose none; English for a language without a catalogue', async () => {
        await inLanguage(undefined, 'es')('/tokens help', args);
        expect(posted()).toContain('#### Token Audit: todos los tokens de acceso personal de este servidor');
        mocked.postEphemeral.mockClear();
        await inLanguage('ja')('/tokens help', args);
        expect(posted()).toContain('#### Token Audit: every personal access token on this server');
    });

    test('errors are said in the admin\'s language too', async () => {
        mocked.getPolicy.mockRejectedValue(new ApiError({status: 0, code: 'network'}));
        const result = await inLanguage('de')('/tokens list', args);
        expect(result).toEqual({error: {message: expect.stringContaining('Token Audit konnte den Mattermost-Server nicht erreichen')}});
    });
});

async function waitFor(ready: () => boolean): Promise<void> {
    while (!ready()) {
        await new Promise((resolve) => setTimeout(resolve, 0));
    }
}

describe('/tokens campaign', () => {
    const CAMPAIGN = 'd'.repeat(26);
    const campaign: Campaign = {
        id: CAMPAIGN, created_by: alice.id, created_at: Date.UTC(2026, 2, 2), note: 'spring', filter: '', grace_days: 14, undo_days: 7, keep_days: 90,
        day_ms: DAY, cancelled_at: 0,
        tokens: [
            {id: ID2, user_id: bob.id, owner_id: bob.id, stage: 'due', changed_at: 0, changed_by: alice.id},
            {id: ID3, user_id: bob.id, owner_id: bob.id, stage: 'kept', changed_at: 0, changed_by: bob.id},
        ],
    };

    beforeEach(() => {
        mocked.listCampaigns.mockResolvedValue([campaign]);
    });

    test('lists the campaigns with their due tokens and owners by name', async () => {
        await expect(hook('/tokens campaign', args)).resolves.toEqual({});
        const answer = posted();
        expect(answer).toContain(`\`${ID2}\` @bob — due to be disabled since 2026-03-16 00:00 UTC`);
        expect(answer).toContain('Due to be disabled: 1 · Kept by the owner: 1');
        expect(answer).toContain('`/tokens campaign disable --yes`');
        expect(mocked.getOwners).toHaveBeenCalledWith(expect.arrayContaining([alice.id, bob.id]));
        expect(mocked.disableDue).not.toHaveBeenCalled();
        expect(mocked.loadInventory).not.toHaveBeenCalled();
    });

    test('disable without --yes only previews', async () => {
        await hook('/tokens campaign disable', args);
        expect(posted()).toContain('This would disable 1 due token of 1 user');
        expect(mocked.disableDue).not.toHaveBeenCalled();
    });

    test('disable --yes disables through the console\'s disableDue, recorded as the command\'s', async () => {
        mocked.disableDue.mockResolvedValue({results: [{tokenId: ID2, ok: true}]});
        await hook('/tokens campaign disable --yes', args);
        expect(mocked.disableDue).toHaveBeenCalledTimes(1);
        expect(mocked.disableDue).toHaveBeenCalledWith(campaign, {source: 'command'});
        const answer = posted();
        expect(answer).toContain('Disable: 1 done, 0 failed');
        expect(answer).toContain(`\`${ID2}\` @bob — disabled`);
    });

    test('an intent the trail refused disables nothing and says so', async () => {
        mocked.disableDue.mockRejectedValue(new Error('KV is down'));
        await expect(hook('/tokens campaign disable --yes', args)).resolves.toEqual({});
        expect(posted()).toContain('KV is down');
    });

    test('a second campaign whose intent the trail refused is reported as not disabled, the first as done', async () => {
        const second: Campaign = {...campaign, id: 'e'.repeat(26), tokens: [{...campaign.tokens[0], id: ID1, user_id: alice.id, owner_id: alice.id}]};
        mocked.listCampaigns.mockResolvedValue([campaign, second]);
        mocked.disableDue.mockResolvedValueOnce({results: [{tokenId: ID2, ok: true}]}).mockRejectedValueOnce(new Error('KV is down'));
        await hook('/tokens campaign disable --yes', args);
        expect(mocked.disableDue).toHaveBeenCalledTimes(2);
        const answer = posted();
        expect(answer).toContain('Disable: 1 done, 1 failed');
        expect(answer).toContain(`\`${ID2}\` @bob — disabled`);
        expect(answer).toMatch(new RegExp(`\`${ID1}\` @alice — failed: .*KV is down`));
    });

    test('a caller the server refuses is passed on to the server', async () => {
        mocked.getPolicy.mockRejectedValue(new ApiError({status: 403}));
        await expect(hook('/tokens campaign disable --yes', args)).resolves.toEqual({message: '/tokens campaign disable --yes', args});
        expect(mocked.listCampaigns).not.toHaveBeenCalled();
        expect(mocked.disableDue).not.toHaveBeenCalled();
    });
});
