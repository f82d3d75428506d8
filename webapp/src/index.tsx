import {createSlashCommandHook} from './command';
import type {HostStore} from './command';
import {initClient} from './client';
import {InventoryPage} from './console';
import {registerCatalogues} from './i18n';

// The host's registry differs between Mattermost versions, so every method is looked up before use.
type Registry = Record<string, unknown>;

interface Store extends HostStore {
    getState(): unknown;
}

// One failed registration must not take the others (or the host page) down with it.
function register(registry: Registry, method: string, ...args: unknown[]): void {
    const fn = registry[method];
    if (typeof fn !== 'function') {
        console.warn(`[${PLUGIN_ID}] this Mattermost has no registry.${method}; that part of Token Audit is unavailable.`);
        return;
    }
    try {
        fn.apply(registry, args);
    } catch (err) {
        console.error(`[${PLUGIN_ID}] registry.${method} failed`, err);
    }
}

export class Plugin {
    initialize(registry: Registry, store: Store) {
        initClient({getState: () => store.getState()});

        // A custom *setting* rather than registerAdminConsoleCustomSection: a custom section needs a
        // `settings_schema.sections` entry with `custom: true`, and once the manifest has sections the
        // console regroups the whole plugin page around them, and where the section's component is not
        // registered (the plugin off, an older webapp) it shows an "enable the plugin" banner instead of
        // the settings. The custom setting renders the same page on every server version; plugin.json
        // lists it after TrailRetentionDays so that setting stays in view above the inventory, and the
        // page titles and frames itself (InventoryPage) so it is not read as one more setting.
        register(registry, 'registerAdminConsoleCustomSetting', 'Inventory', InventoryPage, {showTitle: false});
        register(registry, 'registerSlashCommandWillBePostedHook', createSlashCommandHook(store));
        registerCatalogues((translations) => register(registry, 'registerTranslations', translations));
    }
}

window.registerPlugin(PLUGIN_ID, new Plugin());
