import type {Row} from '../types';
import {owner, token} from '../testing/fixtures';

import {actionApplies, planAction} from './plan';

const alice = owner('alice');
const bob = owner('bob');
const row = (r: Pick<Row, 'token' | 'owner'>): Row => ({...r, findings: []});
const aliceActive = row({token: token('a1', alice), owner: alice});
const aliceOff = row({token: token('a2', alice, {is_active: false}), owner: alice});
const bobActive = row({token: token('b1', bob), owner: bob});
const unknownOwner = row({token: token('x1', owner('gone'))});

test('revoke applies to every token, disable only to active ones, enable only to disabled ones', () => {
    expect([aliceActive, aliceOff].map((r) => actionApplies('revoke', r))).toEqual([true, true]);
    expect([aliceActive, aliceOff].map((r) => actionApplies('disable', r))).toEqual([true, false]);
    expect([aliceActive, aliceOff].map((r) => actionApplies('enable', r))).toEqual([false, true]);
});

test('a plan names its targets, what it skips and each owner once, in the order first met', () => {
    const plan = planAction('disable', [bobActive, aliceOff, aliceActive, unknownOwner]);
    expect(plan.action).toBe('disable');
    expect(plan.targets).toEqual([bobActive, aliceActive, unknownOwner]);
    expect(plan.skipped).toEqual([aliceOff]);
    expect(plan.owners).toEqual(['bob', 'alice', unknownOwner.token.user_id]);
});

test('a plan for tokens the action makes no sense for has no targets', () => {
    const plan = planAction('enable', [aliceActive, bobActive]);
    expect(plan.targets).toEqual([]);
    expect(plan.skipped).toEqual([aliceActive, bobActive]);
    expect(plan.owners).toEqual([]);
});
