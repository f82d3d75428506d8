// Clean-up campaigns through the plugin's routes, and the one step only a session can take:
// disabling the due tokens, which the server is then told about.
import type {Campaign, CampaignInput} from '../engine/campaign/campaign';
import {tokensIn} from '../engine/campaign/campaign';
import type {TrailSource} from '../engine/types';

import {runTokenAction} from './actions';
import {getApi} from './current';
import type {CallOptions} from './plugin';
import type {ActionRun} from './types';

export async function listCampaigns(opts: CallOptions = {}): Promise<Campaign[]> {
    const {campaigns} = await getApi().pluginFetch<{campaigns: Campaign[]}>('GET', '/campaigns', {signal: opts.signal, idempotent: true});
    return campaigns;
}

// Not retried: a repeated start would start a second campaign.
export function startCampaign(input: CampaignInput, opts: CallOptions = {}): Promise<Campaign> {
    return getApi().pluginFetch<Campaign>('POST', '/campaigns', {body: input, signal: opts.signal});
}

// Cancelling twice is harmless.
export function cancelCampaign(id: string, opts: CallOptions = {}): Promise<Campaign> {
    return getApi().pluginFetch<Campaign>('POST', `/campaigns/${id}/cancel`, {signal: opts.signal, idempotent: true});
}

// Disables the campaign's due tokens with the admin's own session (recorded in the trail like every
// action, with where it was asked for: the console or /tokens campaign), then tells the server which
// ones are disabled, and from where, so their undo window starts. Throws only when the intent could
// not be recorded, before anything was disabled.
export async function disableDue(campaign: Campaign, opts: CallOptions & {source: TrailSource}): Promise<Pick<ActionRun, 'results' | 'trailError'>> {
    const due = tokensIn(campaign, 'due').map((t) => ({id: t.id, user_id: t.user_id}));
    const run = await runTokenAction('disable', due, {source: opts.source, signal: opts.signal});
    const results = [...run.results];
    for (const [i, result] of results.entries()) {
        if (result.ok) {
            try {
                await getApi().pluginFetch<Campaign>('POST', `/campaigns/${campaign.id}/disabled`, {body: {token_id: result.tokenId, source: opts.source}, signal: opts.signal});
            } catch (err) {
                results[i] = {...result, ok: false, error: err instanceof Error ? err.message : String(err)};
            }
        }
    }
    return {results, trailError: run.trailError};
}
