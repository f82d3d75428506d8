import React, {memo} from 'react';

import type {Column, Row, TokenActionName} from '../inventory';

import {useT} from './intl';
import type {Translate} from './intl';
import {findingDescription, findingLabel, ownerName, useDates} from './util';

const RISK_FREE = new Set(['new', 'exempted']);

interface Props {
    row: Row;
    columns: Column[];
    selected: boolean;
    now: number;
    siteURL: string;
    onSelect: (id: string, on: boolean) => void;
    onAction: (action: TokenActionName, row: Row) => void;
}

// Memoised: ticking one checkbox re-renders one row, not the page.
export const TokenRow = memo(function TokenRow({row, columns, selected, now, siteURL, onSelect, onAction}: Props) {
    const t = useT();
    const dates = useDates();
    const {token} = row;
    const who = {description: token.description || token.id, owner: ownerName(row)};
    return (
        <tr data-testid={`ta-row-${token.id}`}>
            <td>
                <input
                    type='checkbox'
                    data-testid={`ta-select-${token.id}`}
                    checked={selected}
                    aria-label={t('token_audit.table.select_row', who)}
                    onChange={(e) => onSelect(token.id, e.target.checked)}
                />
            </td>
            {columns.map((c) => (
                <td key={c}>{renderCell({column: c, row, now, siteURL, t, dates})}</td>
            ))}
            <td>
                <div className='ta-actions'>
                    <button
                        type='button'
                        className='ta-btn ta-btn-small ta-btn-danger'
                        data-testid={`ta-revoke-${token.id}`}
                        aria-label={t('token_audit.action.revoke_row', who)}
                        onClick={() => onAction('revoke', row)}
                    >
                        {t('token_audit.action.revoke')}
                    </button>
                    {token.is_active ? (
                        <button
                            type='button'
                            className='ta-btn ta-btn-small'
                            data-testid={`ta-disable-${token.id}`}
                            aria-label={t('token_audit.action.disable_row', who)}
                            onClick={() => onAction('disable', row)}
                        >
                            {t('token_audit.action.disable')}
                        </button>
                    ) : (
                        <button
                            type='button'
                            className='ta-btn ta-btn-small'
                            data-testid={`ta-enable-${token.id}`}
                            aria-label={t('token_audit.action.enable_row', who)}
                            onClick={() => onAction('enable', row)}
                        >
                            {t('token_audit.action.enable')}
                        </button>
                    )}
                </div>
            </td>
        </tr>
    );
});

interface CellProps {
    column: Column;
    row: Row;
    now: number;
    siteURL: string;
    t: Translate;
    dates: ReturnType<typeof useDates>;
}

function renderCell({column, row, now, siteURL, t, dates}: CellProps) {
    const {token, owner} = row;
    switch (column) {
    case 'owner':
        return (
            <div className='ta-owner'>
                <img
                    className='ta-avatar'
                    src={`${siteURL}/api/v4/users/${encodeURIComponent(token.user_id)}/image`}
                    alt=''
                    loading='lazy'
                />
                <div>
                    <div>
                        {owner ? <span className='ta-username'>{owner.username}</span> : <span className='ta-mono'>{token.user_id}</span>}
                        {owner?.system_admin && <span className='ta-badge'>{t('token_audit.badge.admin')}</span>}
                        {owner?.bot && <span className='ta-badge'>{t('token_audit.badge.bot')}</span>}
                        {owner?.deactivated && <span className='ta-badge'>{t('token_audit.badge.deactivated')}</span>}
                    </div>
                    <div className='ta-muted'>{owner ? owner.email : t('token_audit.owner.unknown')}</div>
                </div>
            </div>
        );
    case 'description':
        return <>{token.description}</>;
    case 'token_id':
        return <span className='ta-mono'>{token.id}</span>;
    case 'state':
        return token.is_active ? <span className='ta-state-active'>{t('token_audit.state.active')}</span> : <span>{t('token_audit.state.disabled')}</span>;
    case 'expires':
        if (typeof token.expires_at !== 'number') {
            return <span className='ta-muted'>{'—'}</span>;
        }
        if (token.expires_at === 0) {
            return <>{t('token_audit.expires.never')}</>;
        }
        if (token.expires_at < now) {
            return <span title={dates.dateTime(token.expires_at)}>{t('token_audit.expires.expired')}</span>;
        }
        return <>{dates.date(token.expires_at)}</>;
    case 'first_seen':
        return row.seen?.first_seen ? <>{dates.date(row.seen.first_seen)}</> : <span className='ta-muted'>{'—'}</span>;
    case 'last_active':
        if (row.usage?.last_active) {
            return <>{dates.dateTime(row.usage.last_active)}</>;
        }
        return <span className='ta-muted'>{t(row.usage_unknown ? 'token_audit.last_active.unknown' : 'token_audit.last_active.none')}</span>;
    case 'findings':
        return (
            <div className='ta-chips'>
                {row.findings.map((f) => (
                    <span
                        key={f}
                        className={`ta-chip ${RISK_FREE.has(f) ? 'ta-chip-info' : 'ta-chip-risk'}`}
                        data-testid={`ta-finding-${f}`}
                        title={f === 'exempted' && row.exemption ? t('token_audit.finding.exempted.because', {reason: row.exemption.reason}) : findingDescription(t, f)}
                    >
                        {findingLabel(t, f)}
                    </span>
                ))}
            </div>
        );
    }
}
