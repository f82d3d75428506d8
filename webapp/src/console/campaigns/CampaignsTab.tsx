import React, {useCallback, useEffect, useState} from 'react';

import {cancelCampaign, disableDue, listCampaigns} from '../../client';
import {dueAt, TOKEN_STAGES, tokensIn} from '../../engine';
import type {Campaign, Owner, TokenStage} from '../../engine';
import {Button, InlineAlert} from '../shared/controls';
import {Dialog, DialogFooter} from '../shared/Dialog';
import {useDates, useT} from '../shared/intl';
import {ErrorState, Loading} from '../shared/notices';
import {useUserNames} from '../shared/users';

interface Props {
    // Owners loaded with the inventory, so that names need no further request.
    owners?: Readonly<Record<string, Owner>>;

    // Bumped by the Tokens tab when a campaign was started.
    refreshKey: number;
}

type Loaded = {status: 'loading'} | {status: 'error'; message: string} | {status: 'ready'; campaigns: Campaign[]};

// Every campaign with its tokens by stage; the due ones are disabled here with the admin's session.
export function CampaignsTab({owners, refreshKey}: Props) {
    const t = useT();
    const [loaded, setLoaded] = useState<Loaded>({status: 'loading'});
    const load = useCallback(() => {
        listCampaigns().then(
            (campaigns) => setLoaded({status: 'ready', campaigns}),
            (err: unknown) => setLoaded({status: 'error', message: err instanceof Error ? err.message : String(err)}),
        );
    }, []);
    useEffect(load, [load, refreshKey]);

    const campaigns = loaded.status === 'ready' ? loaded.campaigns : [];
    const ids = campaigns.flatMap((c) => [c.created_by, c.cancelled_by ?? '', ...c.tokens.flatMap((tok) => [tok.owner_id, tok.user_id])]);
    const nameOf = useUserNames({ids, known: owners});

    if (loaded.status === 'loading') {
        return <Loading/>;
    }
    if (loaded.status === 'error') {
        return (
            <ErrorState
                message={loaded.message}
                onRetry={load}
            />
        );
    }
    return (
        <div data-testid='ta-campaigns'>
            <div className='ta-toolbar'>
                <Button
                    testId='ta-campaigns-refresh'
                    label={t('token_audit.campaign.console.refresh')}
                    onClick={load}
                />
            </div>
            {campaigns.length === 0 && <p className='ta-muted'>{t('token_audit.campaign.console.empty')}</p>}
            {campaigns.map((c) => (
                <CampaignCard
                    key={c.id}
                    campaign={c}
                    nameOf={nameOf}
                    onChanged={load}
                />
            ))}
        </div>
    );
}

interface CardProps {
    campaign: Campaign;
    nameOf: (id: string) => string;
    onChanged: () => void;
}

function CampaignCard({campaign, nameOf, onChanged}: CardProps) {
    const t = useT();
    const dates = useDates();
    const [asking, setAsking] = useState<'disable' | 'cancel' | null>(null);
    const [message, setMessage] = useState('');
    const due = tokensIn(campaign, 'due');
    const running = campaign.cancelled_at === 0;

    const disable = async () => {
        setAsking(null);
        try {
            const {results} = await disableDue(campaign, {source: 'console'});
            const done = results.filter((r) => r.ok).length;
            setMessage(t('token_audit.campaign.console.disabled', {done, failed: results.length - done}));
        } catch (err) {
            setMessage(err instanceof Error ? err.message : String(err));
        }
        onChanged();
    };
    const cancel = async () => {
        setAsking(null);
        try {
            await cancelCampaign(campaign.id);
        } catch (err) {
            setMessage(err instanceof Error ? err.message : String(err));
        }
        onChanged();
    };
    const byStage = TOKEN_STAGES.map((stage): [TokenStage, Campaign['tokens']] => [stage, tokensIn(campaign, stage)]).filter(([, tokens]) => tokens.length > 0);

    return (
        <section
            className='ta-campaign'
            data-testid={`ta-campaign-${campaign.id}`}
        >
            <h3>{t('token_audit.campaign.console.title', {admin: `@${nameOf(campaign.created_by)}`, date: dates.dateTime(campaign.created_at)})}</h3>
            {campaign.note && <blockquote className='ta-muted'>{campaign.note}</blockquote>}
            {campaign.filter && <p>{t('token_audit.campaign.console.view', {filter: campaign.filter})}</p>}
            <p>{t('token_audit.campaign.console.dates', {due: dates.dateTime(dueAt(campaign)), days: campaign.undo_days})}</p>
            {!running && <p role='status'>{t('token_audit.campaign.console.cancelled', {admin: `@${nameOf(campaign.cancelled_by ?? '')}`, date: dates.dateTime(campaign.cancelled_at)})}</p>}
            {running && (
                <div className='ta-toolbar'>
                    {due.length > 0 && (
                        <Button
                            testId='ta-campaign-disable-due'
                            danger={true}
                            label={t('token_audit.campaign.console.disable_due', {count: due.length})}
                            onClick={() => setAsking('disable')}
                        />
                    )}
                    <Button
                        testId='ta-campaign-cancel'
                        label={t('token_audit.campaign.console.cancel')}
                        onClick={() => setAsking('cancel')}
                    />
                </div>
            )}
            <InlineAlert text={message}/>
            <table className='ta-table'>
                <thead>
                    <tr>
                        <th>{t('token_audit.campaign.console.col.stage')}</th>
                        <th>{t('token_audit.campaign.console.col.token')}</th>
                        <th>{t('token_audit.campaign.console.col.owner')}</th>
                        <th>{t('token_audit.campaign.console.col.changed')}</th>
                    </tr>
                </thead>
                <tbody>
                    {byStage.flatMap(([stage, tokens]) => tokens.map((tok) => (
                        <tr
                            key={tok.id}
                            data-testid={`ta-campaign-token-${tok.id}`}
                            data-stage={stage}
                        >
                            <td>{t(`token_audit.campaign.stage.${stage}`)}</td>
                            <td><code>{tok.id}</code></td>
                            <td>{`@${nameOf(tok.owner_id)}`}</td>
                            <td>{dates.dateTime(tok.changed_at)}</td>
                        </tr>
                    )))}
                </tbody>
            </table>
            {asking && (
                <Dialog
                    testId='ta-campaign-confirm-dialog'
                    title={asking === 'disable' ? t('token_audit.campaign.console.disable_due', {count: due.length}) : t('token_audit.campaign.console.cancel')}
                    onCancel={() => setAsking(null)}
                >
                    <p>{asking === 'disable' ? t('token_audit.campaign.console.disable_confirm', {count: due.length}) : t('token_audit.campaign.console.cancel_confirm')}</p>
                    <DialogFooter
                        cancel={{testId: 'ta-campaign-confirm-no', onClick: () => setAsking(null)}}
                        confirm={{testId: 'ta-campaign-confirm-yes', label: asking === 'disable' ? t('token_audit.campaign.console.disable_due', {count: due.length}) : t('token_audit.campaign.console.cancel'), danger: true, onClick: asking === 'disable' ? disable : cancel}}
                    />
                </Dialog>
            )}
        </section>
    );
}
