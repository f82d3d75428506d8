import React from 'react';
import {fireEvent, render, screen} from '@testing-library/react';

import * as client from '../../client';
import type {Inventory} from '../../client';

import {InventoryPage} from '../InventoryPage';
import {DAY, failOnConsoleError, inventory, NOW, owner, policy, token} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    getPolicy: jest.fn(),
    savePolicy: jest.fn(),
    getOwners: jest.fn(),
}));

failOnConsoleError();

const alice = owner('alice', {system_admin: true});
const bob = owner('bob');
const carol = owner('carol', {bot: true});
const dave = owner('dave');
const tokens = [
    token('alice-ci', alice), token('alice-backup', alice), token('bob-sync', bob), token('carol-bot', carol), token('dave-old', dave, {is_active: false}),
];
const lastUsedDaysAgo = [40, 100, 60, 200, 5];
const usage = Object.fromEntries(tokens.map((t, i) => [t.id, {first_active: NOW - (400 * DAY), last_active: NOW - (lastUsedDaysAgo[i] * DAY)}]));

let fetchCalls: jest.Mock;

beforeEach(() => {
    (client.getOwners as jest.Mock).mockResolvedValue({});
    fetchCalls = jest.fn(() => Promise.reject(new Error('no request expected')));
    globalThis.fetch = fetchCalls as unknown as typeof fetch;
});

async function openPolicy(inv: Inventory) {
    (client.loadInventory as jest.Mock).mockResolvedValue(inv);
    (client.getPolicy as jest.Mock).mockResolvedValue(policy({version: 1}));
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    fireEvent.click(screen.getByTestId('ta-tab-policy'));
    await screen.findByTestId('ta-policy');
}

const lines = () => [...screen.getByTestId('ta-whatif').querySelectorAll('li')].map((li) => li.textContent);

test('edits to thresholds, findings and exemptions show what they would change, at once and without a request', async () => {
    await openPolicy(inventory(tokens, [alice, bob, carol, dave], {usage}));
    expect(screen.queryByTestId('ta-whatif')).toBeNull();

    fireEvent.change(screen.getByTestId('ta-policy-stale_after_days'), {target: {value: '30'}});
    expect(lines()).toEqual(['Stale: 2 → 4 tokens, +2 of 2 people', 'At risk: 4 → 5 tokens']);

    fireEvent.click(screen.getByTestId('ta-policy-finding-owner_bot'));
    fireEvent.change(screen.getByTestId('ta-policy-stale_after_days'), {target: {value: '90'}});
    expect(lines()).toEqual(['Bot token: 1 → 0 tokens, −1 of 1 person', 'At risk: 4 → 4 tokens']);

    // Watch preferences do not change how tokens are judged.
    fireEvent.click(screen.getByTestId('ta-policy-finding-owner_bot'));
    fireEvent.change(screen.getByTestId('ta-watch-scan_minutes'), {target: {value: '60'}});
    expect(screen.queryByTestId('ta-whatif')).toBeNull();
    expect(fetchCalls).not.toHaveBeenCalled();
});

test('an edit that moves no token says so', async () => {
    await openPolicy(inventory(tokens, [alice, bob, carol, dave], {usage}));
    fireEvent.change(screen.getByTestId('ta-policy-expiring_within_days'), {target: {value: '30'}});
    expect(screen.getByTestId('ta-whatif').textContent).toContain('No token would be judged differently.');
});

test('the maximum-lifetime what-if plans the upgrade on a server without expiry', async () => {
    await openPolicy(inventory(tokens, [alice, bob, carol, dave], {usage}));
    expect(screen.getByTestId('ta-lifetime-result').textContent).toBe(
        'This server has no token expiry (Mattermost 11.9 and later have it), so none of its tokens expires: after an upgrade, a limit of 90 days ' +
        'would find 3 tokens of 2 people breaking it, every active token of a person. Bot tokens are left out, as Mattermost leaves them out. ' +
        'Plan their replacement before setting the limit.',
    );
    fireEvent.change(screen.getByTestId('ta-lifetime-days'), {target: {value: '0'}});
    expect(screen.queryByTestId('ta-lifetime-result')).toBeNull();
    expect(screen.getByTestId('ta-lifetime').querySelector('[role="alert"]')?.textContent).toBe('A whole number from 1 to 3650.');
    expect(fetchCalls).not.toHaveBeenCalled();
});

test('with expiry, it counts the tokens of people that never expire or expire later, starting from the server\'s own limit', async () => {
    const expiring = [
        token('never', alice, {expires_at: 0}),
        token('in-a-month', bob, {expires_at: NOW + 30 * DAY}),
        token('in-a-year', bob, {expires_at: NOW + 365 * DAY}),
        token('bot-never', carol, {expires_at: 0}),
    ];
    await openPolicy(inventory(expiring, [alice, bob, carol], {features: {tokensEnabled: true, expirySupported: true, maxLifetimeDays: 180}}));
    expect((screen.getByTestId('ta-lifetime-days') as HTMLInputElement).value).toBe('180');
    expect(screen.getByTestId('ta-lifetime-result').textContent).toBe(
        'If tokens had to expire within 180 days, 2 tokens of 2 people would break that rule. Bot tokens are left out, as Mattermost leaves them out.',
    );
    fireEvent.change(screen.getByTestId('ta-lifetime-days'), {target: {value: '7'}});
    expect(screen.getByTestId('ta-lifetime-result').textContent).toContain('within 7 days, 3 tokens of 2 people');
});
