// What the page shows instead of, or above, a tab's content: loading, failures, refusals, empty.
import React from 'react';

import type {LoadFailure, LoadPhase, Progress} from '../../client';

import {Button} from './controls';
import {useT} from './intl';
import type {MessageId} from './intl';

// `progress` for the inventory scan; `title` alone for anything else that loads.
// Above a table of what has arrived while a large inventory loads.
export function PartialInventory({count}: {count: number}) {
    const t = useT();
    return (
        <p
            className='ta-muted'
            data-testid='ta-arrived'
        >
            {t('token_audit.loading.partial', {count})}
        </p>
    );
}

export function Loading({progress, title}: {progress?: Progress<LoadPhase>; title?: string}) {
    const t = useT();
    const known = Boolean(progress && progress.total > 0);
    const percent = known && progress ? Math.round((progress.done / progress.total) * 100) : undefined;
    const heading = title ?? t('token_audit.loading.title');
    const text = progress ? t(`token_audit.loading.${progress.phase}${known ? '' : '_count'}` as MessageId, {done: progress.done, total: progress.total}) : '';
    return (
        <div
            className='ta-banner'
            data-testid='ta-loading'
        >
            <div
                role='status'
                aria-live='polite'
            >
                {heading}{text && ' '}{text}
            </div>
            <div
                className='ta-progress'
                role='progressbar'
                aria-label={heading}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
            >
                <div style={{width: percent === undefined ? '30%' : `${percent}%`}}/>
            </div>
        </div>
    );
}

export function ErrorState({message, onRetry}: {message: string; onRetry: () => void}) {
    const t = useT();
    return (
        <div
            className='ta-banner ta-banner-error'
            data-testid='ta-error'
            role='alert'
        >
            <p>{t('token_audit.error.load', {message})}</p>
            <Button
                primary={true}
                label={t('token_audit.error.retry')}
                onClick={onRetry}
            />
        </div>
    );
}

interface NoticeProps {
    testId: string;
    tone?: 'error' | 'warning';
    role: 'alert' | 'status' | 'note';
    title: MessageId;
    body: MessageId;

    // What follows the text, such as a button.
    children?: React.ReactNode;
}

// A titled notice; the page-wide ones differ only in tone, role, text and what follows it.
export function Notice({testId, tone, role, title, body, children}: NoticeProps) {
    const t = useT();
    return (
        <div
            className={tone ? `ta-banner ta-banner-${tone}` : 'ta-banner'}
            data-testid={testId}
            role={role}
        >
            <strong>{t(title)}</strong>
            <p className={tone ? undefined : 'ta-muted'}>{t(body)}</p>
            {children}
        </div>
    );
}

export function Refused() {
    return (
        <Notice
            testId='ta-refused'
            tone='error'
            role='alert'
            title='token_audit.refused.title'
            body='token_audit.refused.body'
        />
    );
}

export function Empty() {
    return (
        <Notice
            testId='ta-empty'
            role='status'
            title='token_audit.empty.title'
            body='token_audit.empty.body'
        />
    );
}

export function TokensDisabled() {
    return (
        <Notice
            testId='ta-tokens-disabled'
            tone='warning'
            role='note'
            title='token_audit.tokens_disabled.title'
            body='token_audit.tokens_disabled.body'
        />
    );
}

// Parts that failed to load are named so the admin knows which numbers to distrust.
export function LoadWarnings({failures}: {failures: LoadFailure[]}) {
    const t = useT();
    if (!failures.length) {
        return null;
    }
    return (
        <div
            className='ta-banner ta-banner-warning'
            data-testid='ta-partial'
            role='note'
        >
            <strong>{t('token_audit.partial.title')}</strong>
            <ul>
                {failures.map((f, i) => (
                    <li key={i}>
                        {t(`token_audit.partial.${f.part}` as MessageId, {count: f.ids.length})}{' '}
                        <span className='ta-muted'>{f.message}</span>
                    </li>
                ))}
            </ul>
        </div>
    );
}

// The plugin's Enable setting is off: nothing here would answer, so nothing is offered.
export function PluginDisabled() {
    return (
        <Notice
            testId='ta-plugin-disabled'
            tone='warning'
            role='note'
            title='token_audit.plugin_disabled.title'
            body='token_audit.plugin_disabled.body'
        />
    );
}
