import React from 'react';
import {act, fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import type {Campaign} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {failOnConsoleError, mmid, NOW, smallInventory} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    getOwners: jest.fn(),
    listCampaigns: jest.fn(),
    startCampaign: jest.fn(),
    cancelCampaign: jest.fn(),
    disableDue: jest.fn(),
}));

const listCampaigns = client.listCampaigns as jest.MockedFunction<typeof client.listCampaigns>;
const startCampaign = client.startCampaign as jest.MockedFunction<typeof client.startCampaign>;
const disableDue = client.disableDue as jest.MockedFunction<typeof client.disableDue>;
const cancelCampaign = client.cancelCampaign as jest.MockedFunction<typeof client.cancelCampaign>;

failOnConsoleError();

function campaignOf(tokens: ReturnType<typeof smallInventory>['tokens'], extra: Partial<Campaign> = {}): Campaign {
    const [a, b] = tokens;
    return {
        id: mmid('camp'), created_by: a.user_id, created_at: NOW, note: 'spring', filter: '“alice”', grace_days: 14, undo_days: 7, keep_days: 90,
        day_ms: 86400000, cancelled_at: 0,
        tokens: [
            {id: a.id, user_id: a.user_id, owner_id: a.user_id, stage: 'due', changed_at: NOW, changed_by: a.user_id},
            {id: b.id, user_id: b.user_id, owner_id: b.user_id, stage: 'kept', changed_at: NOW, changed_by: b.user_id, kept_until: NOW},
        ],
        ...extra,
    };
}

async function open() {
    const small = smallInventory();
    (client.loadInventory as jest.Mock).mockResolvedValue(small.inv);
    (client.getOwners as jest.Mock).mockResolvedValue({});
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    return small;
}

test('Start a clean-up takes the current filtered view and refuses numbers outside the engine\'s limits', async () => {
    const {tokens} = await open();
    listCampaigns.mockResolvedValue([]);
    startCampaign.mockResolvedValue(campaignOf(tokens));
    fireEvent.change(screen.getByTestId('ta-search'), {target: {value: 'alice'}});
    fireEvent.click(await screen.findByTestId('ta-campaign-start'));
    const dialog = await screen.findByTestId('ta-campaign-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Start a clean-up of 2 tokens');

    fireEvent.change(screen.getByTestId('ta-campaign-grace_days'), {target: {value: '0'}});
    expect(within(dialog).getByRole('alert').textContent).toBe('The grace period is 1 to 90 days.');
    expect((screen.getByTestId('ta-campaign-confirm') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByTestId('ta-campaign-grace_days'), {target: {value: '3'}});
    fireEvent.change(screen.getByTestId('ta-campaign-note'), {target: {value: 'please answer'}});
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-campaign-confirm'));
    });
    const {token_ids: tokenIds, ...rest} = startCampaign.mock.calls[0][0];
    expect(rest).toEqual({grace_days: 3, undo_days: 7, keep_days: 90, note: 'please answer', filter: '“alice”'});
    expect([...tokenIds].sort()).toEqual([tokens[0].id, tokens[1].id].sort());
    await screen.findByTestId('ta-campaigns');
}, 20000);

test('the Campaigns tab shows tokens by stage, disables the due ones and cancels', async () => {
    const {tokens} = await open();
    const running = campaignOf(tokens);
    listCampaigns.mockResolvedValue([running]);
    disableDue.mockResolvedValue({results: [{tokenId: tokens[0].id, ok: true}]});
    cancelCampaign.mockResolvedValue({...running, cancelled_at: NOW + 1, cancelled_by: tokens[0].user_id});
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-tab-campaigns'));
    });
    const card = await screen.findByTestId(`ta-campaign-${running.id}`);
    expect(within(card).getByTestId(`ta-campaign-token-${tokens[0].id}`).textContent).toContain('Due to be disabled');
    expect(within(card).getByTestId(`ta-campaign-token-${tokens[1].id}`).textContent).toContain('Kept by the owner');

    fireEvent.click(within(card).getByTestId('ta-campaign-disable-due'));
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-campaign-confirm-yes'));
    });
    expect(disableDue).toHaveBeenCalledWith(running, {source: 'console'});
    await waitFor(() => expect(within(card).getByRole('alert').textContent).toBe('Disabled 1 token; none failed.'));

    fireEvent.click(within(card).getByTestId('ta-campaign-cancel'));
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-campaign-confirm-yes'));
    });
    expect(cancelCampaign).toHaveBeenCalledWith(running.id);
}, 20000);

test('a campaign with nothing due offers no disable button', async () => {
    const {tokens} = await open();
    const running = campaignOf(tokens);
    const nothingDue = {...running, tokens: running.tokens.map((tok) => ({...tok, stage: tok.stage === 'due' ? 'notified' as const : tok.stage}))};
    listCampaigns.mockResolvedValue([nothingDue]);
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-tab-campaigns'));
    });
    const card = await screen.findByTestId(`ta-campaign-${running.id}`);
    expect(within(card).queryByTestId('ta-campaign-disable-due')).toBeNull();
    expect(within(card).getByTestId('ta-campaign-cancel')).toBeTruthy();
}, 20000);
