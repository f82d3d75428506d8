import React from 'react';
import {act, fireEvent, render, screen, waitFor, within} from '@testing-library/react';

import * as client from '../../client';
import type {Inventory} from '../../client';
import type {SavedView} from '../../engine';

import {InventoryPage} from '../InventoryPage';
import {DAY, failOnConsoleError, inventory, NOW, owner, smallInventory, token} from '../shared/testing/fixtures';

jest.mock('../../client', () => ({
    ...jest.requireActual('../../client'),
    loadInventory: jest.fn(),
    saveViews: jest.fn(),
    markReviewed: jest.fn(),
}));

const loadInventory = client.loadInventory as jest.MockedFunction<typeof client.loadInventory>;

failOnConsoleError();

async function show(inv: Inventory) {
    loadInventory.mockResolvedValue(inv);
    render(<InventoryPage/>);
    await screen.findByTestId('ta-table');
}

function rowIds(): string[] {
    return within(screen.getByTestId('ta-table')).queryAllByTestId(/^ta-row-/).map((r) => r.getAttribute('data-testid')!.slice('ta-row-'.length));
}

function usernames(): string[] {
    return within(screen.getByTestId('ta-table')).queryAllByTestId(/^ta-row-/).map((r) => r.querySelector('.ta-username')!.textContent!);
}

// jsdom's Blob has no text().
function readBlob(blob: Blob): Promise<string> {
    return new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.readAsText(blob);
    });
}

async function search(text: string) {
    fireEvent.change(screen.getByTestId('ta-search'), {target: {value: text}});
    await act(async () => {
        await new Promise((r) => setTimeout(r, 200));
    });
}

test('rows show owner, badges, state and findings', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    const alice = screen.getByTestId(`ta-row-${tokens[0].id}`);
    expect(alice.textContent).toContain('alice');
    expect(alice.textContent).toContain('alice@example.com');
    expect(alice.textContent).toContain('Admin');
    expect(alice.textContent).toContain('Active');
    expect(within(alice).getByTestId('ta-finding-owner_system_admin')).toBeTruthy();
    expect(alice.querySelector('img')!.getAttribute('src')).toBe(`http://localhost/api/v4/users/${tokens[0].user_id}/image`);

    const bob = screen.getByTestId(`ta-row-${tokens[2].id}`);
    expect(bob.textContent).toContain('Disabled');
    expect(within(bob).getByTestId('ta-finding-disabled')).toBeTruthy();
    expect(within(bob).getByTestId(`ta-enable-${tokens[2].id}`)).toBeTruthy();
    expect(within(bob).queryByTestId(`ta-disable-${tokens[2].id}`)).toBeNull();

    // The server has no expiry, so neither has the table.
    expect(screen.queryByText('Expires')).toBeNull();
    expect(screen.getByText('Last seen active').closest('th')!.getAttribute('title')).toContain('at most every 5 minutes');
});

test('the expiry column shows never, a date or expired when the server knows expiry', async () => {
    const o = owner('dora');
    const tokens = [
        token('never', o, {expires_at: 0}),
        token('later', o, {expires_at: NOW + (100 * DAY)}),
        token('gone', o, {expires_at: NOW - DAY}),
    ];
    await show(inventory(tokens, [o], {features: {tokensEnabled: true, expirySupported: true}}));
    expect(screen.getByText('Expires')).toBeTruthy();
    expect(screen.getByTestId(`ta-row-${tokens[0].id}`).textContent).toContain('Never');
    expect(screen.getByTestId(`ta-row-${tokens[1].id}`).textContent).toContain('2025');
    expect(screen.getByTestId(`ta-row-${tokens[2].id}`).textContent).toContain('Expired');
    expect(screen.getByTestId('ta-summary-never_expires').textContent).toContain('1');
});

test('every column sorts, both ways, with aria-sort', async () => {
    const {inv} = smallInventory();
    await show(inv);
    const ownerHeader = screen.getByTestId('ta-sort-owner');
    expect(screen.getByTestId('ta-sort-findings').closest('th')!.getAttribute('aria-sort')).toBe('descending');

    fireEvent.click(ownerHeader);
    expect(ownerHeader.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByTestId('ta-sort-findings').closest('th')!.getAttribute('aria-sort')).toBe('none');
    expect(usernames()).toEqual(['alice', 'alice', 'bob', 'carol']);

    fireEvent.click(ownerHeader);
    expect(ownerHeader.closest('th')!.getAttribute('aria-sort')).toBe('descending');
    expect(usernames()).toEqual(['carol', 'bob', 'alice', 'alice']);

    for (const column of ['description', 'token_id', 'state', 'first_seen', 'last_active', 'findings']) {
        const header = screen.getByTestId(`ta-sort-${column}`);
        fireEvent.click(header);
        expect(header.closest('th')!.getAttribute('aria-sort')).not.toBe('none');
    }
    fireEvent.click(screen.getByTestId('ta-sort-state'));
    expect(screen.getByTestId('ta-sort-state').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(rowIds()[3]).toBe(inv.tokens[2].id);
});

test('search matches username, email, description and id', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    await search('@bob');
    expect(rowIds()).toEqual([tokens[2].id]);
    await search('backup');
    expect(rowIds()).toEqual([tokens[1].id]);
    await search(tokens[3].id);
    expect(rowIds()).toEqual([tokens[3].id]);
    await search('nobody-has-this');
    expect(rowIds()).toEqual([]);
    expect(screen.getByText('No token matches the search and filters.')).toBeTruthy();
});

test('filters by state, finding and owner kind, and summary counts filter too', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    fireEvent.change(screen.getByTestId('ta-filter-state'), {target: {value: 'inactive'}});
    expect(rowIds()).toEqual([tokens[2].id]);
    fireEvent.change(screen.getByTestId('ta-filter-state'), {target: {value: 'all'}});

    fireEvent.change(screen.getByTestId('ta-filter-owner'), {target: {value: 'bot'}});
    expect(rowIds()).toEqual([tokens[3].id]);
    fireEvent.change(screen.getByTestId('ta-filter-owner'), {target: {value: ''}});

    fireEvent.change(screen.getByTestId('ta-filter-finding'), {target: {value: 'owner_system_admin'}});
    expect(rowIds().sort()).toEqual([tokens[0].id, tokens[1].id].sort());
    fireEvent.change(screen.getByTestId('ta-filter-finding'), {target: {value: ''}});

    const bots = screen.getByTestId('ta-summary-owner_bot');
    expect(bots.textContent).toContain('1');
    fireEvent.click(bots);
    expect(bots.getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('ta-filter-finding') as HTMLSelectElement).value).toBe('owner_bot');
    expect(rowIds()).toEqual([tokens[3].id]);
    fireEvent.click(bots);
    expect(rowIds()).toHaveLength(4);
});

test('10,000 tokens: one page in the DOM, search and paging stay in memory', async () => {
    const owners = Array.from({length: 500}, (_, i) => owner(`user${i}`));
    const tokens = Array.from({length: 10000}, (_, i) => token(`tok${i}`, owners[i % 500]));
    await show(inventory(tokens, owners));
    expect(rowIds()).toHaveLength(50);
    expect(screen.getByTestId('ta-page-info').textContent).toBe('Showing 1–50 of 10000');

    fireEvent.change(screen.getByTestId('ta-page-size'), {target: {value: '100'}});
    expect(rowIds()).toHaveLength(100);
    fireEvent.click(screen.getByTestId('ta-page-next'));
    expect(screen.getByTestId('ta-page-info').textContent).toBe('Showing 101–200 of 10000');

    await search('user42@');
    expect(rowIds()).toHaveLength(20);
    expect(screen.getByTestId('ta-page-info').textContent).toBe('Showing 1–20 of 20');

    // jsdom and development React are slow; this guards against rendering every row, not speed.
}, 30000);

test('select all selects the whole view, not more, and the selection follows the view', async () => {
    const {tokens, inv} = smallInventory();
    await show(inv);
    fireEvent.change(screen.getByTestId('ta-filter-owner'), {target: {value: 'admin'}});
    fireEvent.click(screen.getByTestId('ta-select-all'));
    expect(screen.getByTestId('ta-selected-count').textContent).toBe('2 tokens selected');
    expect((screen.getByTestId(`ta-select-${tokens[0].id}`) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByTestId(`ta-select-${tokens[0].id}`));
    expect((screen.getByTestId('ta-select-all') as HTMLInputElement).indeterminate).toBe(true);
    expect(screen.getByTestId('ta-selected-count').textContent).toBe('1 token selected');

    // Narrowing the view drops what it hides.
    await search('nothing-matches');
    fireEvent.change(screen.getByTestId('ta-filter-owner'), {target: {value: ''}});
    await search('');
    expect(screen.getByTestId('ta-selected-count').textContent).toBe('No tokens selected');
    expect((screen.getByTestId('ta-bulk-revoke') as HTMLButtonElement).disabled).toBe(true);
});

test('export downloads exactly the current view', async () => {
    const {inv} = smallInventory();
    await show(inv);
    const blobs: Blob[] = [];
    const created = jest.fn((b: Blob) => {
        blobs.push(b);
        return 'blob:x';
    });
    Object.assign(URL, {createObjectURL: created, revokeObjectURL: jest.fn()});
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    await search('bob');
    fireEvent.click(screen.getByTestId('ta-export-csv'));
    const csv = await readBlob(blobs[0]);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain('bob-old');

    fireEvent.click(screen.getByTestId('ta-export-json'));
    const json = JSON.parse(await readBlob(blobs[1]));
    expect(json.map((r: {username: string}) => r.username)).toEqual(['bob']);
    expect(click).toHaveBeenCalledTimes(2);
    click.mockRestore();
});

test('saved views: apply, save and delete', async () => {
    const view: SavedView = {
        name: 'Disabled', query: '', filters: {state: 'inactive', findings: [], owner_kinds: []},
        sort: {column: 'owner', direction: 'asc'}, columns: ['owner', 'state'], page_size: 25,
    };
    const {tokens, inv} = smallInventory({views: {views: [view], last_reviewed_at: 0}});
    const saveViews = client.saveViews as jest.Mock;
    saveViews.mockImplementation(async (views: SavedView[]) => ({views, last_reviewed_at: 0}));
    await show(inv);

    fireEvent.change(screen.getByTestId('ta-views'), {target: {value: 'Disabled'}});
    expect(rowIds()).toEqual([tokens[2].id]);
    expect((screen.getByTestId('ta-page-size') as HTMLSelectElement).value).toBe('25');
    expect(screen.queryByTestId('ta-sort-description')).toBeNull();

    fireEvent.click(screen.getByTestId('ta-view-save'));
    const dialog = screen.getByTestId('ta-view-dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), {target: {value: 'Mine'}});
    fireEvent.click(within(dialog).getByRole('button', {name: 'Save view'}));
    await waitFor(() => expect(screen.queryByTestId('ta-view-dialog')).toBeNull());
    expect(saveViews).toHaveBeenCalledWith([view, {...view, name: 'Mine'}]);

    fireEvent.click(screen.getByTestId('ta-view-delete'));
    await waitFor(() => expect(saveViews).toHaveBeenLastCalledWith([view]));
});

test('mark reviewed feeds the new finding', async () => {
    const {tokens, inv} = smallInventory({views: {views: [], last_reviewed_at: NOW - (20 * DAY)}});
    (client.markReviewed as jest.Mock).mockResolvedValue({views: [], last_reviewed_at: NOW});
    await show(inv);
    expect(within(screen.getByTestId(`ta-row-${tokens[0].id}`)).getByTestId('ta-finding-new')).toBeTruthy();
    fireEvent.click(screen.getByTestId('ta-mark-reviewed'));
    await waitFor(() => expect(screen.queryAllByTestId('ta-finding-new')).toHaveLength(0));
});

test('Enter in a field never submits the System Console form around the page', async () => {
    const {inv} = smallInventory();
    loadInventory.mockResolvedValue(inv);
    const submit = jest.fn((e: React.FormEvent) => e.preventDefault());
    render(<form onSubmit={submit}><InventoryPage/></form>);
    await screen.findByTestId('ta-table');
    expect(fireEvent.keyDown(screen.getByTestId('ta-search'), {key: 'Enter'})).toBe(false);
    expect(fireEvent.keyDown(screen.getByTestId(`ta-select-${inv.tokens[0].id}`), {key: 'Enter'})).toBe(false);
    expect(document.querySelectorAll('form')).toHaveLength(1);
    expect(submit).not.toHaveBeenCalled();
});

test('an exempted token says why, and until when if its exemption ends', async () => {
    const {tokens, inv} = smallInventory();
    const ends = NOW + 30 * DAY;
    inv.policy = {...inv.policy, exemptions: [
        {kind: 'token', id: tokens[0].id, reason: 'migration', added_by: '', added_at: 1, expires_at: ends},
        {kind: 'token', id: tokens[1].id, reason: 'break-glass', added_by: '', added_at: 1},
        {kind: 'token', id: tokens[3].id, reason: 'over', added_by: '', added_at: 1, expires_at: NOW},
    ]};
    await show(inv);
    const title = (id: string) => within(screen.getByTestId(`ta-row-${id}`)).queryByTestId('ta-finding-exempted')?.getAttribute('title');
    const date = new Intl.DateTimeFormat('en', {year: 'numeric', month: 'short', day: 'numeric'}).format(ends);
    expect(title(tokens[0].id)).toBe(`Exempted until ${date}: migration`);
    expect(title(tokens[1].id)).toBe('Exempted: break-glass');
    expect(title(tokens[3].id)).toBeUndefined();
});
