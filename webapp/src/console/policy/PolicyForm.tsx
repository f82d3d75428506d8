import React from 'react';

import {POLICY_FINDINGS, POLICY_LIMITS, POLICY_THRESHOLDS, thresholdValid} from '../../engine';
import type {Policy} from '../../engine';

import {TextField} from '../shared/controls';
import {findingDescription, useT} from '../shared/intl';

import {FindingCheck} from './FindingCheck';

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
                    <FindingCheck
                        key={f}
                        finding={f}
                        testId={`ta-policy-finding-${f}`}
                        checked={draft.findings[f]}
                        onChange={(checked) => onChange({...draft, findings: {...draft.findings, [f]: checked}})}
                        note={findingDescription(t, f)}
                        noteId={`ta-policy-finding-${f}-desc`}
                    />
                ))}
            </fieldset>
        </>
    );
}
