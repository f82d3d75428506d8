import React from 'react';
import {fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import type {ChannelChoice} from '../../client';
import {DEFAULT_POLICY} from '../../engine';
import type {Policy, PolicyInput} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {failOnConsoleError, mmid, policy, smallInventory} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    getPolicy: jest.fn(),
    savePolicy: jest.fn(),
    getOwners: jest.fn(),
    searchChannels: jest.fn(),
    getChannel: jest.fn(),
}));

const savePolicy = client.savePolicy as jest.MockedFunction<typeof client.savePolicy>;
const searchChannels = client.searchChannels as jest.MockedFunction<typeof client.searchChannels>;
const getChannel = client.getChannel as jest.MockedFunction<typeof client.getChannel>;

const security: ChannelChoice = {id: mmid('csecurity'), name: 'security', display_name: 'Security', team_display_name: 'Audit'};
const ops: ChannelChoice = {id: mmid('cops'), name: 'ops', display_name: 'Ops', team_display_name: 'Audit'};

failOnConsoleError();

beforeEach(() => {
    savePolicy.mockReset();
    searchChannels.mockReset();
    getChannel.mockReset();
    (client.getOwners as jest.Mock).mockResolvedValue({});
    getChannel.mockImplementation(async (id) => [security, ops].find((c) => c.id === id));
});

async function openPolicy(start: Policy) {
    const {inv} = smallInventory();
    (client.loadInventory as jest.Mock).mockResolvedValue(inv);
    (client.getPolicy as jest.Mock).mockResolvedValue(start);
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    fireEvent.click(screen.getByTestId('ta-tab-policy'));
    await screen.findByTestId('ta-watch');
}

function saved(input: PolicyInput): Policy {
    return {...DEFAULT_POLICY, ...input, findings: {...DEFAULT_POLICY.findings, ...input.findings}, version: input.version + 1,
        exemptions: [], watch: input.watch ?? DEFAULT_POLICY.watch, updated_by: mmid('uadmin'), updated_at: 2};
}

const select = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), {target: {value}});

test('the defaults read as working out of the box', async () => {
    await openPolicy(policy());
    expect(screen.getByTestId('ta-watch-alert_channel-value').textContent).toBe('a DM to every system admin');
    expect((screen.getByTestId('ta-watch-scan_minutes') as HTMLInputElement).value).toBe('5');
    expect((screen.getByTestId('ta-watch-offboarding') as HTMLSelectElement).value).toBe('alert');
    expect((screen.getByTestId('ta-watch-digest-schedule') as HTMLSelectElement).value).toBe('off');
    expect(['owner_system_admin', 'owner_deactivated', 'never_expires', 'stale'].map((f) => (screen.getByTestId(`ta-watch-alert-${f}`) as HTMLInputElement).checked)).toEqual([true, true, true, false]);

    // Without a digest there is no hour, day or channel to choose.
    expect(screen.queryByTestId('ta-watch-digest-hour')).toBeNull();
    expect(screen.queryByTestId('ta-watch-digest_channel')).toBeNull();
});

test('edits every watch preference, lists the changes and saves them', async () => {
    await openPolicy(policy({version: 2}));

    fireEvent.change(screen.getByTestId('ta-watch-scan_minutes'), {target: {value: '0'}});
    expect(within(screen.getByTestId('ta-watch')).getByRole('alert').textContent).toBe('A whole number from 1 to 1440.');
    expect((screen.getByTestId('ta-policy-save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('ta-watch-scan_minutes'), {target: {value: '15'}});

    searchChannels.mockResolvedValue([security, ops]);
    fireEvent.change(screen.getByTestId('ta-watch-alert_channel-search'), {target: {value: 'sec'}});
    fireEvent.click(await screen.findByTestId(`ta-watch-alert_channel-pick-${security.id}`));
    expect(searchChannels).toHaveBeenLastCalledWith('sec', expect.anything());
    expect(screen.getByTestId('ta-watch-alert_channel-value').textContent).toBe('Security (Audit)');

    fireEvent.click(screen.getByTestId('ta-watch-alert-owner_deactivated'));
    fireEvent.click(screen.getByTestId('ta-watch-alert-stale'));

    select('ta-watch-digest-schedule', 'weekly');
    select('ta-watch-digest-weekday', '5');
    select('ta-watch-digest-hour', '7');
    fireEvent.change(screen.getByTestId('ta-watch-digest_channel-search'), {target: {value: 'ops'}});
    fireEvent.click(await screen.findByTestId(`ta-watch-digest_channel-pick-${ops.id}`));
    select('ta-watch-offboarding', 'revoke');

    expect([...screen.getByText('Unsaved changes').parentElement!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
        'Scan every: 5 → 15 minutes',
        'Alerts go to: a DM to every system admin → Security (Audit)',
        'Stop alerting on "Owner deactivated"',
        'Alert on "Stale"',
        'Digest: Off → Weekly',
        'Digest time: 09:00 UTC → 07:00 UTC',
        'Digest day: Monday → Friday',
        'Digest goes to: a DM to every system admin → Ops (Audit)',
        'When a user holding tokens is deactivated: Alert → Revoke their tokens automatically',
    ]);

    savePolicy.mockImplementation(async (input) => ({ok: true, policy: saved(input)}));
    fireEvent.click(screen.getByTestId('ta-policy-save'));
    await waitFor(() => expect(screen.getByTestId('ta-policy-status').textContent).toBe('Saved as version 3.'));
    expect(savePolicy.mock.calls[0][0].watch).toEqual({
        scan_minutes: 15,
        alert_channel_id: security.id,
        alert_findings: ['owner_system_admin', 'never_expires', 'stale'],
        digest: {schedule: 'weekly', hour_utc: 7, weekday: 5, channel_id: ops.id},
        offboarding: 'revoke',
    });
});

test('a saved channel reads by name; choosing none goes back to DMs; an unreadable one shows its id', async () => {
    const gone = mmid('cgone');
    const start = policy({version: 1});
    start.watch = {...start.watch, alert_channel_id: security.id, digest: {...start.watch.digest, schedule: 'daily', channel_id: gone}};
    await openPolicy(start);
    await waitFor(() => expect(screen.getByTestId('ta-watch-alert_channel-value').textContent).toBe('Security (Audit)'));
    expect(screen.getByTestId('ta-watch-digest_channel-value').textContent).toBe(`channel ${gone}`);

    fireEvent.click(screen.getByTestId('ta-watch-alert_channel-none'));
    expect(screen.getByTestId('ta-watch-alert_channel-value').textContent).toBe('a DM to every system admin');
    expect(screen.queryByTestId('ta-watch-alert_channel-none')).toBeNull();
});

test('a search that finds nothing says so, and a failed one shows why', async () => {
    await openPolicy(policy());
    searchChannels.mockResolvedValueOnce([]);
    fireEvent.change(screen.getByTestId('ta-watch-alert_channel-search'), {target: {value: 'zzz'}});
    expect(await screen.findByText('No channel matches "zzz".')).toBeTruthy();

    searchChannels.mockRejectedValueOnce(Object.assign(new Error('x'), {status: 500, detail: 'The server is down.'}));
    fireEvent.change(screen.getByTestId('ta-watch-alert_channel-search'), {target: {value: 'yyy'}});
    expect((await within(screen.getByTestId('ta-watch-alert_channel')).findByRole('alert')).textContent).toBe('The server is down.');
});

test('a finding switched off in the policy is marked as not alerting', async () => {
    await openPolicy(policy());
    expect(screen.queryByText('Switched off under "Findings to raise", so it does not alert.')).toBeNull();
    fireEvent.click(screen.getByTestId('ta-policy-finding-never_expires'));
    expect(screen.getByText('Switched off under "Findings to raise", so it does not alert.')).toBeTruthy();
});

test('on a conflict both sides\' watch edits are shown and mine are re-applied on theirs', async () => {
    await openPolicy(policy({version: 3}));
    select('ta-watch-offboarding', 'off');
    const current = policy({version: 4, updated_by: mmid('uother'), updated_at: 5});
    current.watch = {...current.watch, scan_minutes: 60};
    savePolicy.mockResolvedValueOnce({ok: false, conflict: true, current});
    fireEvent.click(screen.getByTestId('ta-policy-save'));
    const dialog = await screen.findByTestId('ta-conflict');
    expect(within(dialog).getByTestId('ta-conflict-theirs').textContent).toBe('Scan every: 5 → 60 minutes');
    expect(within(dialog).getByTestId('ta-conflict-mine').textContent).toBe('When a user holding tokens is deactivated: Alert → Do nothing');

    savePolicy.mockImplementationOnce(async (input) => ({ok: true, policy: saved(input)}));
    fireEvent.click(within(dialog).getByTestId('ta-conflict-reapply'));
    await waitFor(() => expect(screen.getByTestId('ta-policy-status').textContent).toBe('Saved as version 5.'));
    expect(savePolicy.mock.calls[1][0]).toMatchObject({version: 4, watch: {scan_minutes: 60, offboarding: 'off'}});
});
