import React from 'react';
import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {IntlProvider} from 'react-intl';

import * as client from '../client';
import type {Inventory, LoadOptions} from '../client';

import {InventoryPage} from './InventoryPage';
import {owner, token} from '../engine/testing/fixtures';

import {failOnConsoleError, inventory, smallInventory} from './shared/testing/fixtures';

jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    loadInventory: jest.fn(),
    getPolicy: jest.fn(),
    getTrail: jest.fn(),
    getOwners: jest.fn(async () => ({})),
    listCampaigns: jest.fn(async () => []),
}));

const loadInventory = client.loadInventory as jest.MockedFunction<typeof client.loadInventory>;

failOnConsoleError();

beforeEach(() => {
    loadInventory.mockReset();
});

function deferred() {
    let resolve!: (inv: Inventory) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<Inventory>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return {promise, resolve, reject};
}

test('shows progress while a long scan runs, then the table', async () => {
    const load = deferred();
    let opts: LoadOptions = {};
    loadInventory.mockImplementation((o) => {
        opts = o ?? {};
        return load.promise;
    });
    render(<InventoryPage/>);
    expect(screen.getByTestId('ta-loading')).toBeTruthy();

    act(() => opts.onProgress?.({phase: 'tokens', done: 400, total: 0}));
    expect(screen.getByTestId('ta-loading').textContent).toContain('Listing tokens: 400 so far.');

    // Progress with a known total also fills the progress bar.
    await act(async () => {
        await new Promise((r) => setTimeout(r, 200));
        opts.onProgress?.({phase: 'usage', done: 3, total: 4});
    });
    expect(screen.getByTestId('ta-loading').textContent).toContain('Reading sessions: 3 of 4 owners.');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('75');

    await act(async () => load.resolve(smallInventory().inv));
    expect(screen.queryByTestId('ta-loading')).toBeNull();
    expect(screen.getByTestId('ta-table')).toBeTruthy();
});

test('shows the error and loads again on retry', async () => {
    loadInventory.mockRejectedValueOnce(Object.assign(new Error('boom'), {status: 500, detail: 'The server is down.'}));
    loadInventory.mockResolvedValueOnce(smallInventory().inv);
    render(<InventoryPage/>);
    const error = await screen.findByTestId('ta-error');
    expect(error.textContent).toContain('The server is down.');

    fireEvent.click(screen.getByRole('button', {name: 'Try again'}));
    expect(await screen.findByTestId('ta-table')).toBeTruthy();
    expect(loadInventory).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('ta-error')).toBeNull();
});

test('shows the empty state when the server has no tokens', async () => {
    loadInventory.mockResolvedValue(inventory([], []));
    render(<InventoryPage/>);
    expect(await screen.findByTestId('ta-empty')).toBeTruthy();
    expect(screen.queryByTestId('ta-table')).toBeNull();
});

test('says so when personal access tokens are disabled, and still lists them', async () => {
    loadInventory.mockResolvedValue(smallInventory({features: {tokensEnabled: false, expirySupported: false}}).inv);
    render(<InventoryPage/>);
    const banner = await screen.findByTestId('ta-tokens-disabled');
    expect(banner.textContent).toContain('Personal access tokens are disabled on this server.');
    expect(screen.getByTestId('ta-table')).toBeTruthy();
});

test('a 403 from Mattermost refuses the page', async () => {
    loadInventory.mockRejectedValue(Object.assign(new Error('forbidden'), {status: 403}));
    render(<InventoryPage/>);
    expect(await screen.findByTestId('ta-refused')).toBeTruthy();
    expect(screen.queryByTestId('ta-tab-tokens')).toBeNull();
});

test('a 403 from the plugin API refuses the page and shows no data', async () => {
    const {inv} = smallInventory({failures: [{part: 'policy', ids: [], message: 'forbidden', status: 403}]});
    loadInventory.mockResolvedValue(inv);
    render(<InventoryPage/>);
    expect(await screen.findByTestId('ta-refused')).toBeTruthy();
    expect(screen.queryByTestId('ta-table')).toBeNull();
    expect(screen.getByTestId('ta-page').textContent).not.toContain('alice');
});

test('a 403 on the policy tab refuses the whole page', async () => {
    loadInventory.mockResolvedValue(smallInventory().inv);
    (client.getPolicy as jest.Mock).mockRejectedValue(Object.assign(new Error('forbidden'), {status: 403}));
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    fireEvent.click(screen.getByTestId('ta-tab-policy'));
    expect(await screen.findByTestId('ta-refused')).toBeTruthy();
    expect(screen.queryByTestId('ta-table')).toBeNull();
});

test('parts that failed to load are named', async () => {
    loadInventory.mockResolvedValue(smallInventory({failures: [{part: 'usage', ids: ['x', 'y'], message: 'HTTP 500', status: 500}]}).inv);
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    expect(screen.getByText(/Sessions of 2 owners could not be read/)).toBeTruthy();
});

test('uses the host IntlProvider when there is one', async () => {
    loadInventory.mockResolvedValue(smallInventory().inv);
    render(
        <IntlProvider
            locale='fr'
            messages={{'token_audit.tabs.tokens': 'Jetons'}}
            onError={() => undefined}
        >
            <InventoryPage/>
        </IntlProvider>,
    );
    await screen.findByTestId('ta-table');
    expect(screen.getByTestId('ta-tab-tokens').textContent).toBe('Jetons');

    // Ids the host does not know fall back to English.
    expect(screen.getByTestId('ta-tab-policy').textContent).toBe('Policy');
});

test('tabs work from the keyboard', async () => {
    loadInventory.mockResolvedValue(smallInventory().inv);
    (client.getTrail as jest.Mock).mockResolvedValue({records: [], next: ''});
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
    const tokensTab = screen.getByTestId('ta-tab-tokens');
    tokensTab.focus();
    fireEvent.keyDown(tokensTab, {key: 'End'});
    await waitFor(() => expect(screen.getByTestId('ta-tab-campaigns').getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(screen.getByTestId('ta-tab-campaigns'), {key: 'ArrowLeft'});
    await waitFor(() => expect(screen.getByTestId('ta-tab-trail').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('ta-tab-trail'));
    expect(await screen.findByText('No records.')).toBeTruthy();
});

test('a large inventory shows what has arrived while the rest loads, searchable, without actions, and keeps the search when whole', async () => {
    const load = deferred();
    let opts: LoadOptions = {};
    loadInventory.mockImplementation((o) => {
        opts = o ?? {};
        return load.promise;
    });
    const people = Array.from({length: 3}, (_, i) => owner(`person${i}`));
    const tokens = Array.from({length: 250}, (_, i) => token(`token-${i}`, people[i % 3]));
    render(<InventoryPage/>);

    // One page's worth is not shown in part: a small server's table appears whole.
    act(() => opts.onPartial?.(() => inventory(tokens.slice(0, 199), people)));
    expect(screen.queryByTestId('ta-table-partial')).toBeNull();

    act(() => opts.onPartial?.(() => inventory(tokens.slice(0, 220), people)));
    expect(screen.getByTestId('ta-loading')).toBeTruthy();
    expect(screen.getByTestId('ta-arrived').textContent).toContain('220 tokens loaded so far');
    expect(screen.getByTestId('ta-table-partial')).toBeTruthy();
    expect(screen.queryByTestId('ta-table')).toBeNull();
    expect(screen.queryByTestId('ta-export-csv')).toBeNull();
    const revoke = screen.getByTestId(`ta-revoke-${tokens[0].id}`) as HTMLButtonElement;
    expect(revoke.disabled).toBe(true);

    fireEvent.change(screen.getByTestId('ta-search'), {target: {value: 'token-21'}});
    await waitFor(() => expect(screen.getByTestId(`ta-row-${tokens[21].id}`)).toBeTruthy());
    expect(screen.queryByTestId(`ta-row-${tokens[1].id}`)).toBeNull();

    await act(async () => load.resolve(inventory(tokens, people)));
    expect(screen.queryByTestId('ta-loading')).toBeNull();
    expect(screen.queryByTestId('ta-arrived')).toBeNull();
    expect(screen.getByTestId('ta-table')).toBeTruthy();
    expect((screen.getByTestId('ta-search') as HTMLInputElement).value).toBe('token-21');
    expect(screen.getByTestId(`ta-row-${tokens[210].id}`)).toBeTruthy();
    expect((screen.getByTestId(`ta-revoke-${tokens[21].id}`) as HTMLButtonElement).disabled).toBe(false);
});
