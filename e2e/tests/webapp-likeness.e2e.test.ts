// The console and /tokens in the stand-in under the conditions of the real webapp: the console's
// 920 px content beside its sidebar, the sidebar search marking words, the plugin's Enable setting,
// the page opened at another address than SiteURL, a server under a subpath, a thread, German, and
// a slow answer whose placeholder is replaced in place.
import fs from 'fs';
import path from 'path';

import {Client4} from '@mattermost/client';
import {Browser, Page} from 'playwright-core';

import {HostOptions, answerTo, launchBrowser, openHost, postMessage, screenshot, threadBox} from '../harness/browser';
import {adminClient, environment, eventually} from '../harness/context';
import {Environment, Started, startEnvironment} from '../harness/environment';
import {FaultProxy} from '../harness/faults';
import {waitForPluginState} from '../harness/plugin';
import {loggedIn} from '../harness/seed';
import manifest from '../../plugin.json';

let admin: Client4;
let browser: Browser;

const env = () => environment();
const openAdmin = (options: HostOptions = {}, on: Environment = env()) => openHost(browser, on.admin.username, on.admin.password, {url: on.url, ...options});

async function openConsole(options: HostOptions = {}, on: Environment = env()): Promise<Page> {
    const page = await openAdmin(options, on);
    await page.getByTestId('ta-table').waitFor({timeout: 60000});
    return page;
}

// Every request the page made, to check none went anywhere but where the page is.
function recordRequests(page: Page): string[] {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    return urls;
}

async function setAllowCorsFrom(origins: string) {
    await admin.patchConfig({ServiceSettings: {AllowCorsFrom: origins}} as never);
}

function tokenIdsIn(text: string, on: Environment = env()): string[] {
    return on.fixtures.tokens.filter((t) => text.includes(t.id)).map((t) => t.id);
}

// The scripts a page fetched from the plugin's folder besides main.js, which Mattermost serves as
// <id>_<hash>_bundle.js: the catalogues of languages other than English.
function chunksFetched(requests: string[]): string[] {
    const folder = `/static/plugins/${manifest.id}/`;
    return requests.map((url) => new URL(url).pathname).filter((p) => p.includes(folder) && p.endsWith('.js') && !p.endsWith('_bundle.js'));
}

const bundleFetched = (requests: string[]) => requests.some((url) => new URL(url).pathname.endsWith('_bundle.js'));

const actionButtons = '[data-testid^="ta-revoke-"], [data-testid^="ta-disable-"], [data-testid^="ta-enable-"], [data-testid^="ta-bulk-"], [data-testid^="ta-select-"]';

beforeAll(async () => {
    admin = await adminClient();
    browser = await launchBrowser();
});

afterAll(async () => {
    await browser?.close();
});

describe('the System Console frame', () => {
    let page: Page;
    const requests: string[] = [];

    beforeAll(async () => {
        page = await openConsole({requests});
    });

    test('an English admin\'s page fetches main.js and no catalogue besides', async () => {
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
        expect(bundleFetched(requests)).toBe(true);
        expect(chunksFetched(requests)).toEqual([]);
    });

    afterAll(async () => {
        await page?.context().close();
    });

    test('at the console’s 920 px no column or action is cut off and the page does not scroll sideways', async () => {
        const content = (await page.locator('.admin-console__content').boundingBox())!;
        expect(content.width).toBe(920);
        const outside = await page.locator('[data-testid="ta-table"]').evaluate((table, box) => {
            const parts = [...table.querySelectorAll('th, td, button, a, input, select')];
            return parts.filter((el) => {
                const r = el.getBoundingClientRect();
                const cut = el instanceof HTMLElement && (el.scrollWidth > el.clientWidth + 1) && getComputedStyle(el).overflowX === 'hidden';
                return r.width > 0 && (r.left < box.x - 0.5 || r.right > box.x + box.width + 0.5 || cut);
            }).map((el) => `${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? ''} ${(el.textContent ?? '').trim().slice(0, 30)}`);
        }, content);
        expect(outside).toEqual([]);
        expect(await page.locator(`[data-testid="ta-table"] :is(${actionButtons})`).count()).toBeGreaterThan(0);
        const scroll = await page.evaluate(() => ({document: document.documentElement.scrollWidth, viewport: window.innerWidth}));
        expect(scroll.document).toBeLessThanOrEqual(scroll.viewport);
        await screenshot(page, 'likeness-console-920');
    });

    test('the settings page is laid out as the console lays it out: Enable first, then the manifest’s settings in order, the Save bar in view', async () => {
        const form = page.locator('.admin-console__content form.form-horizontal');
        await expect(form.count()).resolves.toBe(1);
        const where: Record<string, string> = {Inventory: '[data-testid="ta-table"]', TrailRetentionDays: '[data-testid="host-setting-TrailRetentionDays"]'};
        const order = await form.evaluate((f, selectors) => {
            const all = [...f.querySelectorAll('*')];
            return selectors.map((selector) => all.indexOf(f.querySelector(selector)!));
        }, ['[data-testid="host-enable-true"]', ...manifest.settings_schema.settings.map((s) => where[s.key])]);
        expect(order.every((at) => at >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);

        const bar = (await page.locator('.admin-console-save').boundingBox())!;
        const viewport = page.viewportSize()!;
        expect(bar.y + bar.height).toBeLessThanOrEqual(viewport.height + 0.5);
        const onTop = await page.evaluate(({x, y}) => Boolean(document.elementFromPoint(x, y)?.closest('.admin-console-save')), {x: bar.x + 10, y: bar.y + bar.height / 2});
        expect(onTop).toBe(true);
        await expect(page.getByTestId('host-save').isDisabled()).resolves.toBe(true);
    });

    test('the retention setting saves through the console’s Save bar into the plugin’s config', async () => {
        const key = 'trailretentiondays';
        const before = (await admin.getConfig()).PluginSettings.Plugins[env().pluginId]?.[key];
        try {
            await page.getByTestId('host-setting-TrailRetentionDays').fill('90');
            await page.getByTestId('host-save').click();
            await eventually(async () => (await admin.getConfig()).PluginSettings.Plugins[env().pluginId]?.[key], 90);
            await expect(page.getByTestId('host-save').isDisabled()).resolves.toBe(true);
        } finally {
            await admin.patchConfig({PluginSettings: {Plugins: {[env().pluginId]: {[key]: before ?? 365}}}} as never);
        }
    });

    test('the sidebar search marks matching words across the console but none inside the plugin page', async () => {
        const term = 'token';
        const inPlugin = await page.locator('[data-testid="ta-table"]').textContent();
        expect(inPlugin?.toLowerCase()).toContain(term);
        await page.getByTestId('host-sidebar-search').fill(term);
        await page.locator(`[data-testid="host-console"][data-marked-keyword="${term}"]`).waitFor();
        const marks = await page.evaluate(() => ({
            all: document.querySelectorAll('[data-testid="host-console"] mark').length,
            inPlugin: document.querySelectorAll('[data-testid^="ta-"] mark, .ignore-marking mark').length,
        }));
        expect(marks.all).toBeGreaterThan(0);
        expect(marks.inPlugin).toBe(0);
        await screenshot(page, 'likeness-sidebar-search');
        await page.getByTestId('host-sidebar-search').fill('');
        await page.locator('[data-testid="host-console"][data-marked-keyword=""]').waitFor();
    });

    test('?legacy=1 (a registry without registerAdminConsoleCustomSection) still shows the page', async () => {
        const legacy = await openConsole({query: '?legacy=1'});
        await expect(legacy.getByTestId('host-ready').getAttribute('data-console')).resolves.toBe('setting');
        await legacy.context().close();
    });
});

test('the Enable setting switched off: the page says the plugin is off and offers no action; saved, the plugin stops; switched on and saved, it is back', async () => {
    const page = await openConsole();
    try {
        await page.getByTestId('host-enable-false').check();
        await page.getByTestId('ta-plugin-disabled').waitFor();
        await expect(page.locator(actionButtons).count()).resolves.toBe(0);
        await screenshot(page, 'likeness-plugin-disabled');

        await page.getByTestId('host-save').click();
        await waitForPluginState(admin, env().pluginId, false);
        await page.locator('.admin-console .banner.warning').waitFor();
        await expect(page.locator('[data-testid^="ta-"]').count()).resolves.toBe(0);

        await page.getByTestId('host-enable-true').check();
        await page.getByTestId('host-save').click();
        await waitForPluginState(admin, env().pluginId, true);
        await page.getByTestId('ta-table').waitFor({timeout: 60000});
    } finally {
        await admin.enablePlugin(env().pluginId);
        await waitForPluginState(admin, env().pluginId, true);
        await page.context().close();
    }
});

describe('the page opened at another address than SiteURL', () => {
    const other = () => env().url.replace('//127.0.0.1:', '//localhost:');

    test('the real server refuses the websocket from an Origin it does not know, and the console still works', async () => {
        const page = await openAdmin({url: other(), socket: false});
        const requests = recordRequests(page);
        await page.reload();
        await page.getByTestId('ta-table').waitFor({timeout: 60000});
        await expect(page.getByTestId('host-ready').getAttribute('data-socket')).resolves.toBe('refused');
        for (const token of env().fixtures.tokens.filter((t) => t.username !== 'erin')) {
            await page.getByTestId(`ta-row-${token.id}`).waitFor();
        }
        expect(requests.filter((url) => !url.startsWith(`${other()}/`))).toEqual([]);
        await screenshot(page, 'likeness-other-address-console');
        await page.context().close();
    });

    test('with that address in AllowCorsFrom, /tokens answers there', async () => {
        await setAllowCorsFrom(other());
        try {
            const page = await openAdmin({url: other()});
            const requests = recordRequests(page);
            const answer = await answerTo(page, '/tokens list');
            expect(answer.error).toBeUndefined();
            expect(tokenIdsIn(answer.post ?? '').length).toBeGreaterThan(0);
            expect(requests.filter((url) => !url.startsWith(`${other()}/`))).toEqual([]);
            await screenshot(page, 'likeness-other-address-tokens');
            await page.context().close();
        } finally {
            await setAllowCorsFrom('');
        }
    });
});

describe('Town Square', () => {
    let page: Page;

    beforeAll(async () => {
        page = await openAdmin();
    });

    afterAll(async () => {
        await page?.context().close();
    });

    test('text that does not start with / is posted as a message, not run as a command', async () => {
        const posts = page.getByTestId('host-post');
        const before = await posts.count();
        await page.getByTestId('host-input').fill('tokens list, please');
        await page.getByTestId('host-input').press('Enter');
        const post = posts.nth(before);
        await post.waitFor();
        const id = (await post.getAttribute('data-post-id'))!;
        await expect(admin.getPost(id)).resolves.toMatchObject({message: 'tokens list, please', channel_id: env().fixtures.channelId});
        expect(await post.textContent()).not.toContain(env().fixtures.tokens[0].id);
    });

    test('posts render as Mattermost markdown, raw HTML as text, and a long one collapses behind Show more', async () => {
        const lines = Array.from({length: 60}, (_, i) => `line ${i + 1}`).join('\n');
        const message = `| a | b |\n|---|---|\n| **one** | \`two\` |\n\n<b>not bold</b>\n\n${lines}`;
        const posts = page.getByTestId('host-post');
        const before = await posts.count();
        await page.getByTestId('host-input').fill(message);
        await page.getByTestId('host-input').press('Enter');
        const post = posts.nth(before);
        await post.waitFor();
        await expect(post.locator('table td strong').textContent()).resolves.toBe('one');
        await expect(post.locator('table td code').textContent()).resolves.toBe('two');
        await expect(post.locator('b').count()).resolves.toBe(0);
        await expect(post.textContent()).resolves.toContain('<b>not bold</b>');
        const text = post.locator('.post-message__text');
        expect((await text.boundingBox())!.height).toBeLessThanOrEqual(600);
        await post.getByTestId('host-show-more').click();
        expect((await text.boundingBox())!.height).toBeGreaterThan(600);
    });

    test('/tokens typed in a thread answers in that thread (root_id is the thread’s root)', async () => {
        const posts = page.getByTestId('host-post');
        const before = await posts.count();
        await page.getByTestId('host-input').fill('Who owns the deploy tokens?');
        await page.getByTestId('host-input').press('Enter');
        const root = posts.nth(before);
        await root.waitFor();
        const rootId = (await root.getAttribute('data-post-id'))!;
        await root.click();
        await page.locator(`[data-testid="host-thread"][data-root-id="${rootId}"]`).waitFor();

        const answer = await answerTo(page, '/tokens list', threadBox);
        expect(answer.error).toBeUndefined();
        expect(answer.rootId).toBe(rootId);
        expect(tokenIdsIn(answer.post ?? '').length).toBeGreaterThan(0);
        await page.getByTestId('host-thread').locator(`[data-post-id="${answer.postId}"]`).waitFor();
        await screenshot(page, 'likeness-thread');
    });
});

describe('in German', () => {
    let page: Page;
    const catalogue = (locale: string): Record<string, string> => {
        const file = path.join(__dirname, '../../webapp/src/engine/i18n', `${locale}.json`);
        if (!fs.existsSync(file)) {
            throw new Error(`the plugin ships no ${locale} catalogue (${file})`);
        }
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    };

    // Catalogue entries that read differently in German and hold no placeholder, so they can be
    // looked for in the page as they are.
    const germanOnly = () => {
        const de = catalogue('de');
        const en = catalogue('en');
        return Object.entries(de).filter(([key, text]) => text !== en[key] && !text.includes('{') && text.length >= 4).map(([, text]) => text);
    };

    let locale = '';
    const requests: string[] = [];

    beforeAll(async () => {
        locale = (await admin.getMe()).locale;
        await admin.patchUser({id: env().fixtures.users.sysadmin.id, locale: 'de'} as never);
        page = await openConsole({requests});
    });

    afterAll(async () => {
        await page?.context().close();
        await admin.patchUser({id: env().fixtures.users.sysadmin.id, locale} as never);
    });

    test('the console is in German', async () => {
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');

        // English until the German catalogue has arrived, which the page fetches as it starts.
        await page.waitForFunction((texts) => {
            const shown = (document.querySelector('.admin-console__content') as HTMLElement).innerText;
            return texts.filter((text) => shown.includes(text)).length >= 3;
        }, germanOnly(), {timeout: 10000}).catch(() => undefined);
        const shown = (await page.locator('.admin-console__content').innerText());
        const german = germanOnly().filter((text) => shown.includes(text));
        expect(german.length).toBeGreaterThanOrEqual(3);
        await screenshot(page, 'likeness-german-console');
    });

    test('a /tokens answer is in German', async () => {
        const answer = await answerTo(page, '/tokens help');
        expect(answer.error).toBeUndefined();
        expect(germanOnly().filter((text) => (answer.post ?? '').includes(text)).length).toBeGreaterThan(0);
        await screenshot(page, 'likeness-german-tokens');
    });

    test('the German catalogue is fetched once, from beside main.js, and no other', async () => {
        expect(bundleFetched(requests)).toBe(true);
        const chunks = chunksFetched(requests);
        expect(chunks).toHaveLength(1);
        expect(path.basename(chunks[0])).toMatch(/\bde\b/);
    });
});

test('a slow /tokens answer shows a placeholder at once, then the answer replaces it in place', async () => {
    const proxy = await FaultProxy.start(env().url);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
        release = resolve;
    });
    await setAllowCorsFrom(proxy.url);
    try {
        // Held from the start: the console's own read of the inventory, which a command may share or
        // keep for a minute, waits as well.
        proxy.add({method: 'GET', path: /^\/api\/v4\/users\/tokens\?/, fault: {kind: 'hold', release: held}});
        const page = await openAdmin({url: proxy.url});
        const posts = page.getByTestId('host-post');
        const before = await posts.count();
        await page.getByTestId('host-input').fill('/tokens list');
        await page.getByTestId('host-input').press('Enter');
        const placeholder = posts.nth(before);
        await placeholder.waitFor();
        const postId = (await placeholder.getAttribute('data-post-id'))!;
        await expect(placeholder.getAttribute('data-revision')).resolves.toBe('0');
        expect(tokenIdsIn(await postMessage(page, postId))).toEqual([]);
        await screenshot(page, 'likeness-slow-placeholder');

        release();
        await page.locator(`[data-post-id="${postId}"][data-revision="1"]`).waitFor({timeout: 30000});
        expect(tokenIdsIn(await postMessage(page, postId)).length).toBeGreaterThan(0);
        await expect(posts.count()).resolves.toBe(before + 1);
        await screenshot(page, 'likeness-slow-answer');
        await page.context().close();
    } finally {
        release();
        await setAllowCorsFrom('');
        await proxy.close();
    }
});

// A server of its own, with its own database: SiteURL http://127.0.0.1:PORT/mattermost.
describe('a server under a subpath', () => {
    let started: Started;
    let sub: Environment;

    beforeAll(async () => {
        started = await startEnvironment({}, {subpath: '/mattermost'});
        sub = started.environment;
    }, 240000);

    afterAll(async () => {
        await started?.shutdown();
    });

    test('the console finds its basename and every request stays under the subpath', async () => {
        const page = await openAdmin({socket: false}, sub);
        const requests = recordRequests(page);
        await page.reload();
        await page.getByTestId('ta-table').waitFor({timeout: 60000});
        await expect(page.evaluate(() => window.basename)).resolves.toBe('/mattermost');
        const subAdmin = await loggedIn(sub.url, sub.admin.username, sub.admin.password);
        for (const token of await subAdmin.getUserAccessTokens(0, 200)) {
            await page.getByTestId(`ta-row-${token.id}`).waitFor();
        }
        expect(requests.filter((url) => !url.startsWith(`${sub.url}/`))).toEqual([]);
        await screenshot(page, 'likeness-subpath-console');
        await page.context().close();
    });

    test('/tokens answers under the subpath', async () => {
        const page = await openAdmin({}, sub);
        const answer = await answerTo(page, '/tokens list');
        expect(answer.error).toBeUndefined();
        expect(tokenIdsIn(answer.post ?? '', sub).length).toBeGreaterThan(0);
        await screenshot(page, 'likeness-subpath-tokens');
        await page.context().close();
    });
});
