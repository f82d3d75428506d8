import type {TrailRecord} from '../types';
import {mmid, NOW} from '../testing/fixtures';

import {groupTrail} from './entries';

function rec(id: string, extra: Partial<TrailRecord>): TrailRecord {
    return {
        id, action_id: mmid('act1'), phase: 'intent', action: 'revoke', actor_id: mmid('uadmin'), at: NOW, token_id: mmid('t1'), owner_id: '',
        outcome: '', error: '', count: 0, source: 'console', ...extra,
    };
}

test('an intent and its outcome make one entry, in the order of the newest record', () => {
    const outcome1 = rec('r4', {phase: 'outcome', outcome: 'ok', at: NOW + 3});
    const outcome2 = rec('r3', {phase: 'outcome', outcome: 'error', error: 'gone', token_id: mmid('t2'), at: NOW + 2});
    const intent2 = rec('r2', {token_id: mmid('t2'), at: NOW + 1});
    const intent1 = rec('r1', {});
    const entries = groupTrail([outcome1, outcome2, intent2, intent1]);
    expect(entries.map((e) => [e.key, e.intent?.id, e.outcome?.id, e.record.id])).toEqual([
        [`${mmid('act1')}:revoke:${mmid('t1')}`, 'r1', 'r4', 'r4'],
        [`${mmid('act1')}:revoke:${mmid('t2')}`, 'r2', 'r3', 'r3'],
    ]);
});

test('an intent whose outcome is not loaded (or never written) stands alone, and so does an outcome', () => {
    const lone = groupTrail([rec('r1', {}), rec('r2', {phase: 'outcome', action_id: mmid('act2'), outcome: 'ok'})]);
    expect(lone.map((e) => [e.intent?.id, e.outcome?.id])).toEqual([['r1', undefined], [undefined, 'r2']]);
});

test('records of different actions on one token stay apart, even under one action id', () => {
    const entries = groupTrail([rec('r2', {action: 'disable'}), rec('r1', {action: 'revoke'})]);
    expect(entries).toHaveLength(2);
});
