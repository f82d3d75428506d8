// The page as the real System Console hosts it: props of a custom setting, a surrounding console
// that must keep working, navigation that unmounts the page mid-action, the admin's locale.
import React from 'react';
import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {IntlProvider} from 'react-intl';

import * as client from '../client';
import type {ActionOptions, ActionRun, Inventory} from '../client';
import type {Token, TokenActionName} from '../engine';
import de from '../engine/i18n/de.json';

import {dismissRun} from './tokens/actionRuns';
import {InventoryPage} from './InventoryPage';
import {failOnConsoleError, smallInventory} from './shared/testing/fixtures';

jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    loadInventory: jest.fn(),
    runTokenAction: jest.fn(),
    getTokensForUser: jest.fn(async () => []),
    getUsage: jest.fn(async () => ({})),
}));

const loadInventory = client.loadInventory as jest.MockedFunction<typeof client.loadInventory>;
const runTokenAction = client.runTokenAction as jest.MockedFunction<typeof client.runTokenAction>;

beforeEach(() => {
    loadInventory.mockReset();
    runTokenAction.mockReset();
});

afterEach(() => dismissRun());

// The console around the page: the sidebar search and the settings form with its Save bar.
function Console({children}: {children: React.ReactNode}) {
    return (
        <div className='admin-console'>
            <nav data-testid='console-sidebar'>{'Plugins'}</nav>
            <form className='form-horizontal'>
                {children}
                <button
                    type='submit'
                    data-testid='console-save'
                >
                    {'Save'}
                </button>
            </form>
        </div>
    );
}

describe('with the console reporting no errors', () => {
    failOnConsoleError();

    test('the whole page is exempt from the sidebar search marking, and titled apart from the settings', async () => {
        loadInventory.mockResolvedValue(smallInventory().inv);
        render(<Console><InventoryPage disabled={false}/></Console>);
        await screen.findByTestId('ta-table');
        const page = screen.getByTestId('ta-page');
        expect(page.classList.contains('ignore-marking')).toBe(true);
        expect(page.contains(screen.getByTestId('ta-table'))).toBe(true);
        expect(screen.getByRole('region', {name: 'Token inventory'}).contains(screen.getByTestId('ta-table'))).toBe(true);
        expect(page.contains(screen.getByTestId('console-save'))).toBe(false);
    });

    test('while the Enable setting reads false, saved or not, the page says so, loads nothing and offers no action', async () => {
        render(<Console><InventoryPage disabled={true}/></Console>);
        expect(screen.getByTestId('ta-plugin-disabled').textContent).toContain('Token Audit is not enabled.');
        expect(screen.getByTestId('ta-page').querySelectorAll('button, input, select')).toHaveLength(0);
        expect(loadInventory).not.toHaveBeenCalled();
    });

    test('in German when the admin\'s locale is German', async () => {
        loadInventory.mockResolvedValue(smallInventory().inv);
        render(
            <IntlProvider
                locale='de'
                messages={de}
            >
                <InventoryPage/>
            </IntlProvider>,
        );
        await screen.findByTestId('ta-table');
        expect(screen.getByRole('region', {name: 'Token-Inventar'})).toBeTruthy();
        expect(screen.getByTestId('ta-bulk-revoke').textContent).toBe('Widerrufen (0)');
        expect(screen.getByTestId('ta-page').textContent).toContain('Zuletzt aktiv gesehen');

        // Dates the German way: day first, then the month.
        expect(screen.getByTestId('ta-page').textContent).toMatch(/\d{1,2}\. \p{L}+\.? 2025/u);
    });
});

test('a render error shows a message with a reload that remounts the page, and the console keeps working', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // An answer the page cannot render: a token list that is no list.
    loadInventory.mockResolvedValueOnce({...smallInventory().inv, tokens: null} as unknown as Inventory);
    render(<Console><InventoryPage/></Console>);
    const crashed = await screen.findByTestId('ta-crashed');
    expect(crashed.textContent).toContain('The Token Audit page ran into a problem and stopped.');
    expect(screen.getByTestId('console-sidebar')).toBeTruthy();
    expect(screen.getByTestId('console-save')).toBeTruthy();
    expect(error).toHaveBeenCalledWith('[token-audit] the Token Audit page crashed', expect.any(Error), expect.any(String));

    loadInventory.mockResolvedValue(smallInventory().inv);
    fireEvent.click(screen.getByTestId('ta-crashed-reload'));
    await screen.findByTestId('ta-table');
    expect(screen.queryByTestId('ta-crashed')).toBeNull();
    expect(loadInventory).toHaveBeenCalledTimes(2);
    error.mockRestore();
});

describe('leaving the page in the middle of a bulk action', () => {
    failOnConsoleError();

    test('the run goes on to the end, nothing starts twice, and the next visit says how it ended', async () => {
        const {tokens, inv} = smallInventory();
        loadInventory.mockResolvedValue(inv);
        let finish: (run: ActionRun) => void = () => undefined;
        let options: ActionOptions | undefined;
        runTokenAction.mockImplementation((_action: TokenActionName, targets: ReadonlyArray<Pick<Token, 'id' | 'user_id'>>, opts: ActionOptions) => {
            options = opts;
            opts.onProgress?.({phase: 'act', done: 1, total: targets.length});
            return new Promise((resolve) => {
                finish = resolve;
            });
        });

        const first = render(<InventoryPage/>);
        await screen.findByTestId('ta-table');
        fireEvent.click(screen.getByTestId(`ta-select-${tokens[0].id}`));
        fireEvent.click(screen.getByTestId(`ta-select-${tokens[1].id}`));
        fireEvent.click(screen.getByTestId('ta-bulk-revoke'));
        fireEvent.click(screen.getByTestId('ta-confirm-ok'));
        await waitFor(() => expect(runTokenAction).toHaveBeenCalledTimes(1));

        // The admin navigates away; no signal stops the run (it is never aborted halfway).
        first.unmount();
        expect(options?.signal).toBeUndefined();

        // Back while it is still going: the page shows the run's progress instead of starting anew.
        const second = render(<InventoryPage/>);
        await screen.findByTestId('ta-table');
        expect(screen.getByTestId('ta-confirm').textContent).toContain('Working: 1 of 2 done.');
        second.unmount();

        await act(async () => finish({action: 'revoke', actionId: 'a'.repeat(26), results: [{tokenId: tokens[0].id, ok: true}, {tokenId: tokens[1].id, ok: false, error: 'Forbidden', status: 403}]}));

        // The next visit: a fresh inventory, and the report of the run that ended meanwhile.
        render(<InventoryPage/>);
        await screen.findByTestId('ta-table');
        const result = screen.getByTestId('ta-result');
        expect(result.textContent).toContain('Revoked 1 of 2 tokens; 1 failed.');
        expect(screen.getByTestId('ta-result-left-behind').textContent).toBe('This ran to the end after you left the page; the outcome of every token is in the audit trail.');
        expect(runTokenAction).toHaveBeenCalledTimes(1);
        expect(screen.queryByTestId('ta-confirm')).toBeNull();
    });

    test('a report seen before leaving is not shown again', async () => {
        const {tokens, inv} = smallInventory();
        loadInventory.mockResolvedValue(inv);
        runTokenAction.mockResolvedValue({action: 'disable', actionId: 'b'.repeat(26), results: [{tokenId: tokens[0].id, ok: true}]});
        const first = render(<InventoryPage/>);
        await screen.findByTestId('ta-table');
        fireEvent.click(screen.getByTestId(`ta-disable-${tokens[0].id}`));
        fireEvent.click(screen.getByTestId('ta-confirm-ok'));
        await screen.findByTestId('ta-result');
        first.unmount();

        render(<InventoryPage/>);
        await screen.findByTestId('ta-table');
        expect(screen.queryByTestId('ta-result')).toBeNull();
    });
});
