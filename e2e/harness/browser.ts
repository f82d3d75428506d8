// Headless Debian Chromium, driven by playwright-core, opening the plugin host page as a given user.
import fs from 'fs';
import path from 'path';

import {Browser, Page, chromium} from 'playwright-core';

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
