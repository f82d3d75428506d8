import React, {useState} from 'react';

import {getUserByUsername} from '../client';
import type {Exemption, Owner, Policy} from '../engine';

import {useT} from './intl';
import {errorText, MATTERMOST_ID, onEnter, useDates} from './util';

const MAX_EXEMPTIONS = 1000;
const MAX_REASON = 500;

interface Props {
    draft: Policy;
    owners?: Readonly<Record<string, Owner>>;
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;
    userName: (id: string) => string;
    onChange: (policy: Policy) => void;
}

export function Exemptions({draft, owners, subject, userName, onChange}: Props) {
    const t = useT();
    const dates = useDates();
    const remove = (e: Exemption) => onChange({...draft, exemptions: draft.exemptions.filter((x) => x !== e)});
    return (
        <section className='ta-section'>
            <h3>{t('token_audit.policy.exemptions')}</h3>
            {draft.exemptions.length === 0 ? <p className='ta-muted'>{t('token_audit.policy.exemptions.none')}</p> : (
                <table
                    className='ta-table'
                    data-testid='ta-exemptions'
                >
                    <thead>
                        <tr>
                            <th scope='col'>{t('token_audit.policy.exemption.subject')}</th>
                            <th scope='col'>{t('token_audit.policy.exemption.reason')}</th>
                            <th scope='col'>{t('token_audit.policy.exemption.added')}</th>
                            <th scope='col'>{t('token_audit.column.actions')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {draft.exemptions.map((e) => (
                            <tr key={`${e.kind}:${e.id}`}>
                                <td>{subject(e)}</td>
                                <td>{e.reason}</td>
                                <td>
                                    {e.added_at ? t('token_audit.policy.exemption.added_by', {user: userName(e.added_by), date: dates.date(e.added_at)}) : t('token_audit.policy.exemption.unsaved')}
                                </td>
                                <td>
                                    <button
                                        type='button'
                                        className='ta-btn ta-btn-small'
                                        aria-label={t('token_audit.policy.exemption.remove_named', {subject: subject(e)})}
                                        onClick={() => remove(e)}
                                    >
                                        {t('token_audit.policy.exemption.remove')}
                                    </button>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            <AddExemption
                draft={draft}
                owners={owners}
                onChange={onChange}
            />
        </section>
    );
}

interface AddProps {
    draft: Policy;
    owners?: Readonly<Record<string, Owner>>;
    onChange: (policy: Policy) => void;
}

function AddExemption({draft, owners, onChange}: AddProps) {
    const t = useT();
    const [kind, setKind] = useState<Exemption['kind']>('token');
    const [target, setTarget] = useState('');
    const [reason, setReason] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    // A user may be named by id or @username; a token only by its id.
    const resolve = async (): Promise<string | undefined> => {
        const value = target.trim();
        if (MATTERMOST_ID.test(value)) {
            return value;
        }
        if (kind === 'token') {
            setError(t('token_audit.policy.exemption.bad_token'));
            return undefined;
        }
        const username = value.replace(/^@/, '').toLowerCase();
        const local = Object.values(owners ?? {}).find((o) => o.username === username);
        if (local) {
            return local.id;
        }
        const found = await getUserByUsername(username);
        if (!found) {
            setError(t('token_audit.policy.exemption.no_user', {name: username}));
        }
        return found?.id;
    };

    const add = async () => {
        setError('');
        const text = reason.trim();
        if (!text || text.length > MAX_REASON) {
            setError(t('token_audit.policy.exemption.bad_reason', {max: MAX_REASON}));
            return;
        }
        if (draft.exemptions.length >= MAX_EXEMPTIONS) {
            setError(t('token_audit.policy.exemption.too_many', {max: MAX_EXEMPTIONS}));
            return;
        }
        setBusy(true);
        try {
            const id = await resolve();
            if (!id) {
                return;
            }
            if (draft.exemptions.some((e) => e.kind === kind && e.id === id)) {
                setError(t('token_audit.policy.exemption.duplicate'));
                return;
            }

            // added_by/added_at are the server's to fill in when the policy is saved.
            onChange({...draft, exemptions: [...draft.exemptions, {kind, id, reason: text, added_by: '', added_at: 0}]});
            setTarget('');
            setReason('');
        } catch (err) {
            setError(errorText(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <div
            className='ta-toolbar'
            role='group'
            aria-label={t('token_audit.policy.exemption.add_title')}
        >
            <label className='ta-field'>
                {t('token_audit.policy.exemption.kind')}
                <select
                    className='ta-select'
                    data-testid='ta-exemption-kind'
                    value={kind}
                    onChange={(e) => setKind(e.target.value as Exemption['kind'])}
                >
                    <option value='token'>{t('token_audit.policy.exemption.kind.token')}</option>
                    <option value='user'>{t('token_audit.policy.exemption.kind.user')}</option>
                </select>
            </label>
            <label className='ta-field'>
                {t(kind === 'token' ? 'token_audit.policy.exemption.token_id' : 'token_audit.policy.exemption.user')}
                <input
                    className='ta-input'
                    data-testid='ta-exemption-target'
                    value={target}
                    onChange={(e) => setTarget(e.target.value)}
                    onKeyDown={onEnter(add)}
                />
            </label>
            <label className='ta-field'>
                {t('token_audit.policy.exemption.reason')}
                <input
                    className='ta-input'
                    data-testid='ta-exemption-reason'
                    value={reason}
                    maxLength={MAX_REASON}
                    onChange={(e) => setReason(e.target.value)}
                    onKeyDown={onEnter(add)}
                />
            </label>
            <button
                type='button'
                className='ta-btn'
                data-testid='ta-exemption-add'
                disabled={busy || !target.trim() || !reason.trim()}
                onClick={add}
            >
                {t('token_audit.policy.exemption.add')}
            </button>
            {error && <span role='alert'>{error}</span>}
        </div>
    );
}
