import React from 'react';

import type {Exemption, Policy} from '../engine';

import {ChangeList} from './ChangeList';
import {Dialog} from './Dialog';
import {useT} from './intl';
import {diffPolicies} from '../engine';

interface Props {
    base: Policy;
    draft: Policy;
    current: Policy;
    updatedBy: string;
    updatedAt: string;
    busy: boolean;
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;
    onReapply: () => void;
    onDiscard: () => void;
    onClose: () => void;
}

// Someone saved the policy after this admin loaded it: show both sides' edits and let them choose.
export function ConflictDialog({base, draft, current, updatedBy, updatedAt, busy, subject, onReapply, onDiscard, onClose}: Props) {
    const t = useT();
    return (
        <Dialog
            testId='ta-conflict'
            title={t('token_audit.policy.conflict.title')}
            onCancel={onClose}
        >
            <p>{t('token_audit.policy.conflict.body', {user: updatedBy, date: updatedAt, version: current.version})}</p>
            <h3>{t('token_audit.policy.conflict.theirs')}</h3>
            <ChangeList
                changes={diffPolicies(base, current)}
                subject={subject}
                testId='ta-conflict-theirs'
            />
            <h3>{t('token_audit.policy.conflict.mine')}</h3>
            <ChangeList
                changes={diffPolicies(base, draft)}
                subject={subject}
                testId='ta-conflict-mine'
            />
            <div className='ta-dialog-buttons'>
                <button
                    type='button'
                    className='ta-btn'
                    data-testid='ta-conflict-discard'
                    disabled={busy}
                    onClick={onDiscard}
                >
                    {t('token_audit.policy.conflict.discard')}
                </button>
                <button
                    type='button'
                    className='ta-btn ta-btn-primary'
                    data-testid='ta-conflict-reapply'
                    disabled={busy}
                    onClick={onReapply}
                >
                    {t('token_audit.policy.conflict.reapply')}
                </button>
            </div>
        </Dialog>
    );
}
