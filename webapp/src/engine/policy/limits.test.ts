import {call} from '../bundle';
import {DAY, mmid, NOW, policy} from '../testing/fixtures';
import type {PolicyFindingName, WatchPrefs} from '../types';

import {exemptionEndValid, MAX_EXEMPTION_DAYS, policyLimits, thresholdsValid, thresholdValid, watchNumberValid, watchProblems} from './limits';
import {DEFAULT_WATCH} from './policy';

test('a threshold is a whole number within its bounds', () => {
    expect([0, 1, 3650, 3651, 1.5, NaN].map((v) => thresholdValid('stale_after_days', v))).toEqual([false, true, true, false, false, false]);
    expect([0, 1, 365, 366].map((v) => thresholdValid('expiring_within_days', v))).toEqual([false, true, true, false]);
});

test('a policy is valid only when every threshold is', () => {
    expect(thresholdsValid(policy())).toBe(true);
    expect(thresholdsValid(policy({stale_after_days: 0}))).toBe(false);
    expect(thresholdsValid(policy({expiring_within_days: 400}))).toBe(false);
});

describe('watch preferences', () => {
    const watch = (extra: Partial<WatchPrefs> = {}, digest: Partial<WatchPrefs['digest']> = {}): WatchPrefs => ({
        ...DEFAULT_WATCH, ...extra, digest: {...DEFAULT_WATCH.digest, ...digest},
    });

    test('the defaults are valid and work out of the box', () => {
        expect(watchProblems(DEFAULT_WATCH)).toEqual([]);
        expect(DEFAULT_WATCH).toEqual({
            scan_minutes: 5,
            alert_channel_id: '',
            alert_findings: ['owner_system_admin', 'owner_deactivated', 'never_expires'],
            digest: {schedule: 'off', hour_utc: 9, weekday: 1, channel_id: ''},
            offboarding: 'alert',
        });
    });

    test('numbers are whole and within their bounds', () => {
        expect([0, 1, 1440, 1441, 2.5, NaN].map((v) => watchNumberValid('scan_minutes', v))).toEqual([false, true, true, false, false, false]);
        expect([-1, 0, 23, 24].map((v) => watchNumberValid('hour_utc', v))).toEqual([false, true, true, false]);
        expect([-1, 0, 6, 7].map((v) => watchNumberValid('weekday', v))).toEqual([false, true, true, false]);
    });

    test('every refused field is named as the API names it', () => {
        const bad = watch(
            {scan_minutes: 0, alert_channel_id: 'town-square', alert_findings: ['stale', 'stale'], offboarding: 'delete' as WatchPrefs['offboarding']},
            {schedule: 'hourly' as WatchPrefs['digest']['schedule'], hour_utc: 24, weekday: 7, channel_id: 'X'.repeat(26)},
        );
        expect(watchProblems(bad)).toEqual([
            'scan_minutes', 'alert_channel_id', 'alert_findings', 'digest.schedule', 'digest.hour_utc', 'digest.weekday', 'digest.channel_id', 'offboarding',
        ]);
        expect(watchProblems(watch({alert_findings: ['expired' as PolicyFindingName]}))).toEqual(['alert_findings']);
        expect(watchProblems(watch({alert_channel_id: mmid('alerts'), alert_findings: []}, {channel_id: mmid('digest')}))).toEqual([]);
    });
});

test('an exemption ends never (0), or after now and at most MAX_EXEMPTION_DAYS ahead', () => {
    const latest = NOW + MAX_EXEMPTION_DAYS * DAY;
    expect([0, NOW + 1, latest].map((v) => exemptionEndValid(v, NOW))).toEqual([true, true, true]);
    expect([NOW, NOW - DAY, -1, latest + 1, NOW + 0.5, NaN, Infinity].map((v) => exemptionEndValid(v, NOW))).toEqual([false, false, false, false, false, false, false]);
});

test('the limits the server reads from engine.js are these, as JSON', () => {
    expect(JSON.parse(call('limits', '{}'))).toEqual({
        stale_after_days: {min: 1, max: 3650},
        expiring_within_days: {min: 1, max: 365},
        seen_ids_per_request: 30000,
        max_message_length: 16000,
        max_exemptions: 1000,
        max_exemption_reason: 500,
        max_exemption_days: 3650,
        policy_findings: ['owner_deactivated', 'owner_system_admin', 'owner_bot', 'never_expires', 'expiring_soon', 'stale', 'disabled'],
        watch: {
            scan_minutes: {min: 1, max: 1440},
            hour_utc: {min: 0, max: 23},
            weekday: {min: 0, max: 6},
            digest_schedules: ['off', 'daily', 'weekly'],
            offboarding_rules: ['alert', 'revoke', 'off'],
        },
    });
    expect(JSON.parse(call('limits', '{}'))).toEqual(JSON.parse(JSON.stringify(policyLimits())));
});
