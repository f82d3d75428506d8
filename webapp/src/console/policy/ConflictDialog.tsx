import React from 'react';

import {diffPolicies} from '../../engine';
import type {Exemption, Policy} from '../../engine';

import {Dialog, DialogFooter} from '../shared/Dialog';
import {useT} from '../shared/intl';

import {ChangeList} from './ChangeList';

interface Props {
    base: Policy;
    draft: Policy;
    current: Policy;
    updatedBy: string;
    updatedAt: string;
    busy: boolean;
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;
    channel: (id: string) => string;
    onReapply: () => void;
    onDiscard: () => void;
    onClose: () => void;
}

// Someone saved the policy after this admin loaded it: show both sides' edits and let them choose.
export function ConflictDialog({base, draft, current, updatedBy, updatedAt, busy, subject, channel, onReapply, onDiscard, onClose}: Props) {
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
                channel={channel}
                testId='ta-conflict-theirs'
            />
            <h3>{t('token_audit.policy.conflict.mine')}</h3>
            <ChangeList
                changes={diffPolicies(base, draft)}
                subject={subject}
                channel={channel}
                testId='ta-conflict-mine'
            />
            <DialogFooter
                cancel={{testId: 'ta-conflict-discard', disabled: busy, label: t('token_audit.policy.conflict.discard'), onClick: onDiscard}}
                confirm={{testId: 'ta-conflict-reapply', disabled: busy, label: t('token_audit.policy.conflict.reapply'), onClick: onReapply}}
            />
        </Dialog>
    );
}
