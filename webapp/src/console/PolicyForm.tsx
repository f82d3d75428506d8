import React from 'react';

import {POLICY_FINDINGS} from '../engine';
import type {Policy} from '../engine';

import {useT} from './intl';
import {findingDescription, findingLabel} from './util';

export const LIMITS = {
    stale_after_days: {min: 1, max: 3650},
    expiring_within_days: {min: 1, max: 365},
} as const;

export function thresholdValid(kind: keyof typeof LIMITS, value: number): boolean {
    return Number.isInteger(value) && value >= LIMITS[kind].min && value <= LIMITS[kind].max;
}

interface Props {
    draft: Policy;
    expirySupported: boolean;
    onChange: (policy: Policy) => void;
}

export function PolicyForm({draft, expirySupported, onChange}: Props) {
    const t = useT();
    return (
        <>
            <section className='ta-section'>
                <h3>{t('token_audit.policy.thresholds')}</h3>
                <div className='ta-toolbar'>
                    {(['stale_after_days', 'expiring_within_days'] as const).map((kind) => {
                        const valid = thresholdValid(kind, draft[kind]);
                        const errorId = `ta-policy-${kind}-error`;
                        return (
                            <label
                                key={kind}
                                className='ta-field'
                            >
                                {t(`token_audit.policy.${kind}`)}
                                <input
                                    type='number'
                                    className='ta-input'
                                    data-testid={`ta-policy-${kind}`}
                                    min={LIMITS[kind].min}
                                    max={LIMITS[kind].max}
                                    step={1}
                                    value={Number.isNaN(draft[kind]) ? '' : draft[kind]}
                                    aria-invalid={!valid}
                                    aria-describedby={valid ? undefined : errorId}
                                    onChange={(e) => onChange({...draft, [kind]: e.target.value === '' ? NaN : Number(e.target.value)})}
                                />
                                {!valid && (
                                    <span
                                        id={errorId}
                                        role='alert'
                                    >
                                        {t('token_audit.policy.range', LIMITS[kind])}
                                    </span>
                                )}
                            </label>
                        );
                    })}
                </div>
                {!expirySupported && <p className='ta-muted'>{t('token_audit.policy.no_expiry')}</p>}
            </section>
            <fieldset className='ta-section'>
                <legend>{t('token_audit.policy.findings')}</legend>
                {POLICY_FINDINGS.map((f) => (
                    <div
                        key={f}
                        className='ta-check'
                    >
                        <label className='ta-row'>
                            <input
                                type='checkbox'
                                data-testid={`ta-policy-finding-${f}`}
                                checked={draft.findings[f]}
                                aria-describedby={`ta-policy-finding-${f}-desc`}
                                onChange={(e) => onChange({...draft, findings: {...draft.findings, [f]: e.target.checked}})}
                            />
                            {findingLabel(t, f)}
                        </label>
                        <div
                            id={`ta-policy-finding-${f}-desc`}
                            className='ta-muted'
                        >
                            {findingDescription(t, f)}
                        </div>
                    </div>
                ))}
            </fieldset>
        </>
    );
}
