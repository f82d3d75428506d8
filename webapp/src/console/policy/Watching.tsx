import React from 'react';

import type {ChannelChoice} from '../../client';
import {DIGEST_SCHEDULES, OFFBOARDING_RULES, POLICY_FINDINGS, WATCH_LIMITS, watchNumberValid} from '../../engine';
import type {DigestPrefs, Policy, WatchPrefs} from '../../engine';

import {LabelledSelect, TextField} from '../shared/controls';
import {hourLabel, offboardingLabel, scheduleLabel, useT, weekdayLabel} from '../shared/intl';

import {FindingCheck} from './FindingCheck';

import {ChannelPicker} from './ChannelPicker';

interface Props {
    draft: Policy;
    channelLabel: (id: string) => string;
    onChannelSeen: (channel: ChannelChoice) => void;
    onChange: (policy: Policy) => void;
}

const range = (limit: {min: number; max: number}) => Array.from({length: limit.max - limit.min + 1}, (_, i) => limit.min + i);

// What the server does with nobody at the page: how often it scans, where alerts and the digest go,
// which findings alert, and what happens when a user holding tokens is deactivated.
export function Watching({draft, channelLabel, onChannelSeen, onChange}: Props) {
    const t = useT();
    const watch = draft.watch;
    const set = (changes: Partial<WatchPrefs>) => onChange({...draft, watch: {...watch, ...changes}});
    const setDigest = (changes: Partial<DigestPrefs>) => set({digest: {...watch.digest, ...changes}});
    const channelOf = (c: ChannelChoice | null) => {
        if (c) {
            onChannelSeen(c);
        }
        return c?.id ?? '';
    };
    const scanValid = watchNumberValid('scan_minutes', watch.scan_minutes);

    return (
        <section
            className='ta-section'
            data-testid='ta-watch'
        >
            <h3>{t('token_audit.policy.watch.title')}</h3>
            <p className='ta-muted'>{t('token_audit.policy.watch.intro')}</p>
            <div className='ta-toolbar'>
                <TextField
                    type='number'
                    testId='ta-watch-scan_minutes'
                    label={t('token_audit.policy.watch.scan_minutes')}
                    min={WATCH_LIMITS.scan_minutes.min}
                    max={WATCH_LIMITS.scan_minutes.max}
                    step={1}
                    value={Number.isNaN(watch.scan_minutes) ? '' : watch.scan_minutes}
                    aria-invalid={!scanValid}
                    aria-describedby={scanValid ? undefined : 'ta-watch-scan_minutes-error'}
                    onChange={(value) => set({scan_minutes: value === '' ? NaN : Number(value)})}
                >
                    {!scanValid && (
                        <span
                            id='ta-watch-scan_minutes-error'
                            role='alert'
                        >
                            {t('token_audit.policy.range', WATCH_LIMITS.scan_minutes)}
                        </span>
                    )}
                </TextField>
                <LabelledSelect
                    label={t('token_audit.policy.watch.offboarding')}
                    testId='ta-watch-offboarding'
                    value={watch.offboarding}
                    options={OFFBOARDING_RULES.map((r) => ({value: r, label: offboardingLabel(t, r)}))}
                    onChange={(r) => set({offboarding: r as WatchPrefs['offboarding']})}
                />
            </div>
            <ChannelPicker
                label={t('token_audit.policy.watch.alert_channel')}
                testId='ta-watch-alert_channel'
                value={watch.alert_channel_id}
                describe={channelLabel}
                onPick={(c) => set({alert_channel_id: channelOf(c)})}
            />
            <fieldset className='ta-section'>
                <legend>{t('token_audit.policy.watch.alert_findings')}</legend>
                {POLICY_FINDINGS.map((f) => (
                    <FindingCheck
                        key={f}
                        finding={f}
                        testId={`ta-watch-alert-${f}`}
                        checked={watch.alert_findings.includes(f)}
                        onChange={(checked) => set({alert_findings: checked ? [...watch.alert_findings, f] : watch.alert_findings.filter((x) => x !== f)})}
                        note={watch.alert_findings.includes(f) && !draft.findings[f] ? t('token_audit.policy.watch.alert_finding_off') : undefined}
                    />
                ))}
            </fieldset>
            <fieldset className='ta-section'>
                <legend>{t('token_audit.policy.watch.digest')}</legend>
                <div className='ta-toolbar'>
                    <LabelledSelect
                        label={t('token_audit.policy.watch.digest.schedule')}
                        testId='ta-watch-digest-schedule'
                        value={watch.digest.schedule}
                        options={DIGEST_SCHEDULES.map((s) => ({value: s, label: scheduleLabel(t, s)}))}
                        onChange={(s) => setDigest({schedule: s as DigestPrefs['schedule']})}
                    />
                    {watch.digest.schedule === 'weekly' && (
                        <LabelledSelect
                            label={t('token_audit.policy.watch.digest.weekday')}
                            testId='ta-watch-digest-weekday'
                            value={watch.digest.weekday}
                            options={range(WATCH_LIMITS.weekday).map((d) => ({value: d, label: weekdayLabel(t, d)}))}
                            onChange={(d) => setDigest({weekday: Number(d)})}
                        />
                    )}
                    {watch.digest.schedule !== 'off' && (
                        <LabelledSelect
                            label={t('token_audit.policy.watch.digest.hour')}
                            testId='ta-watch-digest-hour'
                            value={watch.digest.hour_utc}
                            options={range(WATCH_LIMITS.hour_utc).map((h) => ({value: h, label: hourLabel(t, h)}))}
                            onChange={(h) => setDigest({hour_utc: Number(h)})}
                        />
                    )}
                </div>
                {watch.digest.schedule !== 'off' && (
                    <ChannelPicker
                        label={t('token_audit.policy.watch.digest.channel')}
                        testId='ta-watch-digest_channel'
                        value={watch.digest.channel_id}
                        describe={channelLabel}
                        onPick={(c) => setDigest({channel_id: channelOf(c)})}
                    />
                )}
            </fieldset>
        </section>
    );
}
