import React, {useCallback, useEffect, useMemo, useState} from 'react';

import {getPolicy, isForbidden, messageOf, savePolicy} from '../../client';
import type {Inventory} from '../../client';
import {changesJudgement, diffPolicies, policyToInput, rebasePolicy, thresholdsValid, watchProblems} from '../../engine';
import type {Exemption, Policy} from '../../engine';

import {Button} from '../shared/controls';
import {useDates, useT} from '../shared/intl';
import {ErrorState, Loading} from '../shared/notices';
import {useUserNames} from '../shared/users';

import {ChangeList} from './ChangeList';
import {ConflictDialog} from './ConflictDialog';
import {Exemptions} from './Exemptions';
import {useChannelNames} from './channels';
import {PolicyForm} from './PolicyForm';
import {Watching} from './Watching';
import {LifetimeWhatIfSection, PolicyWhatIfSection, whatIfFacts} from './WhatIf';

interface Props {
    inventory?: Inventory;
    onSaved: (policy: Policy) => void;
    onRefused: () => void;
}

type Notice = {kind: 'ok' | 'error'; text: string} | null;

// The editor keeps the policy it started from (`base`) next to the admin's `draft`, so a conflicting
// save can show both sides' edits and replay the admin's on the newer policy.
export function PolicyTab({inventory, onSaved, onRefused}: Props) {
    const t = useT();
    const dates = useDates();
    const [loadError, setLoadError] = useState('');
    const [attempt, setAttempt] = useState(0);
    const [base, setBase] = useState<Policy | null>(null);
    const [draft, setDraft] = useState<Policy | null>(null);
    const [conflict, setConflict] = useState<Policy | null>(null);
    const [saving, setSaving] = useState(false);
    const [notice, setNotice] = useState<Notice>(null);

    useEffect(() => {
        const ctrl = new AbortController();
        setLoadError('');
        getPolicy({signal: ctrl.signal}).then((p) => {
            setBase(p);
            setDraft(p);
        }, (err: unknown) => {
            if (ctrl.signal.aborted) {
                return;
            }
            if (isForbidden(err)) {
                onRefused();
            } else {
                setLoadError(messageOf(err));
            }
        });
        return () => ctrl.abort();
    }, [attempt, onRefused]);

    const ids = useMemo(() => [base, draft, conflict].flatMap((p) => (p ? [p.updated_by, ...p.exemptions.flatMap((e) => [e.added_by, e.kind === 'user' ? e.id : ''])] : [])), [base, draft, conflict]);
    const userName = useUserNames({ids, known: inventory?.owners});
    const tokens = useMemo(() => new Map((inventory?.tokens ?? []).map((tk) => [tk.id, tk])), [inventory?.tokens]);
    const subject = useCallback((e: Pick<Exemption, 'kind' | 'id'>) => {
        if (e.kind === 'user') {
            return t('token_audit.policy.subject.user', {name: userName(e.id)});
        }
        const token = tokens.get(e.id);
        return token ? t('token_audit.policy.subject.token', {description: token.description, owner: userName(token.user_id), id: e.id}) : t('token_audit.policy.subject.token_id', {id: e.id});
    }, [t, userName, tokens]);
    const facts = useMemo(() => (inventory ? whatIfFacts(inventory) : undefined), [inventory]);
    const channelIds = useMemo(() => [base, draft, conflict].flatMap((p) => (p ? [p.watch.alert_channel_id, p.watch.digest.channel_id] : [])), [base, draft, conflict]);
    const {label: channel, remember: rememberChannel} = useChannelNames(channelIds);

    if (loadError) {
        return (
            <ErrorState
                message={loadError}
                onRetry={() => setAttempt((a) => a + 1)}
            />
        );
    }
    if (!base || !draft) {
        return <Loading title={t('token_audit.policy.loading')}/>;
    }

    const changes = diffPolicies(base, draft);

    const judged = changes.filter(changesJudgement);

    // Exemptions are judged as of the inventory's load, as the Tokens tab judges them.
    const now = inventory?.loadedAt ?? Date.now();
    const valid = thresholdsValid(draft) && watchProblems(draft.watch).length === 0;

    const save = async (policy: Policy, version: number) => {
        setSaving(true);
        setNotice(null);
        try {
            const res = await savePolicy(policyToInput({...policy, version}));
            if (res.ok) {
                setBase(res.policy);
                setDraft(res.policy);
                setConflict(null);
                onSaved(res.policy);
                setNotice({kind: 'ok', text: t('token_audit.policy.saved', {version: res.policy.version})});
            } else {
                setConflict(res.current);
            }
        } catch (err) {
            if (isForbidden(err)) {
                onRefused();
                return;
            }
            setNotice({kind: 'error', text: t('token_audit.policy.save_error', {message: messageOf(err)})});
        } finally {
            setSaving(false);
        }
    };

    const reapply = () => {
        if (!conflict) {
            return;
        }
        const rebased = rebasePolicy(base, draft, conflict);
        setBase(conflict);
        setDraft(rebased);
        setConflict(null);
        save(rebased, conflict.version);
    };

    const discard = () => {
        if (!conflict) {
            return;
        }
        setBase(conflict);
        setDraft(conflict);
        setConflict(null);
        onSaved(conflict);
        setNotice({kind: 'ok', text: t('token_audit.policy.discarded', {version: conflict.version})});
    };

    return (
        <div data-testid='ta-policy'>
            <p className='ta-muted'>
                {base.version ? t('token_audit.policy.version', {version: base.version, user: userName(base.updated_by), date: dates.dateTime(base.updated_at)}) : t('token_audit.policy.default')}
            </p>
            <PolicyForm
                draft={draft}
                expirySupported={inventory?.features.expirySupported ?? true}
                onChange={setDraft}
            />
            <Exemptions
                draft={draft}
                owners={inventory?.owners}
                subject={subject}
                userName={userName}
                now={now}
                onChange={setDraft}
            />
            {facts && judged.length > 0 && (
                <PolicyWhatIfSection
                    facts={facts}
                    saved={base}
                    edited={draft}
                />
            )}
            {facts && <LifetimeWhatIfSection facts={facts}/>}
            <Watching
                draft={draft}
                channelLabel={channel}
                onChannelSeen={rememberChannel}
                onChange={setDraft}
            />
            {changes.length > 0 && (
                <section className='ta-section'>
                    <h3>{t('token_audit.policy.pending')}</h3>
                    <ChangeList
                        changes={changes}
                        subject={subject}
                        channel={channel}
                    />
                </section>
            )}
            <div className='ta-row'>
                <Button
                    primary={true}
                    testId='ta-policy-save'
                    disabled={saving || !changes.length || !valid}
                    label={t('token_audit.policy.save')}
                    onClick={() => save(draft, base.version)}
                />
                <Button
                    testId='ta-policy-reset'
                    disabled={saving || !changes.length}
                    label={t('token_audit.policy.reset')}
                    onClick={() => setDraft(base)}
                />
                <span
                    role='status'
                    data-testid='ta-policy-status'
                >
                    {saving ? t('token_audit.policy.saving') : notice?.kind === 'ok' && notice.text}
                </span>
            </div>
            {notice?.kind === 'error' && (
                <p
                    role='alert'
                    className='ta-banner ta-banner-error'
                >
                    {notice.text}
                </p>
            )}
            {conflict && (
                <ConflictDialog
                    base={base}
                    draft={draft}
                    current={conflict}
                    updatedBy={userName(conflict.updated_by)}
                    updatedAt={conflict.updated_at ? dates.dateTime(conflict.updated_at) : ''}
                    busy={saving}
                    subject={subject}
                    channel={channel}
                    onReapply={reapply}
                    onDiscard={discard}
                    onClose={() => setConflict(null)}
                />
            )}
        </div>
    );
}
