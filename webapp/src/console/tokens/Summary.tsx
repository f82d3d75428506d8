import React from 'react';

import type {FindingName, Summary as SummaryData} from '../../engine';

import {findingDescription, findingLabel, useT} from '../shared/intl';

interface Props {
    summary: SummaryData;
    active: readonly FindingName[];

    // The findings this server's tokens can have, each a counter.
    findings: readonly FindingName[];

    // Mattermost's own count (11.10+), shown beside the plugin's count of the same rule.
    coreNonCompliant?: number;
    onToggle: (finding: FindingName) => void;
}

// Each finding count doubles as a filter toggle.
export function Summary({summary, active, findings, coreNonCompliant, onToggle}: Props) {
    const t = useT();
    return (
        <div
            className='ta-summary'
            data-testid='ta-summary'
            role='group'
            aria-label={t('token_audit.summary.label')}
        >
            <div className='ta-count'>
                <b>{summary.total}</b>
                <span>{t('token_audit.summary.total', {owners: summary.owners})}</span>
            </div>
            <div className='ta-count'>
                <b>{summary.at_risk}</b>
                <span>{t('token_audit.summary.at_risk')}</span>
            </div>
            {findings.map((f) => (
                <button
                    key={f}
                    type='button'
                    className='ta-count'
                    data-testid={`ta-summary-${f}`}
                    aria-pressed={active.includes(f)}
                    title={findingDescription(t, f)}
                    onClick={() => onToggle(f)}
                >
                    <b>{summary.findings[f]}</b>
                    <span>{findingLabel(t, f)}</span>
                    {f === 'exceeds_max_lifetime' && coreNonCompliant !== undefined && (
                        <span
                            className='ta-muted'
                            data-testid='ta-summary-core-non-compliant'
                            title={t('token_audit.summary.core_non_compliant.title')}
                        >
                            {t('token_audit.summary.core_non_compliant', {count: coreNonCompliant})}
                        </span>
                    )}
                </button>
            ))}
        </div>
    );
}
