// Headless Debian Chromium, driven by playwright-core, opening the plugin host page as a given user.
import fs from 'fs';
import path from 'path';

import {Browser, BrowserContext, Page, chromium} from 'playwright-core';

import {environment} from './context';
import {buildOutput} from './paths';

export const screenshotDir = path.join(buildOutput, 'screenshots');

export function launchBrowser(): Promise<Browser> {
    return chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
}

// Logs in through the real login endpoint so the page carries the same cookies the webapp would.
export async function openHost(browser: Browser, username: string, password: string, query = '', url = environment().url): Promise<Page> {
    const context = await browser.newContext({baseURL: url, viewport: {width: 1440, height: 1000}, acceptDownloads: true});
    const login = await context.request.post('/api/v4/users/login', {data: {login_id: username, password}, headers: {'X-Requested-With': 'XMLHttpRequest'}});
    if (!login.ok()) {
        throw new Error(`login as ${username} failed: ${login.status()}`);
    }
    return hostPage(context, query);
}

// Bots cannot log in with a password, so their access token rides on every request the page makes
// (the websocket included), as it would for an API client.
export async function openHostWithToken(browser: Browser, token: string, query = '', url = environment().url): Promise<Page> {
    const context = await browser.newContext({baseURL: url, viewport: {width: 1440, height: 1000}, extraHTTPHeaders: {Authorization: `Bearer ${token}`}});
    return hostPage(context, query);
}

async function hostPage(context: BrowserContext, query: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    await page.goto(`/${query}`);
    await page.getByTestId('host-ready').waitFor({state: 'attached', timeout: 30000});
    return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
    fs.mkdirSync(screenshotDir, {recursive: true});
    const file = path.join(screenshotDir, `${name}.png`);
    await page.screenshot({path: file, fullPage: true});
    return file;
}

// Types a command into the host's message box and returns what came of it: the ephemeral post that
// answered it, or the error shown under the box.
export async function sendCommand(page: Page, command: string, timeoutMs = 30000): Promise<{post?: string; error?: string}> {
    const posts = page.getByTestId('host-post');
    const before = await posts.count();

    // A refusal can replace the previous error faster than any polling sees it blank, so every
    // change to the error line is recorded as it happens.
    await page.evaluate(() => {
        const box = document.querySelector('[data-testid="host-error"]')!;
        const w = window as unknown as {hostErrors: string[]; hostErrorWatch?: MutationObserver};
        w.hostErrorWatch?.disconnect();
        w.hostErrors = [];
        w.hostErrorWatch = new MutationObserver(() => box.textContent && w.hostErrors.push(box.textContent));
        w.hostErrorWatch.observe(box, {childList: true, characterData: true, subtree: true});
    });
    await page.getByTestId('host-input').fill(command);
    await page.getByTestId('host-input').press('Enter');
    await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="host-post"]').length > n || (window as unknown as {hostErrors: string[]}).hostErrors.length > 0,
        before,
        {timeout: timeoutMs},
    );
    if (await posts.count() > before) {
        return {post: (await posts.nth(before).textContent()) ?? ''};
    }
    return {error: await page.evaluate(() => (window as unknown as {hostErrors: string[]}).hostErrors.at(-1)!)};
}

// Runs `act` and returns the post it brought to the page: Mattermost also posts the answer to a
// server-path command to the caller's open clients, and it must land before the next one is sent.
export async function postFrom(page: Page, act: () => Promise<unknown>, timeoutMs = 30000): Promise<string> {
    const posts = page.getByTestId('host-post');
    const before = await posts.count();
    await act();
    await posts.nth(before).waitFor({timeout: timeoutMs});
    return (await posts.nth(before).textContent()) ?? '';
}
