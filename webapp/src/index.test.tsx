import {waitFor} from '@testing-library/react';

import {InventoryPage} from './console';
import de from './engine/i18n/de.json';
import en from './engine/i18n/en.json';
import es from './engine/i18n/es.json';

type PluginLike = {initialize(registry: Record<string, unknown>, store: {getState(): unknown}): void};

async function load(): Promise<{id: string; plugin: PluginLike}> {
    let registered: {id: string; plugin: PluginLike} | undefined;
    window.registerPlugin = (id: string, plugin: unknown) => {
        registered = {id, plugin: plugin as PluginLike};
    };
    jest.isolateModules(() => {
        // The entry registers itself when loaded, so each test loads a fresh copy.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('./index');
    });
    return registered!;
}

const store = {getState: () => ({entities: {general: {config: {SiteURL: 'http://mm.example.com'}}}})};

test('registers itself under the plugin id', async () => {
    expect((await load()).id).toBe('token-audit');
});

test('registers the console page, the /tokens hook and the translations', async () => {
    const registry = {
        registerAdminConsoleCustomSetting: jest.fn(),
        registerSlashCommandWillBePostedHook: jest.fn(),
        registerTranslations: jest.fn(),
    };
    (await load()).plugin.initialize(registry, store);

    const [key, component, options] = registry.registerAdminConsoleCustomSetting.mock.calls[0];
    expect(key).toBe('Inventory');
    expect(component.name).toBe(InventoryPage.name);
    expect(options).toEqual({showTitle: false});
    expect(typeof registry.registerSlashCommandWillBePostedHook.mock.calls[0][0]).toBe('function');

    const translations = registry.registerTranslations.mock.calls[0][0]('en');
    expect(translations['token_audit.tabs.tokens']).toBe('Tokens');
    expect(translations['token_audit.command.help.title']).toBeTruthy();
});

test('a registry without these methods, or one that throws, does not crash the host', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const {plugin} = await load();
    expect(() => plugin.initialize({}, store)).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(3);

    const registerTranslations = jest.fn();
    expect(() => plugin.initialize({
        registerAdminConsoleCustomSetting: () => {
            throw new Error('old host');
        },
        registerTranslations,
    }, store)).not.toThrow();
    expect(error).toHaveBeenCalledWith('[token-audit] registry.registerAdminConsoleCustomSetting failed', expect.any(Error));
    expect(registerTranslations).toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
});

// The webapp's registerTranslations: it calls the function at once for the reader's locale and again
// on a change of locale, merging what it returns; registering again replaces the function.
function webappTranslations(initialLocale: string) {
    let locale = initialLocale;
    let current: ((locale: string) => Record<string, string>) | undefined;
    const merged: Array<Record<string, string>> = [];
    return {
        merged,
        registry: {
            registerAdminConsoleCustomSetting: jest.fn(),
            registerSlashCommandWillBePostedHook: jest.fn(),
            registerTranslations: jest.fn((get: (locale: string) => Record<string, string>) => {
                current = get;
                merged.push(get(locale));
            }),
        },
        changeLocale(next: string) {
            locale = next;
            merged.push(current!(locale));
        },
    };
}

const TAB = 'token_audit.tabs.trail';

test('a German admin gets English at once and German once its catalogue has arrived', async () => {
    const host = webappTranslations('de');
    (await load()).plugin.initialize(host.registry, store);
    expect(host.merged.map((m) => m[TAB])).toEqual([en[TAB]]);
    await waitFor(() => expect(host.merged.map((m) => m[TAB])).toEqual([en[TAB], de[TAB]]));
    expect(host.registry.registerTranslations).toHaveBeenCalledTimes(2);
});

test('an English admin fetches no other catalogue; a change of locale fetches that one', async () => {
    const host = webappTranslations('en');
    (await load()).plugin.initialize(host.registry, store);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(host.registry.registerTranslations).toHaveBeenCalledTimes(1);

    host.changeLocale('es');
    expect(host.merged.map((m) => m[TAB])).toEqual([en[TAB], en[TAB]]);
    await waitFor(() => expect(host.merged.map((m) => m[TAB])).toEqual([en[TAB], en[TAB], es[TAB]]));
});

test('a catalogue that cannot be fetched leaves English, says why, and is tried again on the next change', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.doMock('./engine/i18n/de.json', () => {
        throw new Error('404');
    });
    try {
        const host = webappTranslations('de');
        (await load()).plugin.initialize(host.registry, store);
        await waitFor(() => expect(error).toHaveBeenCalledWith('[token-audit] the de catalogue could not be loaded; answering in English', expect.any(Error)));
        expect(host.registry.registerTranslations).toHaveBeenCalledTimes(1);

        jest.dontMock('./engine/i18n/de.json');
        host.changeLocale('en');
        host.changeLocale('de');
        await waitFor(() => expect(host.merged.map((m) => m[TAB])).toEqual([en[TAB], en[TAB], en[TAB], de[TAB]]));
    } finally {
        jest.dontMock('./engine/i18n/de.json');
        error.mockRestore();
    }
});
