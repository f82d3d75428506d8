import {useCallback, useEffect, useMemo, useState} from 'react';

import {ALL_COLUMNS, DEFAULT_FILTERS, filterRows, pageRows, searcher, sortRows} from '../../engine';
import type {Column, Filters, Row, SavedView} from '../../engine';

export const PAGE_SIZES = [25, 50, 100, 200];

export interface Sort {
    column: Column;
    direction: 'asc' | 'desc';
}

// Riskiest first is what an admin opening the page wants to see.
const DEFAULT_SORT: Sort = {column: 'findings', direction: 'desc'};

// One empty selection, so that nothing below re-renders for a new one on every keystroke.
const NONE: Row[] = [];

// Search, filter and sort run in memory over every row, each step memoised on its own inputs, so
// paging or selecting never re-runs them and only one page of rows reaches the DOM.
interface TableOptions {
    rows: Row[];

    // Without token expiry on the server the Expires column has nothing to show.
    expirySupported: boolean;
}

export function useTableState({rows, expirySupported}: TableOptions) {
    const [query, setQueryRaw] = useState('');
    const [filters, setFiltersRaw] = useState<Filters>(DEFAULT_FILTERS);
    const [sort, setSortRaw] = useState<Sort>(DEFAULT_SORT);
    const [page, setPage] = useState(0);
    const [pageSize, setPageSizeRaw] = useState(50);
    const [columns, setColumns] = useState<Column[]>(ALL_COLUMNS.slice());
    const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

    // Sorted once per sort order; each keystroke then only searches, which keeps the order.
    const sorted = useMemo(() => sortRows(rows, sort.column, sort.direction), [rows, sort]);
    const search = useMemo(() => searcher(sorted), [sorted]);
    const found = useMemo(() => search(query), [search, query]);
    const view = useMemo(() => filterRows(found, filters), [found, filters]);
    const current = useMemo(() => pageRows(view, page, pageSize), [view, page, pageSize]);
    const visibleColumns = useMemo(() => columns.filter((c) => expirySupported || c !== 'expires'), [columns, expirySupported]);

    // The selection never reaches beyond the view, so a bulk action only touches tokens the admin can see listed.
    useEffect(() => {
        setSelected((prev) => {
            if (!prev.size) {
                return prev;
            }
            const inView = new Set(view.map((r) => r.token.id));
            const kept = [...prev].filter((id) => inView.has(id));
            return kept.length === prev.size ? prev : new Set(kept);
        });
    }, [view]);

    const setQuery = useCallback((q: string) => {
        setQueryRaw(q);
        setPage(0);
    }, []);
    const setFilters = useCallback((f: Filters) => {
        setFiltersRaw(f);
        setPage(0);
    }, []);
    const setPageSize = useCallback((size: number) => {
        setPageSizeRaw(size);
        setPage(0);
    }, []);

    // A new column starts ascending; the same column flips.
    const sortBy = useCallback((column: Column) => {
        setSortRaw((s) => (s.column === column ? {column, direction: s.direction === 'asc' ? 'desc' : 'asc'} : {column, direction: 'asc'}));
        setPage(0);
    }, []);

    const toggle = useCallback((id: string, on: boolean) => {
        setSelected((prev) => {
            const next = new Set(prev);
            if (on) {
                next.add(id);
            } else {
                next.delete(id);
            }
            return next;
        });
    }, []);

    const selectAll = useCallback((on: boolean) => {
        setSelected(on ? new Set(view.map((r) => r.token.id)) : new Set());
    }, [view]);

    const applyView = useCallback((v: SavedView) => {
        setQueryRaw(v.query);
        setFiltersRaw({...DEFAULT_FILTERS, ...v.filters});
        setSortRaw(v.sort);
        setPageSizeRaw(v.page_size);
        setColumns(v.columns.length ? v.columns : ALL_COLUMNS.slice());
        setPage(0);
    }, []);

    const selectedRows = useMemo(() => (selected.size ? view.filter((r) => selected.has(r.token.id)) : NONE), [view, selected]);

    return {
        query, setQuery, filters, setFilters, sort, sortBy, page: current.page, setPage, pageSize, setPageSize,
        columns: visibleColumns, chosenColumns: columns, view, current, selected, selectedRows, toggle, selectAll, applyView,
    };
}

export type TableState = ReturnType<typeof useTableState>;
