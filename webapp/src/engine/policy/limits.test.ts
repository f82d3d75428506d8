import {policy} from '../testing/fixtures';

import {thresholdsValid, thresholdValid} from './limits';

test('a threshold is a whole number within its bounds', () => {
    expect([0, 1, 3650, 3651, 1.5, NaN].map((v) => thresholdValid('stale_after_days', v))).toEqual([false, true, true, false, false, false]);
    expect([0, 1, 365, 366].map((v) => thresholdValid('expiring_within_days', v))).toEqual([false, true, true, false]);
});

test('a policy is valid only when every threshold is', () => {
    expect(thresholdsValid(policy())).toBe(true);
    expect(thresholdsValid(policy({stale_after_days: 0}))).toBe(false);
    expect(thresholdsValid(policy({expiring_within_days: 400}))).toBe(false);
});
