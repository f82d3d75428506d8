import React, {useEffect, useState} from 'react';

import {ALL_FINDINGS} from '../engine';
import type {FindingName, Filters, OwnerKind} from '../engine';

import {useT} from './intl';
import {findingLabel, onEnter, ownerKindLabel} from './util';

// What a saved view can hold.
const MAX_QUERY = 200;
const OWNER_KINDS: readonly OwnerKind[] = ['user', 'bot', 'admin', 'deactivated'];

// Lists chosen in a saved view may hold several values; the select then offers that combination as is.
const SEVERAL = '__several';

export function SearchBox({value, onChange}: {value: string; onChange: (q: string) => void}) {
    const t = useT();
    const [text, setText] = useState(value);

    // A saved view can change the query from outside.
    useEffect(() => setText(value), [value]);

    // Filtering 10,000 rows takes a few milliseconds, so every keystroke searches at once.
    const change = (next: string) => {
        setText(next);
        onChange(next);
    };

    return (
        <label className='ta-field'>
            {t('token_audit.search.label')}
            <input
                type='search'
                className='ta-input ta-search'
                data-testid='ta-search'
                value={text}
                maxLength={MAX_QUERY}
                placeholder={t('token_audit.search.placeholder')}
                onChange={(e) => change(e.target.value)}

                // Enter would submit the System Console's own settings form around the page.
                onKeyDown={onEnter(() => onChange(text))}
            />
        </label>
    );
}

interface Props {
    filters: Filters;
    onChange: (filters: Filters) => void;
    findings: readonly FindingName[];
}

export function FilterSelects({filters, onChange, findings}: Props) {
    const t = useT();
    const listValue = (list: readonly string[]) => (list.length > 1 ? SEVERAL : list[0] ?? '');
    return (
        <>
            <label className='ta-field'>
                {t('token_audit.filter.state')}
                <select
                    className='ta-select'
                    data-testid='ta-filter-state'
                    value={filters.state}
                    onChange={(e) => onChange({...filters, state: e.target.value as Filters['state']})}
                >
                    <option value='all'>{t('token_audit.filter.state.all')}</option>
                    <option value='active'>{t('token_audit.filter.state.active')}</option>
                    <option value='inactive'>{t('token_audit.filter.state.inactive')}</option>
                </select>
            </label>
            <label className='ta-field'>
                {t('token_audit.filter.finding')}
                <select
                    className='ta-select'
                    data-testid='ta-filter-finding'
                    value={listValue(filters.findings)}
                    onChange={(e) => e.target.value !== SEVERAL && onChange({...filters, findings: e.target.value ? [e.target.value as FindingName] : []})}
                >
                    <option value=''>{t('token_audit.filter.any')}</option>
                    {filters.findings.length > 1 && (
                        <option value={SEVERAL}>{filters.findings.map((f) => findingLabel(t, f)).join(', ')}</option>
                    )}
                    {ALL_FINDINGS.filter((f) => findings.includes(f)).map((f) => (
                        <option
                            key={f}
                            value={f}
                        >
                            {findingLabel(t, f)}
                        </option>
                    ))}
                </select>
            </label>
            <label className='ta-field'>
                {t('token_audit.filter.owner')}
                <select
                    className='ta-select'
                    data-testid='ta-filter-owner'
                    value={listValue(filters.owner_kinds)}
                    onChange={(e) => e.target.value !== SEVERAL && onChange({...filters, owner_kinds: e.target.value ? [e.target.value as OwnerKind] : []})}
                >
                    <option value=''>{t('token_audit.filter.any')}</option>
                    {filters.owner_kinds.length > 1 && (
                        <option value={SEVERAL}>{filters.owner_kinds.map((k) => ownerKindLabel(t, k)).join(', ')}</option>
                    )}
                    {OWNER_KINDS.map((k) => (
                        <option
                            key={k}
                            value={k}
                        >
                            {ownerKindLabel(t, k)}
                        </option>
                    ))}
                </select>
            </label>
        </>
    );
}
