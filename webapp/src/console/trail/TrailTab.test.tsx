import React from 'react';
import {act, fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import type {TrailRecord} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {failOnConsoleError, mmid, NOW, smallInventory} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    getTrail: jest.fn(),
    getOwners: jest.fn(),
    getUserByUsername: jest.fn(),
}));

const getTrail = client.getTrail as jest.MockedFunction<typeof client.getTrail>;
const admin = mmid('uadmin');

failOnConsoleError();

function rec(id: string, extra: Partial<TrailRecord>): TrailRecord {
    return {
        id, action_id: mmid('act1'), phase: 'intent', action: 'revoke', actor_id: admin, at: NOW, token_id: '', owner_id: '',
        outcome: '', error: '', count: 0, source: 'console', ...extra,
    };
}

async function openTrail() {
    const {inv, tokens, alice} = smallInventory();
    (client.loadInventory as jest.Mock).mockResolvedValue(inv);
    (client.getOwners as jest.Mock).mockResolvedValue({[admin]: {id: admin, username: 'root'}});
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-tab-trail'));
    });
    return {tokens, alice};
}

test('shows intent/outcome pairs newest first and loads older pages', async () => {
    const {tokens, alice} = smallInventory();
    const t0 = tokens[0].id;
    getTrail.mockResolvedValueOnce({
        records: [
            rec('5', {action_id: mmid('act2'), phase: 'outcome', action: 'policy_update', outcome: 'ok', detail: 'stale_after_days 90 → 30', at: NOW + 9000}),
            rec('4', {phase: 'outcome', token_id: t0, owner_id: alice.id, outcome: 'error', error: 'token not found', at: NOW + 2000}),
        ],
        next: '4',
    });
    getTrail.mockResolvedValueOnce({records: [rec('3', {token_id: t0, owner_id: alice.id})], next: ''});
    await openTrail();

    const table = await screen.findByTestId('ta-trail');
    expect(getTrail).toHaveBeenLastCalledWith({limit: 50, before: undefined}, expect.anything());
    await waitFor(() => expect(table.textContent).toContain('Policy update'));
    let rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('Policy update');
    expect(rows[0].textContent).toContain('stale_after_days 90 → 30');
    expect(rows[1].textContent).toContain('Failed: token not found');
    await waitFor(() => expect(rows[1].textContent).toContain('root'));
    expect(rows[1].textContent).toContain('alice');

    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-trail-more'));
    });
    await waitFor(() => expect(getTrail).toHaveBeenLastCalledWith({limit: 50, before: '4'}, expect.anything()));

    // The intent from the older page joins its outcome on one line.
    await waitFor(() => expect(screen.queryByTestId('ta-trail-more')).toBeNull());
    rows = within(screen.getByTestId('ta-trail')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain('Failed: token not found (2 s later)');
});

test('filters by actor, token, owner and action', async () => {
    getTrail.mockResolvedValue({records: [], next: ''});
    const {tokens, alice} = await openTrail();
    await screen.findByText('No records.');
    (client.getUserByUsername as jest.Mock).mockResolvedValue({id: admin, username: 'root'});

    fireEvent.change(screen.getByTestId('ta-trail-actor'), {target: {value: '@root'}});
    fireEvent.change(screen.getByTestId('ta-trail-owner'), {target: {value: 'alice'}});
    fireEvent.change(screen.getByTestId('ta-trail-token'), {target: {value: tokens[0].id}});
    fireEvent.change(screen.getByTestId('ta-trail-action'), {target: {value: 'bulk_revoke'}});
    await act(async () => {
        fireEvent.click(screen.getByTestId('ta-trail-apply'));
    });
    await waitFor(() => expect(getTrail).toHaveBeenLastCalledWith(
        {actor: admin, owner: alice.id, token: tokens[0].id, action: 'bulk_revoke', limit: 50, before: undefined},
        expect.anything(),
    ));

    fireEvent.change(screen.getByTestId('ta-trail-token'), {target: {value: 'not-an-id'}});
    fireEvent.click(screen.getByTestId('ta-trail-apply'));
    expect((await screen.findByRole('alert')).textContent).toBe('A token id is 26 lowercase letters and digits.');
});

test('a failed trail read offers a retry', async () => {
    getTrail.mockRejectedValueOnce(Object.assign(new Error('x'), {status: 502, detail: 'Bad gateway.'}));
    getTrail.mockResolvedValueOnce({records: [], next: ''});
    await openTrail();
    expect((await screen.findByTestId('ta-error')).textContent).toContain('Bad gateway.');
    fireEvent.click(screen.getByRole('button', {name: 'Try again'}));
    expect(await screen.findByText('No records.')).toBeTruthy();
});
