import React, {useCallback, useEffect, useMemo, useState} from 'react';

import {getTrail, isForbidden, messageOf} from '../../client';
import {groupTrail, isMattermostId, TRAIL_ACTIONS} from '../../engine';
import type {Owner, TrailAction, TrailEntry, TrailQuery, TrailRecord} from '../../engine';

import {Button, InlineAlert, LabelledSelect, TextField} from '../shared/controls';
import {useDates, useT} from '../shared/intl';
import type {MessageId, Translate} from '../shared/intl';
import {ErrorState} from '../shared/notices';
import {resolveUser, useUserNames} from '../shared/users';

const PAGE = 50;

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
            setError(messageOf(err));
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
    const userName = useUserNames({ids, known: owners});

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
                <Button
                    testId='ta-trail-more'
                    disabled={loading}
                    label={t('token_audit.trail.more')}
                    onClick={() => fetchPage(next)}
                />
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
                                {actionLabel(t, record.action)}
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

function describeOutcome(t: Translate, intent?: TrailRecord, outcome?: TrailRecord): string {
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

function actionLabel(t: Translate, action: TrailAction): string {
    return t(`token_audit.trail.action.${action}` as MessageId);
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
        if (!value.trim()) {
            return undefined;
        }
        const found = await resolveUser(value, owners);
        if ('unknown' in found) {
            throw new Error(t('token_audit.policy.exemption.no_user', {name: found.unknown}));
        }
        return found.id;
    };

    const apply = async () => {
        setError('');
        try {
            if (token.trim() && !isMattermostId(token.trim())) {
                throw new Error(t('token_audit.policy.exemption.bad_token'));
            }
            onApply({actor: await userId(actor), owner: await userId(owner), token: token.trim() || undefined, action: action || undefined});
        } catch (err) {
            setError(messageOf(err));
        }
    };

    const fields = [
        {label: 'token_audit.trail.filter.actor', value: actor, set: setActor, testId: 'ta-trail-actor'},
        {label: 'token_audit.trail.filter.token', value: token, set: setToken, testId: 'ta-trail-token'},
        {label: 'token_audit.trail.filter.owner', value: owner, set: setOwner, testId: 'ta-trail-owner'},
    ] as const;

    return (
        <div
            className='ta-toolbar'
            role='search'
            aria-label={t('token_audit.trail.filter')}
        >
            {fields.map((f) => (
                <TextField
                    key={f.testId}
                    label={t(f.label)}
                    testId={f.testId}
                    value={f.value}
                    onChange={f.set}
                    onEnter={apply}
                />
            ))}
            <LabelledSelect
                label={t('token_audit.trail.filter.action')}
                testId='ta-trail-action'
                value={action}
                options={[{value: '', label: t('token_audit.filter.any')}, ...TRAIL_ACTIONS.map((a) => ({value: a, label: actionLabel(t, a)}))]}
                onChange={(a) => setAction(a as TrailAction | '')}
            />
            <Button
                testId='ta-trail-apply'
                label={t('token_audit.trail.filter.apply')}
                onClick={apply}
            />
            <InlineAlert text={error}/>
        </div>
    );
}
