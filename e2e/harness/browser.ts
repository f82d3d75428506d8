// Headless Debian Chromium, driven by playwright-core, opening the plugin host page as a given user.
import fs from 'fs';
import path from 'path';

import {Browser, BrowserContext, Page, chromium} from 'playwright-core';

import {LOCALES, workingOn} from '../../webapp/src/engine';
import {addEveryCatalogue} from '../../webapp/src/engine/i18n/every';
import de from '../../webapp/src/engine/i18n/de.json';
import en from '../../webapp/src/engine/i18n/en.json';
import es from '../../webapp/src/engine/i18n/es.json';

import {environment} from './context';
import {buildOutput} from './paths';

// The placeholder is recognised in any language the plugin may answer in.
addEveryCatalogue();

export const screenshotDir = path.join(buildOutput, 'screenshots');

export function launchBrowser(): Promise<Browser> {
    return chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
}

export interface HostOptions {
    // Where the page is opened: the server's SiteURL by default; another address it answers on,
    // a proxy, or SiteURL with its subpath. Every request the page makes goes there.
    url?: string;

    // Appended to the page address, e.g. '?legacy=1'.
    query?: string;

    // The page's websocket must be open before the page counts as ready (false where the server
    // refuses the page's Origin, as it does for an address that is neither SiteURL nor in AllowCorsFrom).
    socket?: boolean;

    viewport?: {width: number; height: number};

    // Collects the address of every request the page makes, from its very first.
    requests?: string[];
}

const defaultViewport = {width: 1440, height: 1000};

// Logs in through the real login endpoint so the page carries the same cookies the webapp would.
export async function openHost(browser: Browser, username: string, password: string, options: HostOptions = {}): Promise<Page> {
    const url = options.url ?? environment().url;
    const context = await browser.newContext({viewport: options.viewport ?? defaultViewport, acceptDownloads: true});
    const login = await context.request.post(`${url}/api/v4/users/login`, {data: {login_id: username, password}, headers: {'X-Requested-With': 'XMLHttpRequest'}});
    if (!login.ok()) {
        throw new Error(`login as ${username} at ${url} failed: ${login.status()}`);
    }
    return hostPage(context, url, options);
}

// Bots cannot log in with a password, so their access token rides on every request the page makes
// (the websocket included), as it would for an API client.
export async function openHostWithToken(browser: Browser, token: string, options: HostOptions = {}): Promise<Page> {
    const context = await browser.newContext({viewport: options.viewport ?? defaultViewport, extraHTTPHeaders: {Authorization: `Bearer ${token}`}});
    return hostPage(context, options.url ?? environment().url, options);
}

async function hostPage(context: BrowserContext, url: string, options: HostOptions): Promise<Page> {
    const {requests} = options;
    if (requests) {
        context.on('request', (request) => requests.push(request.url()));
    }
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    await page.goto(`${url}/${options.query ?? ''}`);
    const ready = page.locator('[data-testid="host-ready"]:not([data-socket="connecting"])');
    await ready.waitFor({state: 'attached', timeout: 30000});
    const socket = await ready.getAttribute('data-socket');
    if ((options.socket ?? true) && socket !== 'open') {
        throw new Error(`the page at ${url} has no websocket (${socket}): the server refused its Origin`);
    }
    return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
    fs.mkdirSync(screenshotDir, {recursive: true});
    const file = path.join(screenshotDir, `${name}.png`);
    await page.screenshot({path: file, fullPage: true});
    return file;
}

export interface BoxIds {
    input: string;
    error: string;

    // The posts the answer is looked for among.
    post: string;
}

export const channelBox: BoxIds = {input: 'host-input', error: 'host-error', post: 'host-post'};
export const threadBox: BoxIds = {input: 'host-reply-input', error: 'host-reply-error', post: 'host-thread-post'};

export interface Answer {
    // The answer as it was posted (its markdown), after every replacement of it.
    post?: string;
    postId?: string;
    rootId?: string;

    // What the box showed under the draft, when the command was refused.
    error?: string;
}

// The placeholder the plugin posts for a command while it works on it, in any of its languages.
function isPlaceholder(command: string, message: string): boolean {
    return LOCALES.some((locale) => workingOn(command, {locale}) === message);
}

// Types a command into a message box and returns what came of it: the post that answered it (once
// the plugin replaced its placeholder for the last time), or the error shown under the box. The hook
// gives the box back as soon as the placeholder is up, so the answer is awaited on the post itself.
export async function answerTo(page: Page, command: string, box: BoxIds = channelBox, timeoutMs = 30000): Promise<Answer> {
    const posts = page.getByTestId(box.post);
    const before = await posts.count();

    // A refusal can replace the previous error faster than any polling sees it blank, so every
    // change to the error line is recorded as it happens.
    await page.evaluate((errorId) => {
        const line = document.querySelector(`[data-testid="${errorId}"]`)!;
        const w = window as unknown as {hostErrors: string[]; hostErrorWatch?: MutationObserver};
        w.hostErrorWatch?.disconnect();
        w.hostErrors = [];
        w.hostErrorWatch = new MutationObserver(() => line.textContent && w.hostErrors.push(line.textContent));
        w.hostErrorWatch.observe(line, {childList: true, characterData: true, subtree: true});
    }, box.error);

    // Replacements of a placeholder reach the page as post_edited events; each is counted so the
    // answer is read only after the last one the plugin sent has arrived.
    const replacements = new Map<string, number>();
    const countReplacement = (request: {method(): string; url(): string}) => {
        const match = request.method() === 'PUT' && /\/plugins\/[^/]+\/api\/v1\/ephemeral\/([a-z0-9]{26})$/.exec(request.url());
        if (match) {
            replacements.set(match[1], (replacements.get(match[1]) ?? 0) + 1);
        }
    };
    page.on('request', countReplacement);
    try {
        const input = page.getByTestId(box.input);

        // Cleared first: the box sends refused text again only once it was edited.
        await input.fill('');
        await input.fill(command);
        await input.press('Enter');
        await page.waitForFunction(
            ({id, n}) => document.querySelectorAll(`[data-testid="${id}"]`).length > n || (window as unknown as {hostErrors: string[]}).hostErrors.length > 0,
            {id: box.post, n: before},
            {timeout: timeoutMs},
        );

        // The hooks and the request are done once the box is no longer busy.
        await page.locator(`.post-create[data-busy="false"]:has([data-testid="${box.input}"])`).waitFor({timeout: timeoutMs});
        const errors = await page.evaluate(() => (window as unknown as {hostErrors: string[]}).hostErrors);
        if (errors.length) {
            return {error: errors.at(-1)};
        }
        const answer = posts.nth(before);
        const postId = (await answer.getAttribute('data-post-id'))!;
        const placeholder = isPlaceholder(command, await postMessage(page, postId));
        await page.waitForFunction(
            ({id, n}) => Number(document.querySelector(`[data-post-id="${id}"]`)?.getAttribute('data-revision')) >= n,
            {id: postId, n: Math.max(placeholder ? 1 : 0, replacements.get(postId) ?? 0)},
            {timeout: timeoutMs},
        );
        return {post: await postMessage(page, postId), postId, rootId: (await answer.getAttribute('data-root-id')) ?? ''};
    } finally {
        page.off('request', countReplacement);
    }
}

// The answer's text or the error, nothing else, for tests that compare the whole outcome.
export async function sendCommand(page: Page, command: string, timeoutMs = 30000): Promise<{post?: string; error?: string}> {
    const {post, error} = await answerTo(page, command, channelBox, timeoutMs);
    return error === undefined ? {post} : {error};
}

// The browser keeps the inventory a minute and, answering from it, says how old it is; the server
// reads it every time. That note, in any language, is the one difference between the paths.
const readBefore = new RegExp(`\\n+> (${[en, de, es].map((c) => c['token_audit.command.note.read_before'].split('{')[0]).join('|')})[^\\n]*`);

export function withoutReadNote(post: string): string {
    return post.replace(readBefore, '');
}

// The markdown a post arrived with, as the server sent it.
export function postMessage(page: Page, postId: string): Promise<string> {
    return page.evaluate((id) => (window as unknown as {hostPostMessage(id: string): string}).hostPostMessage(id), postId);
}

// Runs `act` and returns the post it brought to the page: Mattermost also posts the answer to a
// server-path command to the caller's open clients, and it must land before the next one is sent.
export async function postFrom(page: Page, act: () => Promise<unknown>, timeoutMs = 30000): Promise<string> {
    const posts = page.getByTestId('host-post');
    const before = await posts.count();
    await act();
    await posts.nth(before).waitFor({timeout: timeoutMs});
    return postMessage(page, (await posts.nth(before).getAttribute('data-post-id'))!);
}
