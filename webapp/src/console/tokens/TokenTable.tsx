import React, {useEffect, useMemo, useRef} from 'react';

import type {Column, Row, TokenActionName} from '../../engine';

import {useT} from '../shared/intl';
import type {MessageId} from '../shared/intl';

import {visibleGroups} from './columns';
import {TokenRow} from './TokenRow';
import type {Sort} from './useTableState';

interface Props {
    rows: Row[];
    columns: Column[];
    sort: Sort;
    onSort: (column: Column) => void;
    selected: ReadonlySet<string>;
    selectedInView: number;
    viewCount: number;
    onSelect: (id: string, on: boolean) => void;
    onSelectAll: (on: boolean) => void;
    // Absent while the inventory is partial: the row actions show, disabled, and the table is
    // ta-table-partial, so that whoever waits for ta-table gets the whole inventory.
    onAction?: (action: TokenActionName, row: Row) => void;
    now: number;
    apiURL: string;
}

export function TokenTable(props: Props) {
    const t = useT();
    const {rows, columns, sort, onSort, selected, selectedInView, viewCount, onSelectAll} = props;
    const all = useRef<HTMLInputElement>(null);
    const allChecked = viewCount > 0 && selectedInView === viewCount;
    // The same groups from one render to the next, so that a row still on the page is not rendered again.
    const groups = useMemo(() => visibleGroups(columns), [columns]);

    useEffect(() => {
        if (all.current) {
            all.current.indeterminate = selectedInView > 0 && !allChecked;
        }
    }, [selectedInView, allChecked]);

    return (
        <div className='ta-table-wrap'>
            <table
                className='ta-table'
                data-testid={props.onAction ? 'ta-table' : 'ta-table-partial'}
            >
                <caption className='ta-sr'>{t('token_audit.table.caption', {count: viewCount})}</caption>
                <thead>
                    <tr>
                        <th
                            scope='col'
                            className='ta-col-select'
                        >
                            <input
                                ref={all}
                                type='checkbox'
                                data-testid='ta-select-all'
                                checked={allChecked}
                                disabled={viewCount === 0}
                                aria-label={t('token_audit.table.select_all', {count: viewCount})}
                                onChange={(e) => onSelectAll(e.target.checked)}
                            />
                        </th>
                        {groups.map((group) => {
                            const sorted = group.columns.includes(sort.column);
                            let ariaSort: 'ascending' | 'descending' | 'none' = 'none';
                            if (sorted) {
                                ariaSort = sort.direction === 'asc' ? 'ascending' : 'descending';
                            }
                            const hint = group.columns.includes('last_active') ? t('token_audit.column.last_active.hint') : undefined;
                            return (
                                <th
                                    key={group.key}
                                    scope='col'
                                    className={`ta-col-${group.key}`}
                                    aria-sort={ariaSort}
                                    title={hint}
                                >
                                    {group.columns.map((c, i) => (
                                        <React.Fragment key={c}>
                                            {i > 0 && <span aria-hidden='true'>{' / '}</span>}
                                            <button
                                                type='button'
                                                className='ta-sort'
                                                data-testid={`ta-sort-${c}`}
                                                aria-pressed={sort.column === c}
                                                aria-describedby={c === 'last_active' ? 'ta-last-active-hint' : undefined}
                                                onClick={() => onSort(c)}
                                            >
                                                {t(`token_audit.column.${c}` as MessageId)}
                                                <span aria-hidden='true'>{sort.column === c ? arrow(ariaSort) : ''}</span>
                                            </button>
                                        </React.Fragment>
                                    ))}
                                    {hint && (
                                        <span
                                            id='ta-last-active-hint'
                                            className='ta-sr'
                                        >
                                            {hint}
                                        </span>
                                    )}
                                </th>
                            );
                        })}
                        <th
                            scope='col'
                            className='ta-col-actions'
                        >
                            {t('token_audit.column.actions')}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows.map((row) => (
                        <TokenRow
                            key={row.token.id}
                            row={row}
                            groups={groups}
                            selected={selected.has(row.token.id)}
                            now={props.now}
                            apiURL={props.apiURL}
                            onSelect={props.onSelect}
                            onAction={props.onAction}
                        />
                    ))}
                </tbody>
            </table>
        </div>
    );
}

function arrow(sort: 'ascending' | 'descending' | 'none'): string {
    if (sort === 'none') {
        return '';
    }
    return sort === 'ascending' ? ' ▲' : ' ▼';
}
