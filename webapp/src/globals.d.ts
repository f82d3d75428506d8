// Replaced at build time from plugin.json by webpack's DefinePlugin (and by jest's globals).
declare const PLUGIN_ID: string;
declare const PLUGIN_VERSION: string;

interface Window {
    registerPlugin(id: string, plugin: unknown): void;

    // The webapp's subpath ('' or e.g. '/mattermost'), set by the Mattermost webapp before plugins load.
    basename?: string;
}
