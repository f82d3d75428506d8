import React from 'react';
import {act, fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import type {ActionOptions, ActionRun} from '../../client';
import type {Token, TokenActionName} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {failOnConsoleError, inventory, owner, smallInventory, token} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    runTokenAction: jest.fn(),
    getTokensForUser: jest.fn(),
    getUsage: jest.fn(),
}));

const runTokenAction = client.runTokenAction as jest.MockedFunction<typeof client.runTokenAction>;
const getTokensForUser = client.getTokensForUser as jest.MockedFunction<typeof client.getTokensForUser>;

failOnConsoleError();

beforeEach(() => {
    runTokenAction.mockReset();
    getTokensForUser.mockReset();
    (client.getUsage as jest.Mock).mockResolvedValue({});
});

async function show(inv: client.Inventory) {
    (client.loadInventory as jest.Mock).mockResolvedValue(inv);
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
}

function succeed(failures: Record<string, string> = {}) {
    runTokenAction.mockImplementation(async (action: TokenActionName, tokens: ReadonlyArray<Pick<Token, 'id' | 'user_id'>>, opts: ActionOptions): Promise<ActionRun> => {
        opts.onProgress?.({phase: 'act', done: 1, total: tokens.length});
        return {
            action,
            actionId: 'a'.repeat(26),
            results: tokens.map((t) => (failures[t.id] ? {tokenId: t.id, ok: false, error: failures[t.id], status: 403} : {tokenId: t.id, ok: true})),
        };
    });
}

test('bulk revoke says exactly what happens to how many tokens of whom', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    for (const tk of tokens.slice(0, 3)) {
        fireEvent.click(screen.getByTestId(`ta-select-${tk.id}`));
    }
    fireEvent.click(screen.getByTestId('ta-bulk-revoke'));
    const dialog = screen.getByTestId('ta-confirm');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(within(dialog).getByTestId('ta-confirm-text').textContent).toBe(
        'Revoke 3 tokens of 2 users (alice, bob). Revoking deletes the token and signs out its sessions; this cannot be undone.',
    );

    // A destructive dialog starts on Cancel.
    expect(document.activeElement).toBe(screen.getByTestId('ta-confirm-cancel'));
    expect(runTokenAction).not.toHaveBeenCalled();
});

test('bulk disable leaves tokens that are already disabled alone, and says so', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    fireEvent.click(screen.getByTestId('ta-select-all'));
    expect(screen.getByTestId('ta-bulk-disable').textContent).toBe('Disable (3)');
    fireEvent.click(screen.getByTestId('ta-bulk-disable'));
    const dialog = screen.getByTestId('ta-confirm');
    expect(within(dialog).getByTestId('ta-confirm-text').textContent).toBe(
        'Disable 3 tokens of 2 users (alice, carol). Disabling stops the token from working and signs out its sessions; it can be enabled again later.',
    );
    expect(dialog.textContent).toContain('1 selected token is already disabled and will be left as it is.');

    succeed();
    getTokensForUser.mockImplementation(async (id) => tokens.filter((t) => t.user_id === id).map((t) => ({...t, is_active: false})));
    fireEvent.click(screen.getByTestId('ta-confirm-ok'));
    expect((await screen.findByTestId('ta-result')).textContent).toContain('Disabled 3 tokens.');
    expect(runTokenAction).toHaveBeenCalledWith('disable', [tokens[0], tokens[1], tokens[3]], expect.objectContaining({source: 'console'}));

    // The report renders first; the table takes the result in the effect that follows it.
    await waitFor(() => expect(screen.getByTestId(`ta-row-${tokens[0].id}`).textContent).toContain('Disabled'));
});

test('Escape cancels the dialog and gives focus back', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    const button = screen.getByTestId(`ta-revoke-${tokens[3].id}`);
    button.focus();
    fireEvent.click(button);
    const dialog = screen.getByTestId('ta-confirm');
    expect(within(dialog).getByTestId('ta-confirm-text').textContent).toBe(
        'Revoke 1 token of 1 user (carol). Revoking deletes the token and signs out its sessions; this cannot be undone.',
    );

    // Tab stays inside the dialog.
    const ok = screen.getByTestId('ta-confirm-ok');
    ok.focus();
    fireEvent.keyDown(ok, {key: 'Tab'});
    expect(document.activeElement).toBe(screen.getByTestId('ta-confirm-cancel'));

    fireEvent.keyDown(document.activeElement!, {key: 'Escape'});
    expect(screen.queryByTestId('ta-confirm')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(runTokenAction).not.toHaveBeenCalled();
});

test('the result report lists every failure with its reason, and the rows are reloaded', async () => {
    const {alice, bob, tokens, inv} = smallInventory();
    await show(inv);
    for (const tk of tokens.slice(0, 3)) {
        fireEvent.click(screen.getByTestId(`ta-select-${tk.id}`));
    }
    fireEvent.click(screen.getByTestId('ta-bulk-revoke'));
    succeed({[tokens[2].id]: 'You do not have the appropriate permissions.'});

    // The server still has bob's token (the revoke failed) and a token of alice's made meanwhile.
    const fresh = token('alice-new', alice);
    getTokensForUser.mockImplementation(async (id) => (id === alice.id ? [fresh] : [tokens[2]]));

    fireEvent.click(screen.getByTestId('ta-confirm-ok'));
    const report = await screen.findByTestId('ta-result');
    expect(report.textContent).toContain('Revoked 2 of 3 tokens; 1 failed.');
    expect(within(report).getByTestId('ta-result-failures').textContent).toBe(
        `bob-old (${tokens[2].id}) of bob: You do not have the appropriate permissions.`,
    );
    expect(document.activeElement).toBe(within(report).getByRole('heading'));

    await waitFor(() => expect(screen.queryByTestId(`ta-row-${fresh.id}`)).toBeTruthy());
    expect(screen.queryByTestId(`ta-row-${tokens[0].id}`)).toBeNull();
    expect(screen.queryByTestId(`ta-row-${tokens[1].id}`)).toBeNull();
    expect(screen.getByTestId(`ta-row-${tokens[2].id}`)).toBeTruthy();
    expect(getTokensForUser.mock.calls.map((c) => c[0]).sort()).toEqual([alice.id, bob.id].sort());
});

test('when the audit trail cannot record the intent nothing happens and the report says why', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    fireEvent.click(screen.getByTestId(`ta-revoke-${tokens[0].id}`));
    runTokenAction.mockRejectedValue(Object.assign(new Error('x'), {status: 500, detail: 'KV store unavailable.'}));
    fireEvent.click(screen.getByTestId('ta-confirm-ok'));
    const report = await screen.findByTestId('ta-result');
    expect(report.textContent).toContain('Nothing was changed: KV store unavailable.');
    expect(screen.getByTestId(`ta-row-${tokens[0].id}`)).toBeTruthy();
});

test('an outcome the trail could not record is reported', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    fireEvent.click(screen.getByTestId(`ta-enable-${tokens[2].id}`));
    expect(screen.getByTestId('ta-confirm-text').textContent).toBe('Enable 1 token of 1 user (bob). Enabling lets the token sign in again.');
    runTokenAction.mockResolvedValue({action: 'enable', actionId: 'b'.repeat(26), results: [{tokenId: tokens[2].id, ok: true}], trailError: 'HTTP 503'});
    getTokensForUser.mockRejectedValue(new Error('offline'));
    fireEvent.click(screen.getByTestId('ta-confirm-ok'));
    const report = await screen.findByTestId('ta-result');
    expect(report.textContent).toContain('Enabled 1 token.');
    expect(report.textContent).toContain('could not be recorded in the audit trail: HTTP 503');

    // The re-read failed, so the row shows what the server answered to the action.
    await act(async () => undefined);
    expect(screen.getByTestId(`ta-row-${tokens[2].id}`).textContent).toContain('Active');
});

test('many owners are named briefly', async () => {
    const owners = Array.from({length: 14}, (_, i) => owner(`user${i}`));
    const tokens = owners.map((o) => token(`${o.username}-t`, o));
    await show(inventory(tokens, owners));
    fireEvent.click(screen.getByTestId('ta-select-all'));
    fireEvent.click(screen.getByTestId('ta-bulk-revoke'));
    expect(screen.getByTestId('ta-confirm-text').textContent).toMatch(/^Revoke 14 tokens of 14 users \((user\d+, ){9}user\d+ and 4 more\)\./);
});
