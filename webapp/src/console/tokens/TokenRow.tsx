import React, {memo} from 'react';

import {ownerName} from '../../engine';
import type {Column, Exemption, Row, TokenActionName} from '../../engine';

import {Button} from '../shared/controls';
import {findingDescription, findingLabel, useDates, useT} from '../shared/intl';
import type {Dates, Translate} from '../shared/intl';

import type {ColumnGroup} from './columns';

const RISK_FREE = new Set(['new', 'exempted']);

interface Props {
    row: Row;
    groups: ColumnGroup[];
    selected: boolean;
    now: number;

    // Where the page sends requests; the owner's picture is one.
    apiURL: string;
    onSelect: (id: string, on: boolean) => void;
    onAction?: (action: TokenActionName, row: Row) => void;
}

// Memoised: ticking one checkbox re-renders one row, not the page.
export const TokenRow = memo(function TokenRow({row, groups, selected, now, apiURL, onSelect, onAction}: Props) {
    const t = useT();
    const dates = useDates();
    const {token} = row;
    const who = rowNames(row);
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
            {groups.map((g) => (
                <td key={g.key}>
                    {g.columns.map((c) => (
                        <div
                            key={c}
                            className={`ta-field-${c}`}
                        >
                            {renderField({column: c, row, now, apiURL, t, dates})}
                        </div>
                    ))}
                </td>
            ))}
            <td>
                <div className='ta-actions'>
                    <RowAction
                        action='revoke'
                        row={row}
                        onAction={onAction}
                    />
                    <RowAction
                        action={token.is_active ? 'disable' : 'enable'}
                        row={row}
                        onAction={onAction}
                    />
                </div>
            </td>
        </tr>
    );
});

// How a row's token is named to a screen reader, where a bare "Revoke" would not say which.
function rowNames(row: Row) {
    return {description: row.token.description || row.token.id, owner: ownerName(row)};
}

interface ActionProps {
    action: TokenActionName;
    row: Row;
    onAction?: (action: TokenActionName, row: Row) => void;
}

function RowAction({action, row, onAction}: ActionProps) {
    const t = useT();
    return (
        <Button
            small={true}
            danger={action === 'revoke'}
            testId={`ta-${action}-${row.token.id}`}
            ariaLabel={t(`token_audit.action.${action}_row`, rowNames(row))}
            label={t(`token_audit.action.${action}`)}
            disabled={!onAction}
            onClick={() => onAction?.(action, row)}
        />
    );
}

interface FieldProps {
    column: Column;
    row: Row;
    now: number;
    apiURL: string;
    t: Translate;
    dates: Dates;
}

// The first field of a column reads as its value, the ones below it as muted detail lines.
function renderField({column, row, now, apiURL, t, dates}: FieldProps) {
    const {token, owner} = row;
    switch (column) {
    case 'owner':
        return (
            <div className='ta-owner'>
                <img
                    className='ta-avatar'
                    src={`${apiURL}/api/v4/users/${encodeURIComponent(token.user_id)}/image`}
                    alt=''
                    loading='lazy'
                />
                <div className='ta-owner-text'>
                    <div>
                        {owner ? <span className='ta-username'>{owner.username}</span> : <span className='ta-mono'>{token.user_id}</span>}
                        {owner?.system_admin && <span className='ta-badge'>{t('token_audit.badge.admin')}</span>}
                        {owner?.bot && <span className='ta-badge'>{t('token_audit.badge.bot')}</span>}
                        {owner?.deactivated && <span className='ta-badge'>{t('token_audit.badge.deactivated')}</span>}
                    </div>
                    <div
                        className='ta-muted ta-ellipsis'
                        title={owner?.email}
                    >
                        {owner ? owner.email : t('token_audit.owner.unknown')}
                    </div>
                </div>
            </div>
        );
    case 'description':
        return token.description ? <span className='ta-description'>{token.description}</span> : <span className='ta-muted'>{t('token_audit.description.none')}</span>;
    case 'token_id':
        return <span className='ta-mono ta-muted'>{token.id}</span>;
    case 'state':
        return token.is_active ? <span className='ta-state-active'>{t('token_audit.state.active')}</span> : <span>{t('token_audit.state.disabled')}</span>;
    case 'expires':
        if (typeof token.expires_at !== 'number') {
            return null;
        }
        if (token.expires_at === 0) {
            return <span className='ta-muted'>{t('token_audit.expires.never')}</span>;
        }
        if (token.expires_at < now) {
            return <span title={dates.dateTime(token.expires_at)}>{t('token_audit.expires.expired')}</span>;
        }
        return <span className='ta-muted'>{t('token_audit.expires.on', {date: dates.date(token.expires_at)})}</span>;
    case 'first_seen':
        return row.seen?.first_seen ? <span className='ta-muted'>{t('token_audit.first_seen.on', {date: dates.date(row.seen.first_seen)})}</span> : null;
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
                        title={f === 'exempted' && row.exemption ? exemptionTitle(t, dates, row.exemption) : findingDescription(t, f)}
                    >
                        {findingLabel(t, f)}
                    </span>
                ))}
            </div>
        );
    }
}

function exemptionTitle(t: Translate, dates: Dates, e: Exemption): string {
    return e.expires_at ? t('token_audit.finding.exempted.until', {reason: e.reason, date: dates.date(e.expires_at)}) : t('token_audit.finding.exempted.because', {reason: e.reason});
}
