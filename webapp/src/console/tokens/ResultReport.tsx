import React, {useEffect, useRef} from 'react';

import {ownerName} from '../../engine';

import {Button} from '../shared/controls';
import {useT} from '../shared/intl';
import type {MessageId} from '../shared/intl';

import type {ActionReport} from './useTokenActions';

// Lists every token the action failed for, with the server's reason, so nothing fails silently.
// `leftBehind`: the run went on after the admin left the page, and this is the next visit.
export function ResultReport({report, leftBehind, onDismiss}: {report: ActionReport; leftBehind?: boolean; onDismiss: () => void}) {
    const t = useT();
    const heading = useRef<HTMLHeadingElement>(null);
    const {plan, run, error} = report;

    // The row whose button opened the dialog may be gone (revoked), so focus lands here instead.
    useEffect(() => heading.current?.focus(), [report]);

    const rows = new Map(plan.targets.map((r) => [r.token.id, r]));
    const failed = run?.results.filter((r) => !r.ok) ?? [];
    const ok = (run?.results.length ?? 0) - failed.length;
    let title: string;
    if (!run) {
        title = t('token_audit.result.nothing', {message: error ?? ''});
    } else {
        title = t(`token_audit.result.${plan.action}` as MessageId, {ok, total: run.results.length, failed: failed.length});
    }
    return (
        <section
            className={`ta-banner ${failed.length || !run ? 'ta-banner-error' : ''}`}
            data-testid='ta-result'
            aria-labelledby='ta-result-title'
        >
            <h3
                id='ta-result-title'
                ref={heading}
                tabIndex={-1}
            >
                {title}
            </h3>
            {failed.length > 0 && (
                <ul data-testid='ta-result-failures'>
                    {failed.map((f) => {
                        const row = rows.get(f.tokenId);
                        return (
                            <li key={f.tokenId}>
                                {t('token_audit.result.failure', {
                                    description: row?.token.description || f.tokenId,
                                    id: f.tokenId,
                                    owner: row ? ownerName(row) : '',
                                    reason: f.error || t('token_audit.result.unknown_reason'),
                                })}
                            </li>
                        );
                    })}
                </ul>
            )}
            {leftBehind && run && (
                <p data-testid='ta-result-left-behind'>
                    {t(run.trailError ? 'token_audit.result.left_behind_unrecorded' : 'token_audit.result.left_behind')}
                </p>
            )}
            {run?.trailError && <p>{t('token_audit.result.trail_error', {message: run.trailError})}</p>}
            <Button
                label={t('token_audit.result.dismiss')}
                onClick={onDismiss}
            />
        </section>
    );
}
