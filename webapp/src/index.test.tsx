import {InventoryPage} from './console';

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
