// Stands in for the Mattermost webapp in browser tests: it gives plugins the globals and the registry
// the real webapp gives them, loads every webapp bundle the server lists, shows the plugin's page in
// a System Console frame like the real one (console.tsx), and plays Town Square (channel.tsx) with
// posts arriving over the real websocket. Everything goes to the page's own origin and subpath.
import {React, ReactDOM, ReactIntl, createRoot} from './react';
import * as Redux from 'redux';

import {api, getJSON, pageRoot, setBasename} from './api';
import {Channel, Post, SlashCommandHook} from './channel';
import {AdminSidebar, KeywordMarking, Manifest, PluginSettingsPage, Registration} from './console';
import {hostMessages} from './messages';

Object.assign(window, {React, ReactDOM, Redux, ReactIntl});

// The one place the page is rendered, so the React the page offers can be chosen in one spot.
function renderRoot(container: HTMLElement): (node: React.ReactNode) => void {
    const root = createRoot(container);
    return (node) => root.render(node);
}

type Translations = (locale: string) => Record<string, string>;

interface Plugin {
    initialize(registry: Record<string, unknown>, store: unknown): void;
    uninitialize?(): void;
}

// What each running plugin registered; dropped when the plugin is disabled, as the webapp's removePlugin does.
const registered = {
    settings: [] as Registration[],
    sections: [] as Registration[],
    hooks: [] as Array<{pluginId: string; hook: SlashCommandHook}>,
    translations: [] as Array<{pluginId: string; messages: Record<string, string>}>,
    plugins: new Map<string, Plugin>(),
};

// `?legacy=1` plays an older webapp whose registry lacks registerAdminConsoleCustomSection.
const legacy = new URLSearchParams(window.location.search).get('legacy') === '1';

let rerender = () => undefined as void;

// The reader's locale, read once when the page loads (the stand-in never changes it).
let locale = 'en';

function makeRegistry(pluginId: string) {
    const registry: Record<string, unknown> = {
        registerAdminConsoleCustomSetting: (key: string, component: Registration['component'], options?: Registration['options']) => {
            registered.settings.push({pluginId, key, component, options});
            rerender();
        },
        registerSlashCommandWillBePostedHook: (hook: SlashCommandHook) => {
            registered.hooks.push({pluginId, hook});
        },
        // As the webapp does: the function is called at once and what it returns is kept (the webapp
        // calls it again when the locale changes, which here it never does); registering again
        // replaces the function, which is called anew.
        registerTranslations: (get: Translations) => {
            registered.translations = [...registered.translations.filter((t) => t.pluginId !== pluginId), {pluginId, messages: get(locale)}];
            rerender();
        },
        registerReducer: () => undefined,
        registerWebSocketEventHandler: () => undefined,
        registerRootComponent: () => 'root',
    };
    if (!legacy) {
        registry.registerAdminConsoleCustomSection = (key: string, component: Registration['component']) => {
            registered.sections.push({pluginId, key, component});
            rerender();
        };
    }
    return registry;
}

function removePlugin(pluginId: string) {
    registered.plugins.get(pluginId)?.uninitialize?.();
    registered.plugins.delete(pluginId);
    const keep = <T extends {pluginId: string}>(list: T[]) => list.filter((r) => r.pluginId !== pluginId);
    registered.settings = keep(registered.settings);
    registered.sections = keep(registered.sections);
    registered.hooks = keep(registered.hooks);
    registered.translations = keep(registered.translations);
}

function loadScript(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.body.appendChild(script);
    });
}

function loadPlugin(manifest: Manifest): Promise<void> {
    const file = manifest.webapp?.bundle_path.split('/').pop();
    return file ? loadScript(`${pageRoot()}/static/plugins/${manifest.id}/${file}`) : Promise.resolve();
}

// Only for people opening the page by hand (make dev); tests log in through the API first.
function LoginForm() {
    const [error, setError] = React.useState('');
    const submit = async (event: React.FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        try {
            await api('POST', '/api/v4/users/login', {login_id: form.get('login_id'), password: form.get('password')});
            window.location.reload();
        } catch (err) {
            setError((err as Error).message);
        }
    };
    return (
        <form
            className='host-login'
            data-testid='host-logged-out'
            onSubmit={submit}
        >
            <p>{'Log in to the test server (make dev prints the accounts).'}</p>
            <input
                name='login_id'
                className='form-control'
                aria-label='Username'
                placeholder='Username'
            />
            <input
                name='password'
                type='password'
                className='form-control'
                aria-label='Password'
                placeholder='Password'
            />
            <button
                type='submit'
                className='btn btn-primary'
            >{'Log in'}</button>
            <div
                className='host-error'
                role='alert'
            >{error}</div>
        </form>
    );
}

type Config = Record<string, unknown>;
type SocketState = 'connecting' | 'open' | 'refused';

const optional = <T, >(request: Promise<T>): Promise<T | null> => request.catch(() => null);

async function main() {
    setBasename();
    const render = renderRoot(document.getElementById('root')!);
    let me: {id: string; locale: string};
    try {
        me = await getJSON('/api/v4/users/me');
    } catch {
        render(<LoginForm/>);
        return;
    }
    locale = me.locale || 'en';
    document.documentElement.lang = locale;

    // The console reads the admin config; a user who may not gets none, as the webapp keeps them out of the console.
    let adminConfig = await optional(getJSON<Config>('/api/v4/config'));
    const environmentConfig = await optional(getJSON<Config>('/api/v4/config/environment'));
    const clientConfig = await getJSON<Config>('/api/v4/config/client?format=old');
    const license = await getJSON<Config>('/api/v4/license/client?format=old');
    const teams = await getJSON<Array<{id: string}>>('/api/v4/users/me/teams');
    const teamId = teams[0]?.id ?? '';
    const channelId = teamId ? (await getJSON<{id: string}>(`/api/v4/teams/${teamId}/channels/name/town-square`)).id : '';

    const store = Redux.createStore((state = {
        entities: {
            general: {config: clientConfig, license},
            users: {currentUserId: me.id, profiles: {[me.id]: me}},
            teams: {currentTeamId: teamId},
            channels: {currentChannelId: channelId},
        },
    }) => state);
    window.registerPlugin = (id: string, plugin: unknown) => {
        registered.plugins.set(id, plugin as Plugin);
        (plugin as Plugin).initialize(makeRegistry(id), store);
    };

    const running: Manifest[] = await getJSON('/api/v4/plugins/webapp');
    const all = await optional(getJSON<{active: Manifest[]; inactive: Manifest[]}>('/api/v4/plugins'));

    // Someone who may not read the manifests (GET /api/v4/plugins) never gets into the webapp's
    // console; the stand-in still shows them the plugin's custom settings, so that tests can see the
    // plugin refuse them by itself.
    const pageFor = (): Manifest | undefined => {
        if (all) {
            return [...all.active, ...all.inactive].find((m) => m.settings_schema);
        }
        const manifest = running[0];
        const settings = registered.settings.filter((r) => r.pluginId === manifest?.id).map((r) => ({key: r.key, type: 'custom'}));
        return manifest && {...manifest, name: manifest.id, settings_schema: {settings}};
    };
    const active = new Set(running.map((m) => m.id));
    for (const manifest of running) {
        await loadPlugin(manifest);
    }

    const posts: Post[] = [];

    // For tests: the markdown a post arrived with, before rendering.
    Object.assign(window, {hostPostMessage: (id: string) => posts.find((p) => p.id === id)?.message});
    let keyword = '';
    let socket: SocketState = 'connecting';
    let ready = false;

    rerender = () => {
        const messages = Object.assign({}, hostMessages(locale), ...registered.translations.map((t) => t.messages));
        const pageManifest = pageFor();
        render(
            <ReactIntl.IntlProvider
                locale={locale}
                messages={messages}
            >
                <div className='host-admin'>
                    <AdminSidebar
                        pluginName={pageManifest?.name ?? ''}
                        keyword={keyword}
                        onKeyword={(k) => {
                            keyword = k;
                            rerender();
                        }}
                    />
                    <div className='host-main'>
                        <KeywordMarking keyword={keyword}>
                            {pageManifest && (
                                <PluginSettingsPage
                                    manifest={pageManifest}
                                    adminConfig={adminConfig}
                                    environmentConfig={environmentConfig}
                                    license={license}
                                    pluginActive={active.has(pageManifest.id)}
                                    settings={registered.settings.filter((r) => r.pluginId === pageManifest.id)}
                                    sections={legacy ? null : registered.sections.filter((r) => r.pluginId === pageManifest.id)}
                                    onConfigSaved={(config) => {
                                        adminConfig = config;
                                        rerender();
                                    }}
                                />
                            )}
                        </KeywordMarking>
                        <Channel
                            channelId={channelId}
                            teamId={teamId}
                            posts={[...posts]}
                            hooks={() => registered.hooks.map((h) => h.hook)}
                        />
                    </div>
                </div>
                {ready && (
                    <div
                        data-testid='host-ready'
                        data-socket={socket}
                        data-console={registered.sections.length ? 'section' : 'setting'}
                    />
                )}
            </ReactIntl.IntlProvider>,
        );
    };

    // The webapp connects to the page's own address too; the server accepts the Origin only when it
    // is SiteURL's or listed in ServiceSettings.AllowCorsFrom, and the page works on without it.
    const ws = new WebSocket(`${pageRoot().replace(/^http/, 'ws')}/api/v4/websocket`);
    const settle = (state: SocketState) => {
        if (socket === 'connecting') {
            socket = state;
            ready = true;
            rerender();
        }
    };
    ws.onopen = () => settle('open');
    ws.onclose = () => settle('refused');
    ws.onmessage = (event) => {
        const data = JSON.parse(event.data);
        switch (data.event) {
        case 'posted':
        case 'ephemeral_message': {
            const post = JSON.parse(data.data.post);
            posts.push({id: post.id, channel_id: post.channel_id, root_id: post.root_id ?? '', message: post.message, ephemeral: data.event === 'ephemeral_message', revision: 0});
            break;
        }
        case 'post_edited': {
            const post = JSON.parse(data.data.post);
            const shown = posts.findIndex((p) => p.id === post.id);
            if (shown >= 0) {
                posts[shown] = {...posts[shown], message: post.message, revision: posts[shown].revision + 1};
            }
            break;
        }
        case 'plugin_disabled':
            removePlugin(data.data.manifest.id);
            active.delete(data.data.manifest.id);
            break;
        case 'plugin_enabled':
            active.add(data.data.manifest.id);
            loadPlugin(data.data.manifest);
            break;
        default:
            return;
        }
        rerender();
    };
    rerender();
}

main();
