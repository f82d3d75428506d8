import React from 'react';

import {useT} from './intl';
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
            <label className='ta-row'>
                {t('token_audit.pager.size')}
                <select
                    className='ta-select'
                    data-testid='ta-page-size'
                    value={pageSize}
                    onChange={(e) => onPageSize(Number(e.target.value))}
                >
                    {sizes.map((s) => (
                        <option
                            key={s}
                            value={s}
                        >
                            {s}
                        </option>
                    ))}
                </select>
            </label>
            <span
                role='status'
                data-testid='ta-page-info'
            >
                {t('token_audit.pager.showing', {from, to, total})}
            </span>
            <div className='ta-row'>
                <button
                    type='button'
                    className='ta-btn'
                    data-testid='ta-page-prev'
                    disabled={page === 0}
                    onClick={() => onPage(page - 1)}
                >
                    {t('token_audit.pager.previous')}
                </button>
                <span>{t('token_audit.pager.page', {page: page + 1, count: pageCount})}</span>
                <button
                    type='button'
                    className='ta-btn'
                    data-testid='ta-page-next'
                    disabled={page >= pageCount - 1}
                    onClick={() => onPage(page + 1)}
                >
                    {t('token_audit.pager.next')}
                </button>
            </div>
        </nav>
    );
}
