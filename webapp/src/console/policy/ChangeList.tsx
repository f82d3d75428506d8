import React from 'react';

import type {Exemption, PolicyChange} from '../../engine';

import {findingLabel, useT} from '../shared/intl';

interface Props {
    changes: PolicyChange[];
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;
    testId?: string;
}

export function ChangeList({changes, subject, testId}: Props) {
    const t = useT();
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
                case 'exemption_reason':
                    text = t('token_audit.policy.change.exemption_reason', {subject: subject(c.exemption), from: c.from, to: c.exemption.reason});
                    break;
                default:
                    text = t(`token_audit.policy.change.${c.kind}`, {subject: subject(c.exemption), reason: c.exemption.reason});
                }
                return <li key={i}>{text}</li>;
            })}
        </ul>
    );
}
