import React from 'react';
import {fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import {DEFAULT_POLICY} from '../../engine';
import type {Policy, PolicyInput} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {DAY, failOnConsoleError, mmid, NOW, policy, smallInventory} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    getPolicy: jest.fn(),
    savePolicy: jest.fn(),
    getOwners: jest.fn(),
    getUserByUsername: jest.fn(),
}));

const savePolicy = client.savePolicy as jest.MockedFunction<typeof client.savePolicy>;
const other = mmid('uother');

failOnConsoleError();

beforeEach(() => {
    savePolicy.mockReset();
    (client.getOwners as jest.Mock).mockResolvedValue({[other]: {id: other, username: 'dave'}});
});

async function openPolicy(start: Policy) {
    const {inv, alice} = smallInventory();
    (client.loadInventory as jest.Mock).mockResolvedValue(inv);
    (client.getPolicy as jest.Mock).mockResolvedValue(start);
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    fireEvent.click(screen.getByTestId('ta-tab-policy'));
    await screen.findByTestId('ta-policy');
    return {inv, alice};
}

function saved(input: PolicyInput, by = mmid('uadmin')): Policy {
    return {...DEFAULT_POLICY, ...input, findings: {...DEFAULT_POLICY.findings, ...input.findings}, version: input.version + 1,
        exemptions: input.exemptions.map((e) => ({...e, added_by: by, added_at: 2})), updated_by: by, updated_at: 2};
}

test('edits thresholds, toggles and exemptions and saves them', async () => {
    const {alice} = await openPolicy(policy({version: 3}));
    fireEvent.change(screen.getByTestId('ta-policy-stale_after_days'), {target: {value: '5000'}});
    expect(screen.getByText('A whole number from 1 to 3650.')).toBeTruthy();
    expect((screen.getByTestId('ta-policy-save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('ta-policy-stale_after_days'), {target: {value: '30'}});
    fireEvent.click(screen.getByTestId('ta-policy-finding-owner_bot'));

    fireEvent.change(screen.getByTestId('ta-exemption-kind'), {target: {value: 'user'}});
    fireEvent.change(screen.getByTestId('ta-exemption-target'), {target: {value: '@alice'}});
    fireEvent.change(screen.getByTestId('ta-exemption-reason'), {target: {value: 'break-glass admin'}});
    fireEvent.click(screen.getByTestId('ta-exemption-add'));
    expect(await screen.findByText('User @alice')).toBeTruthy();
    expect(screen.getByText('Not saved yet')).toBeTruthy();

    savePolicy.mockImplementation(async (input) => ({ok: true, policy: saved(input)}));
    fireEvent.click(screen.getByTestId('ta-policy-save'));
    await waitFor(() => expect(screen.getByTestId('ta-policy-status').textContent).toBe('Saved as version 4.'));
    expect(savePolicy).toHaveBeenCalledWith({
        version: 3,
        stale_after_days: 30,
        expiring_within_days: 14,
        findings: {...DEFAULT_POLICY.findings, owner_bot: false},
        exemptions: [{kind: 'user', id: alice.id, reason: 'break-glass admin'}],
        watch: DEFAULT_POLICY.watch,
    });

    // The inventory is judged by the saved policy: alice's tokens are exempted now.
    fireEvent.click(screen.getByTestId('ta-tab-tokens'));
    expect(screen.getAllByTestId('ta-finding-exempted')).toHaveLength(2);
});

test('an unknown username is refused', async () => {
    await openPolicy(policy());
    (client.getUserByUsername as jest.Mock).mockResolvedValue(undefined);
    fireEvent.change(screen.getByTestId('ta-exemption-kind'), {target: {value: 'user'}});
    fireEvent.change(screen.getByTestId('ta-exemption-target'), {target: {value: 'nobody'}});
    fireEvent.change(screen.getByTestId('ta-exemption-reason'), {target: {value: 'x'}});
    fireEvent.click(screen.getByTestId('ta-exemption-add'));
    expect((await screen.findByRole('alert')).textContent).toBe('There is no user @nobody.');
});

test('on a conflict shows both sides and re-applies my changes on the latest', async () => {
    const tokenId = mmid('tsomething');
    await openPolicy(policy({version: 3}));
    fireEvent.change(screen.getByTestId('ta-policy-stale_after_days'), {target: {value: '30'}});

    const current = policy({
        version: 4, expiring_within_days: 7, updated_by: other, updated_at: Date.UTC(2025, 5, 2),
        exemptions: [{kind: 'token', id: tokenId, reason: 'their exemption', added_by: other, added_at: 1}],
    });
    savePolicy.mockResolvedValueOnce({ok: false, conflict: true, current});
    fireEvent.click(screen.getByTestId('ta-policy-save'));

    const dialog = await screen.findByTestId('ta-conflict');
    await waitFor(() => expect(dialog.textContent).toContain('dave saved version 4'));
    expect(within(dialog).getByTestId('ta-conflict-theirs').textContent).toBe(
        `Expiring soon within: 14 → 7 daysExempt Token ${tokenId} (their exemption)`,
    );
    expect(within(dialog).getByTestId('ta-conflict-mine').textContent).toBe('Stale after: 90 → 30 days');

    savePolicy.mockImplementationOnce(async (input) => ({ok: true, policy: saved(input)}));
    fireEvent.click(within(dialog).getByTestId('ta-conflict-reapply'));
    await waitFor(() => expect(screen.queryByTestId('ta-conflict')).toBeNull());
    expect(savePolicy).toHaveBeenLastCalledWith(expect.objectContaining({
        version: 4,
        stale_after_days: 30,
        expiring_within_days: 7,
        exemptions: [{kind: 'token', id: tokenId, reason: 'their exemption'}],
    }));
    await waitFor(() => expect(screen.getByTestId('ta-policy-status').textContent).toBe('Saved as version 5.'));
});

test('on a conflict, discard takes the latest policy', async () => {
    await openPolicy(policy({version: 3}));
    fireEvent.click(screen.getByTestId('ta-policy-finding-stale'));
    const current = policy({version: 4, stale_after_days: 10, updated_by: other, updated_at: 5});
    savePolicy.mockResolvedValueOnce({ok: false, conflict: true, current});
    fireEvent.click(screen.getByTestId('ta-policy-save'));
    fireEvent.click(within(await screen.findByTestId('ta-conflict')).getByTestId('ta-conflict-discard'));

    expect(screen.queryByTestId('ta-conflict')).toBeNull();
    expect((screen.getByTestId('ta-policy-stale_after_days') as HTMLInputElement).value).toBe('10');
    expect((screen.getByTestId('ta-policy-finding-stale') as HTMLInputElement).checked).toBe(true);
    expect(savePolicy).toHaveBeenCalledTimes(1);
    expect((screen.getByTestId('ta-policy-save') as HTMLButtonElement).disabled).toBe(true);
});

test('a save error is shown and the draft kept', async () => {
    await openPolicy(policy({version: 1}));
    fireEvent.change(screen.getByTestId('ta-policy-expiring_within_days'), {target: {value: '3'}});
    savePolicy.mockRejectedValue(Object.assign(new Error('bad'), {status: 400, detail: 'expiring_within_days is out of range.'}));
    fireEvent.click(screen.getByTestId('ta-policy-save'));
    expect((await screen.findByRole('alert')).textContent).toBe('The preferences could not be saved: expiring_within_days is out of range.');
    expect((screen.getByTestId('ta-policy-expiring_within_days') as HTMLInputElement).value).toBe('3');
});

describe('exemptions that end', () => {
    // A day as the date field takes it, counted from the real clock the form checks against.
    const dayFromNow = (days: number) => {
        const d = new Date(Date.now() + days * DAY);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };

    test('an end date given when adding is shown, listed and saved as the start of that day', async () => {
        const {alice} = await openPolicy(policy({version: 1}));
        const day = dayFromNow(30);
        fireEvent.change(screen.getByTestId('ta-exemption-kind'), {target: {value: 'user'}});
        fireEvent.change(screen.getByTestId('ta-exemption-target'), {target: {value: '@alice'}});
        fireEvent.change(screen.getByTestId('ta-exemption-reason'), {target: {value: 'migration'}});
        fireEvent.change(screen.getByTestId('ta-exemption-until'), {target: {value: day}});
        fireEvent.click(screen.getByTestId('ta-exemption-add'));

        const ends = new Date(`${day}T00:00:00`).getTime();
        const shown = new Intl.DateTimeFormat('en', {year: 'numeric', month: 'short', day: 'numeric'}).format(ends);
        expect((await screen.findByTestId(`ta-exemption-end-${alice.id}`)).textContent).toBe(shown);
        expect(screen.getByText(`Exempt User @alice until ${shown} (migration)`)).toBeTruthy();

        savePolicy.mockImplementation(async (input) => ({ok: true, policy: saved(input)}));
        fireEvent.click(screen.getByTestId('ta-policy-save'));
        await waitFor(() => expect(savePolicy).toHaveBeenCalled());
        expect(savePolicy.mock.calls[0][0].exemptions).toEqual([{kind: 'user', id: alice.id, reason: 'migration', expires_at: ends}]);
    });

    test('a day that has begun or lies over ten years ahead is refused', async () => {
        await openPolicy(policy());
        fireEvent.change(screen.getByTestId('ta-exemption-target'), {target: {value: mmid('tsome')}});
        fireEvent.change(screen.getByTestId('ta-exemption-reason'), {target: {value: 'x'}});
        for (const day of [dayFromNow(0), dayFromNow(-3), dayFromNow(3660)]) {
            fireEvent.change(screen.getByTestId('ta-exemption-until'), {target: {value: day}});
            fireEvent.click(screen.getByTestId('ta-exemption-add'));
            expect((await screen.findByRole('alert')).textContent).toBe('Pick a day after today, at most 3650 days ahead, or none.');
        }
        expect(screen.queryByTestId('ta-exemptions')).toBeNull();
    });

    test('an exemption that has ended says so; one without an end says never', async () => {
        const ended = mmid('tended');
        const forGood = mmid('tforgood');
        await openPolicy(policy({version: 2, exemptions: [
            {kind: 'token', id: ended, reason: 'was migrating', added_by: other, added_at: 1, expires_at: NOW - DAY},
            {kind: 'token', id: forGood, reason: 'break-glass', added_by: other, added_at: 1},
        ]}));
        const shown = new Intl.DateTimeFormat('en', {year: 'numeric', month: 'short', day: 'numeric'}).format(NOW - DAY);
        expect(screen.getByTestId(`ta-exemption-end-${ended}`).textContent).toBe(`Ended ${shown}; judged again`);
        expect(screen.getByTestId(`ta-exemption-end-${forGood}`).textContent).toBe('never');
    });
});
