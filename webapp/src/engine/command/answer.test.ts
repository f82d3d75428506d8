import {DAY, NOW, owner, policy, token} from '../testing/fixtures';
import type {Token} from '../types';

import {answerCommand} from './answer';
import type {CommandData} from './answer';

// The REST API lists tokens in no set order and the server reads them by id, so the two hosts hand
// the same tokens over in different orders. Ties in a ranking must not follow that order.
describe('answers do not depend on the order the host listed the tokens in', () => {
    const admins = [owner('ada', {system_admin: true}), owner('bea', {system_admin: true}), owner('cid', {system_admin: true})];
    const tokens: Token[] = [
        token('zeta', admins[2]),
        token('alpha', admins[0]),
        token('mid', admins[1]),
        token('beta', admins[0]),
    ];
    const data = (listed: Token[]): CommandData => ({
        tokens: listed,
        owners: Object.fromEntries(admins.map((o) => [o.id, o])),
        usage: {},
        seen: Object.fromEntries(tokens.map((t) => [t.id, {first_seen: NOW - (30 * DAY), last_seen: NOW, removed_at: 0}])),
        policy: policy(),
        lastReviewedAt: NOW,
    });
    const context = {siteURL: 'https://chat.example.com', pluginId: 'token-audit', now: NOW, actions: ['revoke' as const]};

    test.each(['/tokens audit', '/tokens search example', '/tokens user @ada', '/tokens list'])('%s', (line) => {
        const answers = [tokens, [...tokens].reverse(), [tokens[2], tokens[0], tokens[3], tokens[1]]].map((listed) => answerCommand({
            line,
            context,
            data: {...data(listed), user: line.includes('@ada') ? admins[0] : undefined},
        }));
        expect(answers[0].kind).toBe('reply');
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
    });
});
