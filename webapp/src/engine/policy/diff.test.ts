import {mmid, policy} from '../testing/fixtures';

import {diffPolicies, rebasePolicy} from './diff';

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
