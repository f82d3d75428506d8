import React, {useRef} from 'react';

import type {ActionPhase, Progress} from '../client';

import {Dialog} from './Dialog';
import {useT} from './intl';
import type {MessageId} from './intl';
import type {ActionPlan} from './plan';
import {nameList} from './util';

interface Props {
    plan: ActionPlan;
    progress: Progress<ActionPhase> | null;
    onConfirm: () => void;
    onCancel: () => void;
}

// Says exactly what will happen to how many tokens of whom before anything does.
export function ConfirmDialog({plan, progress, onConfirm, onCancel}: Props) {
    const t = useT();
    const cancel = useRef<HTMLButtonElement>(null);
    const {action, targets, skipped, owners} = plan;
    const key = (suffix: string) => `token_audit.confirm.${action}.${suffix}` as MessageId;
    const busy = progress !== null;
    return (
        <Dialog
            testId='ta-confirm'
            title={t(key('title'))}
            onCancel={onCancel}
            initialFocus={cancel}
        >
            {targets.length > 0 ? (
                <p data-testid='ta-confirm-text'>
                    {t(key('summary'), {tokens: targets.length, users: owners.length, names: nameList(t, owners, 10)})}{' '}
                    {t(key('effect'))}
                </p>
            ) : (
                <p data-testid='ta-confirm-text'>{t(key('nothing'))}</p>
            )}
            {skipped.length > 0 && <p className='ta-muted'>{t(key('skipped'), {count: skipped.length})}</p>}
            <div
                role='status'
                aria-live='polite'
            >
                {progress && t(`token_audit.progress.${progress.phase}` as MessageId, {done: progress.done, total: progress.total})}
            </div>
            <div className='ta-dialog-buttons'>
                <button
                    ref={cancel}
                    type='button'
                    className='ta-btn'
                    data-testid='ta-confirm-cancel'
                    disabled={busy}
                    onClick={onCancel}
                >
                    {t('token_audit.cancel')}
                </button>
                <button
                    type='button'
                    className={`ta-btn ta-btn-primary ${action === 'enable' ? '' : 'ta-btn-danger'}`}
                    data-testid='ta-confirm-ok'
                    disabled={busy || targets.length === 0}
                    onClick={onConfirm}
                >
                    {t(key('ok'), {count: targets.length})}
                </button>
            </div>
        </Dialog>
    );
}
