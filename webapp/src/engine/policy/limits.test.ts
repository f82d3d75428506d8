import {mmid, policy} from '../testing/fixtures';
import type {PolicyFindingName, WatchPrefs} from '../types';

import {thresholdsValid, thresholdValid, watchNumberValid, watchProblems} from './limits';
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
