import React, {useEffect, useState} from 'react';

import {ALL_FINDINGS, OWNER_KINDS} from '../../engine';
import type {FindingName, Filters, OwnerKind} from '../../engine';

import {LabelledSelect, TextField} from '../shared/controls';
import type {Option} from '../shared/controls';
import {findingLabel, ownerKindLabel, useT} from '../shared/intl';

// What a saved view can hold.
const MAX_QUERY = 200;

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
        <TextField
            type='search'
            extraClass='ta-search'
            testId='ta-search'
            label={t('token_audit.search.label')}
            value={text}
            maxLength={MAX_QUERY}
            placeholder={t('token_audit.search.placeholder')}
            onChange={change}
            onEnter={() => onChange(text)}
        />
    );
}

interface Props {
    filters: Filters;
    onChange: (filters: Filters) => void;
    findings: readonly FindingName[];
}

export function FilterSelects({filters, onChange, findings}: Props) {
    const t = useT();
    const anyOf = <V extends string>(chosen: readonly V[], offered: readonly V[], label: (v: V) => string): Array<Option<string>> => [
        {value: '', label: t('token_audit.filter.any')},
        ...(chosen.length > 1 ? [{value: SEVERAL, label: chosen.map(label).join(', ')}] : []),
        ...offered.map((v) => ({value: v, label: label(v)})),
    ];
    const listValue = (list: readonly string[]) => (list.length > 1 ? SEVERAL : list[0] ?? '');
    const oneOf = <V extends string>(value: string): V[] => (value ? [value as V] : []);
    return (
        <>
            <LabelledSelect
                label={t('token_audit.filter.state')}
                testId='ta-filter-state'
                value={filters.state}
                options={(['all', 'active', 'inactive'] as const).map((s) => ({value: s, label: t(`token_audit.filter.state.${s}`)}))}
                onChange={(state) => onChange({...filters, state: state as Filters['state']})}
            />
            <LabelledSelect
                label={t('token_audit.filter.finding')}
                testId='ta-filter-finding'
                value={listValue(filters.findings)}
                options={anyOf(filters.findings, ALL_FINDINGS.filter((f) => findings.includes(f)), (f) => findingLabel(t, f))}
                onChange={(f) => f !== SEVERAL && onChange({...filters, findings: oneOf<FindingName>(f)})}
            />
            <LabelledSelect
                label={t('token_audit.filter.owner')}
                testId='ta-filter-owner'
                value={listValue(filters.owner_kinds)}
                options={anyOf(filters.owner_kinds, OWNER_KINDS, (k) => ownerKindLabel(t, k))}
                onChange={(k) => k !== SEVERAL && onChange({...filters, owner_kinds: oneOf<OwnerKind>(k)})}
            />
        </>
    );
}
