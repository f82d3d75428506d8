import {call} from '../bundle';
import {DAY, NOW, mmid, owner, policy, token} from '../testing/fixtures';

import {campaignButtons, campaignClickAnswer, campaignProblems, campaignResolution, clickMove, disableMove, dueAt, dueNotice, isFinal, jobMove, ownerMessages, revokeAt, TOKEN_STAGES} from './campaign';
import type {Campaign, CampaignToken, Observed, TokenStage} from './campaign';

const alice = owner('alice');
const admin = owner('root', {system_admin: true});
const robot = owner('robot', {bot: true});

function campaign(extra: Partial<Campaign> = {}): Campaign {
    return {
        id: mmid('campaign'),
        created_by: admin.id,
        created_at: NOW,
        note: 'Please answer by Friday.\nThanks!',
        filter: 'finding: never expires',
        grace_days: 14,
        undo_days: 7,
        keep_days: 90,
        day_ms: DAY,
        cancelled_at: 0,
        tokens: [],
        ...extra,
    };
}

function at(stage: TokenStage, changedAt = NOW): CampaignToken {
    return {id: mmid('tok'), user_id: alice.id, owner_id: alice.id, stage, changed_at: changedAt, changed_by: admin.id};
}

describe('the job moves a token', () => {
    const c = campaign();
    const move = (stage: TokenStage, now: number, observed: Observed, changedAt = NOW) => jobMove({campaign: c, token: at(stage, changedAt), now, observed});

    test('a picked token is notified at once', () => {
        expect(move('picked', NOW, 'active')).toBe('notified');
    });

    test('a notified token becomes due at the end of the grace period, not before', () => {
        expect(dueAt(c)).toBe(NOW + (14 * DAY));
        expect(move('notified', dueAt(c) - 1, 'active')).toBeNull();
        expect(move('notified', dueAt(c), 'active')).toBe('due');
    });

    test('a due token is disabled once the database shows it inactive', () => {
        expect(move('due', NOW + (20 * DAY), 'active')).toBeNull();
        expect(move('due', NOW + (20 * DAY), 'inactive')).toBe('disabled');
    });

    test('a disabled token is revoked at the end of the undo window, unless enabled again', () => {
        const disabledAt = NOW + (15 * DAY);
        expect(revokeAt(c, at('disabled', disabledAt))).toBe(disabledAt + (7 * DAY));
        expect(move('disabled', disabledAt + (7 * DAY) - 1, 'inactive', disabledAt)).toBeNull();
        expect(move('disabled', disabledAt + (7 * DAY), 'inactive', disabledAt)).toBe('revoked');
        expect(move('disabled', disabledAt + (7 * DAY), 'active', disabledAt)).toBe('reenabled');
        expect(move('disabled', disabledAt + 1, 'active', disabledAt)).toBe('reenabled');
    });

    test('a token deleted elsewhere is gone, from any stage that is not final', () => {
        for (const stage of ['picked', 'notified', 'due', 'disabled'] as const) {
            expect(move(stage, NOW, 'missing')).toBe('gone');
        }
    });

    test('final stages and cancelled campaigns never move', () => {
        for (const stage of TOKEN_STAGES.filter(isFinal)) {
            expect(move(stage, NOW + (365 * DAY), 'missing')).toBeNull();
        }
        const cancelled = campaign({cancelled_at: NOW + 1});
        for (const stage of TOKEN_STAGES) {
            expect(jobMove({campaign: cancelled, token: at(stage), now: NOW + (365 * DAY), observed: 'missing'})).toBeNull();
        }
    });
});

describe('clicks and the admin\'s disable', () => {
    test('Keep and Revoke it now answer a notified or due token only', () => {
        const c = campaign();
        for (const stage of TOKEN_STAGES) {
            const open = stage === 'notified' || stage === 'due';
            expect(clickMove(c, at(stage), 'keep')).toBe(open ? 'kept' : null);
            expect(clickMove(c, at(stage), 'revoke_now')).toBe(open ? 'revoked_by_owner' : null);
        }
        expect(clickMove(campaign({cancelled_at: NOW}), at('notified'), 'keep')).toBeNull();
    });

    test('only a due token of a running campaign can be reported disabled', () => {
        for (const stage of TOKEN_STAGES) {
            expect(disableMove(campaign(), at(stage))).toBe(stage === 'due' ? 'disabled' : null);
        }
        expect(disableMove(campaign({cancelled_at: NOW}), at('due'))).toBeNull();
    });
});

describe('what may start a campaign', () => {
    const good = {token_ids: [mmid('a'), mmid('b')], grace_days: 14, undo_days: 7, keep_days: 90, note: '', filter: ''};

    test('a good input has no problem', () => {
        expect(campaignProblems(good)).toEqual([]);
    });

    test.each([
        [{token_ids: []}, 'token_ids'],
        [{token_ids: ['nope']}, 'token_ids'],
        [{token_ids: [mmid('a'), mmid('a')]}, 'token_ids'],
        [{token_ids: Array.from({length: 1001}, (_, i) => mmid(`t${i}`))}, 'token_ids'],
        [{grace_days: 0}, 'grace_days'],
        [{grace_days: 1.5}, 'grace_days'],
        [{undo_days: 91}, 'undo_days'],
        [{keep_days: 366}, 'keep_days'],
        [{note: 'x'.repeat(1001)}, 'note'],
        [{filter: 'x'.repeat(501)}, 'filter'],
    ])('%j is refused as %s', (change, problem) => {
        expect(campaignProblems({...good, ...change})).toEqual([problem]);
    });
});

describe('the words', () => {
    const context = {siteURL: 'https://chat.example.com', pluginId: 'token-audit', now: NOW, locale: 'en'};
    const kept = token('deploy', alice, {description: 'deploy *bot*', expires_at: 0});
    const bots = token('ci', robot, {expires_at: 0});
    const plain = token('plain', alice);
    const data = {
        tokens: [kept, bots, plain],
        owners: {[alice.id]: alice, [robot.id]: robot},
        usage: {},
        seen: {},
        policy: policy(),
        features: {tokensEnabled: true, expirySupported: true},
    };

    test('the owner\'s DM names the token, why, the date, the note, and the bot when it is a bot\'s', () => {
        const [own, bot] = ownerMessages({context, data, campaign: campaign(), token_ids: [kept.id, bots.id, mmid('unknown')], admin});
        expect(own.token_id).toBe(kept.id);
        expect(own.markdown).toBe([
            '#### @root started a clean-up of personal access tokens',
            '',
            `Your token \`${kept.id}\` (deploy &#42;bot&#42;) is part of it.`,
            'It was picked because of this finding: no expiry.',
            'Unless you answer, it will be disabled after 2025-06-15 12:00 UTC, and revoked 7 days later unless it is enabled again.',
            'Still needed? Keep it (for 90 days, then it is judged again). Not needed? Revoke it now.',
            '',
            'A note from @root:',
            '> Please answer by Friday&#46;',
            '> Thanks&#33;',
        ].join('\n'));
        expect(bot.markdown).toContain(`The token \`${bots.id}\` (ci) of your bot @robot is part of it.`);
        expect(bot.markdown).toContain('these findings: bot, no expiry');
        const [picked] = ownerMessages({context, data: {...data, features: {tokensEnabled: true, expirySupported: false}}, campaign: campaign(), token_ids: [plain.id], admin});
        expect(picked.markdown).toContain('It was picked from the view “finding&#58; never expires”.');
    });

    test('every language writes the DM, the buttons and the answers', () => {
        for (const locale of ['de', 'es']) {
            const [dm] = ownerMessages({context: {...context, locale}, data, campaign: campaign(), token_ids: [kept.id], admin});
            const en = ownerMessages({context, data, campaign: campaign(), token_ids: [kept.id], admin})[0];
            expect(dm.markdown).not.toBe(en.markdown);
            expect(campaignButtons(locale, 90)).not.toEqual(campaignButtons('en', 90));
            expect(campaignClickAnswer(locale, 'not_owner')).not.toBe(campaignClickAnswer('en', 'not_owner'));
        }
        expect(campaignButtons('en', 1)).toEqual({keep: 'Keep it for 1 day', revoke_now: 'Revoke it now'});
    });

    test('the answer under the DM and the admin\'s due notice', () => {
        expect(campaignResolution(context, {kind: 'kept', actor: alice, until: NOW + (90 * DAY)})).toBe('> @alice kept it until 2025-08-30 12:00 UTC.');
        expect(campaignResolution(context, {kind: 'revoked', actor: alice})).toBe('> @alice revoked it.');
        const notice = dueNotice({context, campaign: campaign(), due: 2});
        expect(notice).toContain('Clean-up “Please answer by Friday&#46;”: 2 tokens are due to be disabled');
        expect(notice).toContain('https://chat.example.com/admin_console/plugins/plugin_token-audit');
    });

    test('the server calls it all through engine.js', () => {
        const c = campaign({tokens: [at('notified'), {...at('disabled', NOW), id: mmid('other')}]});
        expect(JSON.parse(call('campaign_moves', JSON.stringify({campaign: c, now: dueAt(c), observed: {[mmid('tok')]: 'active', [mmid('other')]: 'active'}})))).
            toEqual({[mmid('tok')]: 'due', [mmid('other')]: 'reenabled'});
        expect(JSON.parse(call('campaign_click', JSON.stringify({campaign: c, token_id: mmid('tok'), button: 'keep'})))).toEqual({stage: 'kept'});
        expect(JSON.parse(call('campaign_click', JSON.stringify({campaign: c, token_id: mmid('nobody'), button: 'keep'})))).toEqual({stage: null});
        expect(JSON.parse(call('campaign_problems', JSON.stringify({token_ids: [], grace_days: 1, undo_days: 1, keep_days: 1, note: '', filter: ''})))).toEqual(['token_ids']);
    });
});
