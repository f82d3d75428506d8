import React from 'react';

import {actionApplies} from '../../engine';
import type {Row, TokenActionName} from '../../engine';

import {Button} from '../shared/controls';
import {useT} from '../shared/intl';
import type {MessageId} from '../shared/intl';

const ACTIONS: readonly TokenActionName[] = ['revoke', 'disable', 'enable'];

interface Props {
    selected: Row[];
    onAction: (action: TokenActionName) => void;
    onClear: () => void;
}

export function BulkBar({selected, onAction, onClear}: Props) {
    const t = useT();
    return (
        <div
            className='ta-toolbar'
            role='group'
            aria-label={t('token_audit.bulk.label')}
        >
            <span
                role='status'
                data-testid='ta-selected-count'
            >
                {t('token_audit.bulk.selected', {count: selected.length})}
            </span>
            {ACTIONS.map((action) => {
                const count = selected.filter((r) => actionApplies(action, r)).length;
                return (
                    <Button
                        key={action}
                        danger={action !== 'enable'}
                        testId={`ta-bulk-${action}`}
                        disabled={count === 0}
                        label={t(`token_audit.bulk.${action}` as MessageId, {count})}
                        onClick={() => onAction(action)}
                    />
                );
            })}
            <Button
                disabled={!selected.length}
                label={t('token_audit.bulk.clear')}
                onClick={onClear}
            />
        </div>
    );
}
