import React, {useState} from 'react';

import {startCampaign} from '../../client';
import {CAMPAIGN_DEFAULTS, CAMPAIGN_LIMITS, campaignProblems} from '../../engine';
import type {CampaignInput, CampaignProblem, Filters, Row} from '../../engine';
import {Button, InlineAlert, TextField} from '../shared/controls';
import {Dialog, DialogFooter} from '../shared/Dialog';
import {useT} from '../shared/intl';
import {findingLabel, ownerKindLabel} from '../shared/intl';
import type {Translate} from '../shared/intl';

interface Props {
    // The tokens of the current filtered view.
    rows: readonly Row[];

    // How the view was filtered, in words, to remember where the tokens came from.
    filter: string;
    onStarted: () => void;
}

// The view the tokens came from, in the admin's words, kept with the campaign.
export function viewDescription(t: Translate, query: string, filters: Filters): string {
    return [
        query ? `“${query}”` : '',
        filters.state === 'all' ? '' : `${t('token_audit.filter.state')}: ${t(`token_audit.filter.state.${filters.state}`)}`,
        ...filters.findings.map((f) => `${t('token_audit.filter.finding')}: ${findingLabel(t, f)}`),
        ...filters.owner_kinds.map((k) => `${t('token_audit.filter.owner')}: ${ownerKindLabel(t, k)}`),
    ].filter(Boolean).join(' · ') || t('token_audit.filter.state.all');
}

function problemText(t: Translate, problem: CampaignProblem): string {
    switch (problem) {
    case 'token_ids':
        return t('token_audit.campaign.console.problem.token_ids', {max: CAMPAIGN_LIMITS.max_tokens});
    case 'note':
        return t('token_audit.campaign.console.problem.note', {max: CAMPAIGN_LIMITS.max_note});
    case 'filter':
        return t('token_audit.campaign.console.problem.filter', {max: CAMPAIGN_LIMITS.max_filter});
    default:
        return t(`token_audit.campaign.console.problem.${problem}`, CAMPAIGN_LIMITS[problem]);
    }
}

// "Start a clean-up" of the tokens in the current view: grace period, undo window, how long a Keep
// lasts, and a note to the owners.
export function StartCampaign({rows, filter, onStarted}: Props) {
    const t = useT();
    const [open, setOpen] = useState(false);
    const [numbers, setNumbers] = useState<Record<'grace_days' | 'undo_days' | 'keep_days', string>>({
        grace_days: String(CAMPAIGN_DEFAULTS.grace_days),
        undo_days: String(CAMPAIGN_DEFAULTS.undo_days),
        keep_days: String(CAMPAIGN_DEFAULTS.keep_days),
    });
    const [note, setNote] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    // Checked only while the dialog is open: the page re-renders on every keystroke in the search box,
    // over views of many thousand tokens.
    const campaignInput = (): CampaignInput => ({
        token_ids: rows.map((r) => r.token.id),
        grace_days: Number(numbers.grace_days),
        undo_days: Number(numbers.undo_days),
        keep_days: Number(numbers.keep_days),
        note,
        filter: filter.slice(0, CAMPAIGN_LIMITS.max_filter),
    });
    const problems = open ? campaignProblems(campaignInput()) : [];

    const start = async () => {
        setBusy(true);
        setError('');
        try {
            await startCampaign(campaignInput());
            setOpen(false);
            onStarted();
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <>
            <Button
                testId='ta-campaign-start'
                disabled={!rows.length}
                label={t('token_audit.campaign.console.start')}
                onClick={() => setOpen(true)}
            />
            {open && (
                <Dialog
                    testId='ta-campaign-dialog'
                    title={t('token_audit.campaign.console.start_title', {count: rows.length})}
                    onCancel={() => setOpen(false)}
                >
                    <p>{t('token_audit.campaign.console.start_text')}</p>
                    {(['grace_days', 'undo_days', 'keep_days'] as const).map((field) => (
                        <TextField
                            key={field}
                            testId={`ta-campaign-${field}`}
                            label={t(`token_audit.campaign.console.${field}`)}
                            type='number'
                            value={numbers[field]}
                            onChange={(value) => setNumbers({...numbers, [field]: value})}
                        />
                    ))}
                    <label className='ta-field'>
                        {t('token_audit.campaign.console.note')}
                        <textarea
                            className='ta-input'
                            data-testid='ta-campaign-note'
                            value={note}
                            onChange={(e) => setNote(e.target.value)}
                        />
                    </label>
                    {problems.map((p) => (
                        <InlineAlert
                            key={p}
                            text={problemText(t, p)}
                        />
                    ))}
                    <InlineAlert text={error}/>
                    <DialogFooter
                        cancel={{testId: 'ta-campaign-cancel-start', onClick: () => setOpen(false)}}
                        confirm={{testId: 'ta-campaign-confirm', label: t('token_audit.campaign.console.confirm'), disabled: busy || problems.length > 0, onClick: start}}
                    />
                </Dialog>
            )}
        </>
    );
}
