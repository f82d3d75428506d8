import React from 'react';

import {Button, LabelledSelect} from '../shared/controls';
import {useT} from '../shared/intl';

import {PAGE_SIZES} from './useTableState';

interface Props {
    page: number;
    pageCount: number;
    pageSize: number;
    total: number;
    onPage: (page: number) => void;
    onPageSize: (size: number) => void;
}

export function Pager({page, pageCount, pageSize, total, onPage, onPageSize}: Props) {
    const t = useT();
    const sizes = PAGE_SIZES.includes(pageSize) ? PAGE_SIZES : [...PAGE_SIZES, pageSize].sort((a, b) => a - b);
    const from = total ? (page * pageSize) + 1 : 0;
    const to = Math.min(total, (page + 1) * pageSize);
    return (
        <nav
            className='ta-pager'
            aria-label={t('token_audit.pager.label')}
        >
            <LabelledSelect
                inline={true}
                label={t('token_audit.pager.size')}
                testId='ta-page-size'
                value={pageSize}
                options={sizes.map((s) => ({value: s, label: String(s)}))}
                onChange={(size) => onPageSize(Number(size))}
            />
            <span
                role='status'
                data-testid='ta-page-info'
            >
                {t('token_audit.pager.showing', {from, to, total})}
            </span>
            <div className='ta-row'>
                <Button
                    testId='ta-page-prev'
                    disabled={page === 0}
                    label={t('token_audit.pager.previous')}
                    onClick={() => onPage(page - 1)}
                />
                <span>{t('token_audit.pager.page', {page: page + 1, count: pageCount})}</span>
                <Button
                    testId='ta-page-next'
                    disabled={page >= pageCount - 1}
                    label={t('token_audit.pager.next')}
                    onClick={() => onPage(page + 1)}
                />
            </div>
        </nav>
    );
}
