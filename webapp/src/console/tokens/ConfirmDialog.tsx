import React, {useRef} from 'react';

import type {ActionPhase, Progress} from '../../client';
import type {ActionPlan} from '../../engine';

import {Dialog, DialogFooter} from '../shared/Dialog';
import {useT} from '../shared/intl';
import type {MessageId, Translate} from '../shared/intl';

// How many owners the confirmation names before it says how many more.
const NAMES_SHOWN = 10;

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
                    {t(key('summary'), {tokens: targets.length, users: owners.length, names: nameList(t, owners)})}{' '}
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
            <DialogFooter
                cancelRef={cancel}
                cancel={{testId: 'ta-confirm-cancel', disabled: busy, onClick: onCancel}}
                confirm={{
                    testId: 'ta-confirm-ok',
                    danger: action !== 'enable',
                    disabled: busy || targets.length === 0,
                    label: t(key('ok'), {count: targets.length}),
                    onClick: onConfirm,
                }}
            />
        </Dialog>
    );
}

// Long lists of names stay readable: the first few, then how many more.
function nameList(t: Translate, names: readonly string[]): string {
    if (names.length <= NAMES_SHOWN) {
        return names.join(', ');
    }
    return t('token_audit.names.more', {names: names.slice(0, NAMES_SHOWN).join(', '), count: names.length - NAMES_SHOWN});
}
