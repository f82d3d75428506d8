import React, {useCallback, useEffect, useMemo, useState} from 'react';

import {getTrail, getUserByUsername} from '../client';
import type {Owner, TrailAction, TrailQuery, TrailRecord} from '../engine';

import {useT} from './intl';
import type {MessageId} from './intl';
import {ErrorState} from './states';
import {groupTrail} from './trail';
import type {TrailEntry} from './trail';
import {useUserNames} from './useUserNames';
import {errorText, isForbidden, MATTERMOST_ID, onEnter, useDates} from './util';

const PAGE = 50;
const ACTIONS: readonly TrailAction[] = ['revoke', 'disable', 'enable', 'bulk_revoke', 'bulk_disable', 'bulk_enable', 'policy_update'];

interface Props {
    owners?: Readonly<Record<string, Owner>>;
    onRefused: () => void;
}

type Filter = Pick<TrailQuery, 'actor' | 'token' | 'owner' | 'action'>;

export function TrailTab({owners, onRefused}: Props) {
    const t = useT();
    const [filter, setFilter] = useState<Filter>({});
    const [records, setRecords] = useState<TrailRecord[]>([]);
    const [next, setNext] = useState('');
    const [loading, setLoading] = useState(true);
    const [error, setError] = useState('');
    const [attempt, setAttempt] = useState(0);

    const fetchPage = useCallback(async (before: string, signal?: AbortSignal) => {
        setLoading(true);
        setError('');
        try {
            const page = await getTrail({...filter, limit: PAGE, before: before || undefined}, {signal});
            setRecords((prev) => (before ? [...prev, ...page.records] : page.records));
            setNext(page.next);
        } catch (err) {
            if (signal?.aborted) {
                return;
            }
            if (isForbidden(err)) {
                onRefused();
                return;
            }
            setError(errorText(err));
        } finally {
            if (!signal?.aborted) {
                setLoading(false);
            }
        }
    }, [filter, onRefused]);

    useEffect(() => {
        const ctrl = new AbortController();
        fetchPage('', ctrl.signal);
        return () => ctrl.abort();
    }, [fetchPage, attempt]);

    const entries = useMemo(() => groupTrail(records), [records]);
    const ids = useMemo(() => records.flatMap((r) => [r.actor_id, r.owner_id]), [records]);
    const userName = useUserNames(ids, owners);

    return (
        <div data-testid='ta-trail-tab'>
            <TrailFilters
                owners={owners}
                onApply={setFilter}
            />
            {error && (
                <ErrorState
                    message={error}
                    onRetry={() => setAttempt((a) => a + 1)}
                />
            )}
            <TrailTable
                entries={entries}
                userName={userName}
                empty={loading ? t('token_audit.trail.loading') : t('token_audit.trail.empty')}
            />
            {next && (
                <button
                    type='button'
                    className='ta-btn'
                    data-testid='ta-trail-more'
                    disabled={loading}
                    onClick={() => fetchPage(next)}
                >
                    {t('token_audit.trail.more')}
                </button>
            )}
        </div>
    );
}

interface TableProps {
    entries: TrailEntry[];
    userName: (id: string) => string;

    // What the body says while there is no record to show.
    empty: string;
}

const COLUMNS = ['when', 'actor', 'action', 'token', 'owner', 'source', 'outcome'] as const;

function TrailTable({entries, userName, empty}: TableProps) {
    const t = useT();
    const dates = useDates();
    return (
        <div className='ta-table-wrap'>
            <table
                className='ta-table'
                data-testid='ta-trail'
            >
                <thead>
                    <tr>
                        {COLUMNS.map((c) => (
                            <th
                                key={c}
                                scope='col'
                            >
                                {t(`token_audit.trail.col.${c}`)}
                            </th>
                        ))}
                    </tr>
                </thead>
                <tbody aria-live='polite'>
                    {entries.length === 0 && (
                        <tr>
                            <td
                                colSpan={COLUMNS.length}
                                className='ta-muted'
                            >
                                {empty}
                            </td>
                        </tr>
                    )}
                    {entries.map(({key, intent, outcome, record}) => (
                        <tr
                            key={key}
                            data-testid={`ta-trail-${record.action_id}`}
                        >
                            <td>{dates.dateTime((intent ?? record).at)}</td>
                            <td>{userName(record.actor_id)}</td>
                            <td>
                                {t(`token_audit.trail.action.${record.action}` as MessageId)}
                                {record.count > 0 && <span className='ta-muted'>{' '}{t('token_audit.trail.count', {count: record.count})}</span>}
                            </td>
                            <td className='ta-mono'>{record.token_id}</td>
                            <td>{record.owner_id ? userName(record.owner_id) : ''}</td>
                            <td>{t(`token_audit.trail.source.${record.source}` as MessageId)}</td>
                            <td>{describeOutcome(t, intent, outcome)}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
        </div>
    );
}

function describeOutcome(t: ReturnType<typeof useT>, intent?: TrailRecord, outcome?: TrailRecord): string {
    if (!outcome) {
        return t('token_audit.trail.outcome.missing');
    }
    let text = outcome.outcome === 'error' ? t('token_audit.trail.outcome.error', {error: outcome.error}) : t('token_audit.trail.outcome.ok');
    if (outcome.detail) {
        text += ` — ${outcome.detail}`;
    }
    if (intent && outcome.at !== intent.at) {
        text += ` ${t('token_audit.trail.outcome.after', {seconds: Math.max(0, Math.round((outcome.at - intent.at) / 1000))})}`;
    }
    return text;
}

function TrailFilters({owners, onApply}: {owners?: Readonly<Record<string, Owner>>; onApply: (f: Filter) => void}) {
    const t = useT();
    const [actor, setActor] = useState('');
    const [owner, setOwner] = useState('');
    const [token, setToken] = useState('');
    const [action, setAction] = useState<TrailAction | ''>('');
    const [error, setError] = useState('');

    // Users are typed as @username or id; the API wants ids.
    const userId = async (value: string): Promise<string | undefined> => {
        const v = value.trim();
        if (!v || MATTERMOST_ID.test(v)) {
            return v || undefined;
        }
        const name = v.replace(/^@/, '').toLowerCase();
        const local = Object.values(owners ?? {}).find((o) => o.username === name);
        const id = local?.id ?? (await getUserByUsername(name))?.id;
        if (!id) {
            throw new Error(t('token_audit.policy.exemption.no_user', {name}));
        }
        return id;
    };

    const apply = async () => {
        setError('');
        try {
            if (token.trim() && !MATTERMOST_ID.test(token.trim())) {
                throw new Error(t('token_audit.policy.exemption.bad_token'));
            }
            onApply({actor: await userId(actor), owner: await userId(owner), token: token.trim() || undefined, action: action || undefined});
        } catch (err) {
            setError(errorText(err));
        }
    };

    const input = (label: MessageId, value: string, set: (v: string) => void, testId: string) => (
        <label className='ta-field'>
            {t(label)}
            <input
                className='ta-input'
                data-testid={testId}
                value={value}
                onChange={(e) => set(e.target.value)}
                onKeyDown={onEnter(apply)}
            />
        </label>
    );

    return (
        <div
            className='ta-toolbar'
            role='search'
            aria-label={t('token_audit.trail.filter')}
        >
            {input('token_audit.trail.filter.actor', actor, setActor, 'ta-trail-actor')}
            {input('token_audit.trail.filter.token', token, setToken, 'ta-trail-token')}
            {input('token_audit.trail.filter.owner', owner, setOwner, 'ta-trail-owner')}
            <label className='ta-field'>
                {t('token_audit.trail.filter.action')}
                <select
                    className='ta-select'
                    data-testid='ta-trail-action'
                    value={action}
                    onChange={(e) => setAction(e.target.value as TrailAction | '')}
                >
                    <option value=''>{t('token_audit.filter.any')}</option>
                    {ACTIONS.map((a) => (
                        <option
                            key={a}
                            value={a}
                        >
                            {t(`token_audit.trail.action.${a}` as MessageId)}
                        </option>
                    ))}
                </select>
            </label>
            <button
                type='button'
                className='ta-btn'
                data-testid='ta-trail-apply'
                onClick={apply}
            >
                {t('token_audit.trail.filter.apply')}
            </button>
            {error && <span role='alert'>{error}</span>}
        </div>
    );
}
