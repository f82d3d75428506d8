import {mmid, policy} from '../testing/fixtures';
import type {Policy} from '../types';

import {changesJudgement, diffPolicies, rebasePolicy} from './diff';

const ex = (name: string, reason: string, kind: 'token' | 'user' = 'token') => ({kind, id: mmid(name), reason, added_by: mmid('admin'), added_at: 1});

test('diff lists thresholds, findings and exemptions', () => {
    const base = policy({exemptions: [ex('a', 'ci'), ex('b', 'backup')]});
    const next = policy({
        stale_after_days: 30,
        findings: {...base.findings, owner_bot: false},
        exemptions: [ex('a', 'ci runner'), ex('c', 'new', 'user')],
    });
    expect(diffPolicies(base, next)).toEqual([
        {kind: 'stale_after_days', from: 90, to: 30},
        {kind: 'finding', finding: 'owner_bot', to: false},
        {kind: 'exemption_reason', exemption: ex('a', 'ci runner'), from: 'ci'},
        {kind: 'exemption_added', exemption: ex('c', 'new', 'user')},
        {kind: 'exemption_removed', exemption: ex('b', 'backup')},
    ]);
    expect(diffPolicies(base, base)).toEqual([]);
});

test('rebase replays my edits on the latest policy and keeps theirs', () => {
    const base = policy({version: 1, exemptions: [ex('a', 'ci'), ex('b', 'backup')]});
    const mine = {...base, stale_after_days: 30, exemptions: [ex('a', 'ci'), ex('m', 'mine')]};
    const theirs = policy({
        version: 2,
        expiring_within_days: 7,
        stale_after_days: 120,
        findings: {...base.findings, stale: false},
        exemptions: [ex('a', 'ci'), ex('b', 'backup'), ex('t', 'theirs')],
    });
    const rebased = rebasePolicy(base, mine, theirs);
    expect(rebased.version).toBe(2);
    expect(rebased.stale_after_days).toBe(30);
    expect(rebased.expiring_within_days).toBe(7);
    expect(rebased.findings.stale).toBe(false);
    expect(rebased.exemptions.map((e) => e.reason)).toEqual(['ci', 'theirs', 'mine']);

    // The latest policy is not modified in place.
    expect(theirs.exemptions).toHaveLength(3);
});

test('rebase: my reason wins over an exemption they added too', () => {
    const base = policy();
    const mine = policy({exemptions: [ex('x', 'my reason')]});
    const theirs = policy({version: 1, exemptions: [ex('x', 'their reason')]});
    expect(rebasePolicy(base, mine, theirs).exemptions).toEqual([ex('x', 'my reason')]);
});

test('diff and rebase carry the end of an exemption', () => {
    const base = policy({version: 1, exemptions: [ex('a', 'ci'), ex('b', 'backup')]});
    const mine = policy({exemptions: [{...ex('a', 'ci'), expires_at: 500}, ex('b', 'backup'), {...ex('n', 'new'), expires_at: 900}]});
    expect(diffPolicies(base, mine)).toEqual([
        {kind: 'exemption_end', exemption: {...ex('a', 'ci'), expires_at: 500}, from: 0},
        {kind: 'exemption_added', exemption: {...ex('n', 'new'), expires_at: 900}},
    ]);

    // They renamed a's reason meanwhile: my end lands on their exemption, their reason stays.
    const theirs = policy({version: 2, exemptions: [ex('a', 'ci runner'), ex('b', 'backup')]});
    expect(rebasePolicy(base, mine, theirs).exemptions).toEqual([
        {...ex('a', 'ci runner'), expires_at: 500}, ex('b', 'backup'), {...ex('n', 'new'), expires_at: 900},
    ]);
});

describe('watch preferences', () => {
    const channel = mmid('alerts');
    const watched = (extra: Partial<Policy['watch']>, digest: Partial<Policy['watch']['digest']> = {}) => {
        const p = policy();
        p.watch = {...p.watch, ...extra, digest: {...p.watch.digest, ...digest}};
        return p;
    };

    test('diff names each watch field that changed, in the editor\'s order', () => {
        const next = watched(
            {scan_minutes: 15, alert_channel_id: channel, alert_findings: ['owner_system_admin', 'never_expires', 'stale'], offboarding: 'revoke'},
            {schedule: 'weekly', hour_utc: 0, weekday: 5, channel_id: channel},
        );
        expect(diffPolicies(policy(), next)).toEqual([
            {kind: 'scan_minutes', from: 5, to: 15},
            {kind: 'alert_channel', from: '', to: channel},
            {kind: 'alert_finding', finding: 'owner_deactivated', to: false},
            {kind: 'alert_finding', finding: 'stale', to: true},
            {kind: 'digest_schedule', from: 'off', to: 'weekly'},
            {kind: 'digest_hour', from: 9, to: 0},
            {kind: 'digest_weekday', from: 1, to: 5},
            {kind: 'digest_channel', from: '', to: channel},
            {kind: 'offboarding', from: 'alert', to: 'revoke'},
        ]);

        // The order of alert_findings is not a change.
        expect(diffPolicies(policy(), watched({alert_findings: ['never_expires', 'owner_deactivated', 'owner_system_admin']}))).toEqual([]);
    });

    test('rebase replays my watch edits on theirs, field by field', () => {
        const base = policy({version: 1});
        const mine = watched({scan_minutes: 30, alert_findings: ['owner_system_admin', 'never_expires', 'stale']}, {hour_utc: 6});
        const theirs = {...watched({offboarding: 'off', alert_findings: ['owner_system_admin']}, {schedule: 'daily', hour_utc: 18}), version: 2};
        const rebased = rebasePolicy(base, mine, theirs);
        expect(rebased.watch).toEqual({
            scan_minutes: 30,
            alert_channel_id: '',
            alert_findings: ['owner_system_admin', 'stale'],
            digest: {schedule: 'daily', hour_utc: 6, weekday: 1, channel_id: ''},
            offboarding: 'off',
        });

        // Neither input is modified in place.
        expect(theirs.watch.digest.hour_utc).toBe(18);
        expect(theirs.watch.alert_findings).toEqual(['owner_system_admin']);
    });
});

test('only thresholds, findings and exemptions change how tokens are judged', () => {
    const edited = policy({stale_after_days: 30, exemptions: [ex('a', 'ci')]});
    edited.watch = {...edited.watch, scan_minutes: 60, offboarding: 'off'};
    expect(diffPolicies(policy(), edited).filter(changesJudgement).map((c) => c.kind)).toEqual(['stale_after_days', 'exemption_added']);
});
