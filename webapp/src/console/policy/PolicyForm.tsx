import React from 'react';

import {POLICY_FINDINGS, POLICY_LIMITS, POLICY_THRESHOLDS, thresholdValid} from '../../engine';
import type {Policy} from '../../engine';

import {TextField} from '../shared/controls';
import {findingDescription, findingLabel, useT} from '../shared/intl';

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
                    {POLICY_THRESHOLDS.map((kind) => {
                        const valid = thresholdValid(kind, draft[kind]);
                        const errorId = `ta-policy-${kind}-error`;
                        return (
                            <TextField
                                key={kind}
                                type='number'
                                testId={`ta-policy-${kind}`}
                                label={t(`token_audit.policy.${kind}`)}
                                min={POLICY_LIMITS[kind].min}
                                max={POLICY_LIMITS[kind].max}
                                step={1}
                                value={Number.isNaN(draft[kind]) ? '' : draft[kind]}
                                aria-invalid={!valid}
                                aria-describedby={valid ? undefined : errorId}
                                onChange={(value) => onChange({...draft, [kind]: value === '' ? NaN : Number(value)})}
                            >
                                {!valid && (
                                    <span
                                        id={errorId}
                                        role='alert'
                                    >
                                        {t('token_audit.policy.range', POLICY_LIMITS[kind])}
                                    </span>
                                )}
                            </TextField>
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
