import React from 'react';

import type {Row, TokenActionName} from '../engine';

import {useT} from './intl';
import type {MessageId} from './intl';
import {applies} from './plan';

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
                const count = selected.filter((r) => applies(action, r)).length;
                return (
                    <button
                        key={action}
                        type='button'
                        className={`ta-btn ${action === 'enable' ? '' : 'ta-btn-danger'}`}
                        data-testid={`ta-bulk-${action}`}
                        disabled={count === 0}
                        onClick={() => onAction(action)}
                    >
                        {t(`token_audit.bulk.${action}` as MessageId, {count})}
                    </button>
                );
            })}
            <button
                type='button'
                className='ta-btn'
                disabled={!selected.length}
                onClick={onClear}
            >
                {t('token_audit.bulk.clear')}
            </button>
        </div>
    );
}
