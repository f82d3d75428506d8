import React, {useCallback, useMemo, useState} from 'react';

import {getApi, inventoryRows, isForbidden, markReviewed, messageOf} from '../../client';
import type {Inventory} from '../../client';
import {possibleFindings, summarize} from '../../engine';
import type {FindingName, Row, SavedView, TokenActionName, ViewsDoc} from '../../engine';

import {Button, InlineAlert} from '../shared/controls';
import {useDates, useT} from '../shared/intl';
import {Empty} from '../shared/notices';

import {BulkBar} from './BulkBar';
import {ConfirmDialog} from './ConfirmDialog';
import {exportRows} from './exportFile';
import {Pager} from './Pager';
import {ResultReport} from './ResultReport';
import {SavedViews} from './SavedViews';
import {StartCampaign, viewDescription} from './StartCampaign';
import {Summary} from './Summary';
import {TokenTable} from './TokenTable';
import {FilterSelects, SearchBox} from './Toolbar';
import {useTableState} from './useTableState';
import {useTokenActions} from './useTokenActions';

interface Props {
    inventory: Inventory;

    // What has arrived of an inventory still loading: search, sort and filters work on it; nothing
    // acts on it, exports it or marks it reviewed until it is whole.
    partial?: boolean;
    update: (change: (inventory: Inventory) => Inventory) => void;
    onRefused: () => void;
    onReload: () => void;

    // A clean-up was started from the current view.
    onCampaignStarted: () => void;
}

export function TokensTab({inventory, partial = false, update, onRefused, onReload, onCampaignStarted}: Props) {
    const t = useT();
    const dates = useDates();
    const {features, views, loadedAt} = inventory;
    const reviewedAt = views.last_reviewed_at;

    const rows = useMemo(() => inventoryRows(inventory), [inventory]);
    const summary = useMemo(() => summarize(rows), [rows]);
    const {expirySupported} = features;
    const table = useTableState({rows, expirySupported});
    const actions = useTokenActions({update, onRefused});
    const apiURL = useMemo(() => getApi().baseURL(), []);
    const findings = useMemo(() => possibleFindings({expirySupported}), [expirySupported]);

    const {filters, setFilters} = table;
    const toggleFinding = useCallback((f: FindingName) => {
        setFilters({...filters, findings: filters.findings.length === 1 && filters.findings[0] === f ? [] : [f]});
    }, [filters, setFilters]);

    const {request} = actions;
    const onRowAction = useCallback((action: TokenActionName, row: Row) => request(action, [row]), [request]);

    const onViewsSaved = useCallback((doc: ViewsDoc) => update((inv) => ({...inv, views: doc})), [update]);
    const snapshot = (name: string): SavedView => ({
        name,
        query: table.query,
        filters: table.filters,
        sort: table.sort,
        columns: table.chosenColumns,
        page_size: table.pageSize,
    });

    const report = (
        <div aria-live='polite'>
            {actions.report && (
                <ResultReport
                    report={actions.report}
                    leftBehind={actions.leftBehind}
                    onDismiss={actions.dismiss}
                />
            )}
        </div>
    );

    // Also reached by revoking the last token, so the report of that stays visible.
    if (!rows.length) {
        return (
            <>
                {report}
                <Empty/>
            </>
        );
    }

    return (
        <>
            <Summary
                summary={summary}
                active={table.filters.findings}
                findings={findings}
                coreNonCompliant={inventory.coreNonCompliant}
                onToggle={toggleFinding}
            />
            <div className='ta-toolbar'>
                <SearchBox
                    value={table.query}
                    onChange={table.setQuery}
                />
                <FilterSelects
                    filters={table.filters}
                    onChange={table.setFilters}
                    findings={findings}
                />
                <SavedViews
                    views={views.views}
                    snapshot={snapshot}
                    onApply={table.applyView}
                    onSaved={onViewsSaved}
                />
            </div>
            {!partial && <div className='ta-toolbar'>
                {(['csv', 'json'] as const).map((format) => (
                    <Button
                        key={format}
                        testId={`ta-export-${format}`}
                        disabled={!table.view.length}
                        label={t(`token_audit.export.${format}`, {count: table.view.length})}
                        onClick={() => exportRows(table.view, format, Date.now())}
                    />
                ))}
                <MarkReviewed
                    reviewedAt={reviewedAt}
                    formatDate={dates.dateTime}
                    onDone={onViewsSaved}
                    onRefused={onRefused}
                />
                <StartCampaign
                    rows={table.view}
                    filter={viewDescription(t, table.query, table.filters)}
                    onStarted={onCampaignStarted}
                />
                <Button
                    testId='ta-reload'
                    label={t('token_audit.reload')}
                    onClick={onReload}
                />
            </div>}
            {!partial && (
                <BulkBar
                    selected={table.selectedRows}
                    onAction={(action) => request(action, table.selectedRows)}
                    onClear={() => table.selectAll(false)}
                />
            )}
            {report}
            <TokenTable
                rows={table.current.rows}
                columns={table.columns}
                sort={table.sort}
                onSort={table.sortBy}
                selected={table.selected}
                selectedInView={table.selectedRows.length}
                viewCount={table.view.length}
                onSelect={table.toggle}
                onSelectAll={table.selectAll}
                onAction={partial ? undefined : onRowAction}
                now={loadedAt}
                apiURL={apiURL}
            />
            {table.view.length === 0 && <p className='ta-muted'>{t('token_audit.table.no_match')}</p>}
            <Pager
                page={table.current.page}
                pageCount={table.current.pageCount}
                pageSize={table.pageSize}
                total={table.current.total}
                onPage={table.setPage}
                onPageSize={table.setPageSize}
            />
            {actions.plan && (
                <ConfirmDialog
                    plan={actions.plan}
                    progress={actions.progress}
                    onConfirm={actions.confirm}
                    onCancel={actions.cancel}
                />
            )}
        </>
    );
}

interface ReviewProps {
    reviewedAt: number;
    formatDate: (ms: number) => string;
    onDone: (doc: ViewsDoc) => void;
    onRefused: () => void;
}

// Marking reviewed moves the line after which tokens count as `new`.
function MarkReviewed({reviewedAt, formatDate, onDone, onRefused}: ReviewProps) {
    const t = useT();
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const mark = async () => {
        setBusy(true);
        setError('');
        try {
            onDone(await markReviewed());
        } catch (err) {
            if (isForbidden(err)) {
                onRefused();
                return;
            }
            setError(t('token_audit.review.error', {message: messageOf(err)}));
        } finally {
            setBusy(false);
        }
    };
    return (
        <>
            <Button
                testId='ta-mark-reviewed'
                disabled={busy}
                label={t('token_audit.review.mark')}
                onClick={mark}
            />
            <span className='ta-muted'>
                {reviewedAt ? t('token_audit.review.last', {date: formatDate(reviewedAt)}) : t('token_audit.review.never')}
            </span>
            <InlineAlert text={error}/>
        </>
    );
}
