import React, {useState} from 'react';

import {messageOf} from '../../client';
import {exemptionActive, exemptionEndValid, isMattermostId, MAX_EXEMPTION_DAYS, MAX_EXEMPTION_REASON, MAX_EXEMPTIONS} from '../../engine';
import type {Exemption, Owner, Policy} from '../../engine';

import {Button, InlineAlert, LabelledSelect, TextField} from '../shared/controls';
import {useDates, useT} from '../shared/intl';
import {resolveUser} from '../shared/users';

interface Props {
    draft: Policy;
    owners?: Readonly<Record<string, Owner>>;
    subject: (e: Pick<Exemption, 'kind' | 'id'>) => string;
    userName: (id: string) => string;

    // The clock exemptions are judged by: the inventory's load time, as the Tokens tab judges them.
    now: number;
    onChange: (policy: Policy) => void;
}

export function Exemptions({draft, owners, subject, userName, now, onChange}: Props) {
    const t = useT();
    const dates = useDates();
    const endText = (e: Exemption) => {
        if (!e.expires_at) {
            return t('token_audit.policy.exemption.never');
        }
        return exemptionActive(e, now) ? dates.date(e.expires_at) : t('token_audit.policy.exemption.ended', {date: dates.date(e.expires_at)});
    };
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
                            <th scope='col'>{t('token_audit.policy.exemption.ends')}</th>
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
                                <td data-testid={`ta-exemption-end-${e.id}`}>
                                    {endText(e)}
                                </td>
                                <td>
                                    <Button
                                        small={true}
                                        ariaLabel={t('token_audit.policy.exemption.remove_named', {subject: subject(e)})}
                                        label={t('token_audit.policy.exemption.remove')}
                                        onClick={() => remove(e)}
                                    />
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
    const [until, setUntil] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    // A user may be named by id or @username; a token only by its id.
    const resolve = async (): Promise<string | undefined> => {
        if (kind === 'token' && !isMattermostId(target.trim())) {
            setError(t('token_audit.policy.exemption.bad_token'));
            return undefined;
        }
        const found = await resolveUser(target, owners);
        if ('unknown' in found) {
            setError(t('token_audit.policy.exemption.no_user', {name: found.unknown}));
            return undefined;
        }
        return found.id;
    };

    const add = async () => {
        setError('');
        const text = reason.trim();
        if (!text || text.length > MAX_EXEMPTION_REASON) {
            setError(t('token_audit.policy.exemption.bad_reason', {max: MAX_EXEMPTION_REASON}));
            return;
        }
        // The day picked is the first day the token is judged again, from midnight where the admin is.
        const expiresAt = until ? new Date(`${until}T00:00:00`).getTime() : 0;
        if (!exemptionEndValid(expiresAt, Date.now())) {
            setError(t('token_audit.policy.exemption.bad_end', {max: MAX_EXEMPTION_DAYS}));
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
            const exemption: Exemption = {kind, id, reason: text, added_by: '', added_at: 0, ...(expiresAt ? {expires_at: expiresAt} : {})};
            onChange({...draft, exemptions: [...draft.exemptions, exemption]});
            setTarget('');
            setReason('');
            setUntil('');
        } catch (err) {
            setError(messageOf(err));
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
            <LabelledSelect
                label={t('token_audit.policy.exemption.kind')}
                testId='ta-exemption-kind'
                value={kind}
                options={(['token', 'user'] as const).map((k) => ({value: k, label: t(`token_audit.policy.exemption.kind.${k}`)}))}
                onChange={(k) => setKind(k as Exemption['kind'])}
            />
            <TextField
                label={t(kind === 'token' ? 'token_audit.policy.exemption.token_id' : 'token_audit.policy.exemption.user')}
                testId='ta-exemption-target'
                value={target}
                onChange={setTarget}
                onEnter={add}
            />
            <TextField
                label={t('token_audit.policy.exemption.reason')}
                testId='ta-exemption-reason'
                value={reason}
                maxLength={MAX_EXEMPTION_REASON}
                onChange={setReason}
                onEnter={add}
            />
            <TextField
                type='date'
                label={t('token_audit.policy.exemption.until')}
                testId='ta-exemption-until'
                value={until}
                onChange={setUntil}
                onEnter={add}
            />
            <Button
                testId='ta-exemption-add'
                disabled={busy || !target.trim() || !reason.trim()}
                label={t('token_audit.policy.exemption.add')}
                onClick={add}
            />
            <InlineAlert text={error}/>
        </div>
    );
}
