import React from 'react';

import type {Exemption, PolicyChange} from '../../engine';

import {findingLabel, hourLabel, offboardingLabel, scheduleLabel, useDates, useT, weekdayLabel} from '../shared/intl';

interface Props {
    changes: PolicyChange[];
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;

    // How a channel id of the watch preferences reads ('' = a DM to every system admin).
    channel: (id: string) => string;
    testId?: string;
}

export function ChangeList({changes, subject, channel, testId}: Props) {
    const t = useT();
    const dates = useDates();
    const end = (ms: number) => (ms ? dates.date(ms) : t('token_audit.policy.exemption.never'));
    if (!changes.length) {
        return <p className='ta-muted'>{t('token_audit.policy.change.none')}</p>;
    }
    return (
        <ul
            className='ta-diff'
            data-testid={testId}
        >
            {changes.map((c, i) => {
                let text: string;
                switch (c.kind) {
                case 'stale_after_days':
                case 'expiring_within_days':
                    text = t(`token_audit.policy.change.${c.kind}`, {from: c.from, to: c.to});
                    break;
                case 'finding':
                    text = t(c.to ? 'token_audit.policy.change.finding_on' : 'token_audit.policy.change.finding_off', {finding: findingLabel(t, c.finding)});
                    break;
                case 'scan_minutes':
                    text = t('token_audit.policy.change.scan_minutes', {from: c.from, to: c.to});
                    break;
                case 'alert_channel':
                case 'digest_channel':
                    text = t(`token_audit.policy.change.${c.kind}`, {from: channel(c.from), to: channel(c.to)});
                    break;
                case 'alert_finding':
                    text = t(c.to ? 'token_audit.policy.change.alert_finding_on' : 'token_audit.policy.change.alert_finding_off', {finding: findingLabel(t, c.finding)});
                    break;
                case 'digest_schedule':
                    text = t('token_audit.policy.change.digest_schedule', {from: scheduleLabel(t, c.from), to: scheduleLabel(t, c.to)});
                    break;
                case 'digest_hour':
                    text = t('token_audit.policy.change.digest_hour', {from: hourLabel(t, c.from), to: hourLabel(t, c.to)});
                    break;
                case 'digest_weekday':
                    text = t('token_audit.policy.change.digest_weekday', {from: weekdayLabel(t, c.from), to: weekdayLabel(t, c.to)});
                    break;
                case 'offboarding':
                    text = t('token_audit.policy.change.offboarding', {from: offboardingLabel(t, c.from), to: offboardingLabel(t, c.to)});
                    break;
                case 'exemption_reason':
                    text = t('token_audit.policy.change.exemption_reason', {subject: subject(c.exemption), from: c.from, to: c.exemption.reason});
                    break;
                case 'exemption_end':
                    text = t('token_audit.policy.change.exemption_end', {subject: subject(c.exemption), from: end(c.from), to: end(c.exemption.expires_at ?? 0)});
                    break;
                case 'exemption_added':
                    text = c.exemption.expires_at ?
                        t('token_audit.policy.change.exemption_added_until', {subject: subject(c.exemption), reason: c.exemption.reason, date: dates.date(c.exemption.expires_at)}) :
                        t('token_audit.policy.change.exemption_added', {subject: subject(c.exemption), reason: c.exemption.reason});
                    break;
                case 'exemption_removed':
                    text = t(`token_audit.policy.change.${c.kind}`, {subject: subject(c.exemption), reason: c.exemption.reason});
                }
                return <li key={i}>{text}</li>;
            })}
        </ul>
    );
}
