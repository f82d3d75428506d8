// Stands in for the Mattermost webapp in browser tests: it gives plugins the globals and the registry
// the real webapp gives them, loads every webapp bundle the server lists, renders the plugin's System
// Console component, and plays the message box (slash-command hooks, then /api/v4/commands/execute)
// and the channel (ephemeral posts arriving over the real websocket).
import {React, ReactDOM, ReactIntl, createRoot} from './react';
import * as Redux from 'redux';

type Hook = (message: string, args: {channel_id: string; team_id: string; root_id: string}) => Promise<{message?: string; args?: unknown; error?: {message: string}}>;

interface Registered {
    settings: Array<{pluginId: string; key: string; component: React.ComponentType<Record<string, unknown>>}>;
    sections: Array<{pluginId: string; key: string; component: React.ComponentType<Record<string, unknown>>}>;
    hooks: Hook[];
    translations: Array<(locale: string) => Record<string, string>>;
}

const registered: Registered = {settings: [], sections: [], hooks: [], translations: []};
const params = new URLSearchParams(window.location.search);

// `?legacy=1` plays an older webapp whose registry lacks the newer console hooks.
const legacy = params.get('legacy') === '1';

Object.assign(window, {React, ReactDOM, Redux, ReactIntl});

async function getJSON(path: string) {
    const response = await fetch(path, {headers: {'X-Requested-With': 'XMLHttpRequest'}});
    if (!response.ok) {
        throw new Error(`${path}: ${response.status}`);
    }
    return response.json();
}

function makeRegistry(pluginId: string) {
    const registry: Record<string, unknown> = {
        registerAdminConsoleCustomSetting: (key: string, component: Registered['settings'][0]['component']) => {
            registered.settings.push({pluginId, key, component});
        },
        registerSlashCommandWillBePostedHook: (hook: Hook) => {
            registered.hooks.push(hook);
        },
        registerTranslations: (getTranslations: (locale: string) => Record<string, string>) => {
            registered.translations.push(getTranslations);
        },
        registerReducer: () => undefined,
        registerWebSocketEventHandler: () => undefined,
        registerRootComponent: () => 'root',
    };
    if (!legacy) {
        registry.registerAdminConsoleCustomSection = (key: string, component: Registered['sections'][0]['component']) => {
            registered.sections.push({pluginId, key, component});
        };
    }
    return registry;
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

function Posts({posts}: {posts: string[]}) {
    return (
        <div aria-live='polite'>
            {posts.map((text, i) => (
                <div
                    key={i}
                    className='host-post'
                    data-testid='host-post'
                >{text}</div>
            ))}
        </div>
    );
}

function MessageBox({channelId, teamId}: {channelId: string; teamId: string}) {
    const [value, setValue] = React.useState('');
    const [error, setError] = React.useState('');
    const send = async () => {
        setError('');
        let message = value;
        let args = {channel_id: channelId, team_id: teamId, root_id: ''};
        for (const hook of registered.hooks) {
            const result = await hook(message, args);
            if (result.error) {
                setError(result.error.message);
                return;
            }
            if (!result.message) {
                setValue('');
                return;
            }
            message = result.message;
            args = (result.args as typeof args) || args;
        }
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
        const response = await fetch('/api/v4/commands/execute', {
            method: 'POST',
            headers: {'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf},
            body: JSON.stringify({command: message, channel_id: args.channel_id, team_id: args.team_id}),
        });
        if (!response.ok) {
            setError((await response.json()).message);
            return;
        }
        setValue('');
    };
    return (
        <div>
            <input
                className='host-input'
                data-testid='host-input'
                aria-label='Write a message'
                value={value}
                onChange={(e) => setValue(e.target.value)}
                onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                        send();
                    }
                }}
            />
            <div
                className='host-error'
                data-testid='host-error'
                role='alert'
            >{error}</div>
        </div>
    );
}

function Host({config, channelId, teamId, posts, ready}: {config: Record<string, string>; channelId: string; teamId: string; posts: string[]; ready: boolean}) {
    const messages = Object.assign({}, ...registered.translations.map((t) => t('en')));
    const consoleComponents = [...registered.sections, ...registered.settings];
    return (
        <ReactIntl.IntlProvider
            locale='en'
            messages={messages}
        >
            <div className='host-banner'>{'Plugin host page — stands in for the Mattermost webapp in tests'}</div>
            <div
                className='host-console'
                data-testid='host-console'
            >
                {consoleComponents.map(({pluginId, key, component: Component}) => (
                    <Component
                        key={`${pluginId}-${key}`}
                        id={`PluginSettings.Plugins.${pluginId}.${key}`}
                        label=''
                        helpText={null}
                        value={undefined}
                        disabled={false}
                        config={config}
                        license={{}}
                        setByEnv={false}
                        onChange={() => undefined}
                        setSaveNeeded={() => undefined}
                        registerSaveAction={() => undefined}
                        unRegisterSaveAction={() => undefined}
                    />
                ))}
            </div>
            <div
                className='host-chat'
                data-testid='host-chat'
            >
                <Posts posts={posts}/>
                <MessageBox
                    channelId={channelId}
                    teamId={teamId}
                />
            </div>
            {ready && (
                <div
                    data-testid='host-ready'
                    data-console={consoleComponents.map((c) => (registered.sections.includes(c as never) ? 'section' : 'setting')).join(',')}
                />
            )}
        </ReactIntl.IntlProvider>
    );
}

// Only for people opening the page by hand (make dev); tests log in through the API first.
function LoginForm() {
    const [error, setError] = React.useState('');
    const submit = async (event: React.FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const response = await fetch('/api/v4/users/login', {
            method: 'POST',
            headers: {'X-Requested-With': 'XMLHttpRequest'},
            body: JSON.stringify({login_id: form.get('login_id'), password: form.get('password')}),
        });
        if (response.ok) {
            window.location.reload();
            return;
        }
        setError((await response.json()).message);
    };
    return (
        <form
            className='host-console'
            data-testid='host-logged-out'
            onSubmit={submit}
        >
            <p>{'Log in to the test server (make dev prints the accounts).'}</p>
            <input
                name='login_id'
                aria-label='Username'
                placeholder='Username'
            />
            <input
                name='password'
                type='password'
                aria-label='Password'
                placeholder='Password'
            />
            <button type='submit'>{'Log in'}</button>
            <div
                className='host-error'
                role='alert'
            >{error}</div>
        </form>
    );
}

async function main() {
    const root = createRoot(document.getElementById('root')!);
    let me;
    try {
        me = await getJSON('/api/v4/users/me');
    } catch {
        root.render(<LoginForm/>);
        return;
    }
    const config = await getJSON('/api/v4/config/client?format=old');
    const teams = await getJSON('/api/v4/users/me/teams');
    const teamId = teams[0]?.id ?? '';
    const channelId = teamId ? (await getJSON(`/api/v4/teams/${teamId}/channels/name/town-square`)).id : '';

    const initialState = {
        entities: {
            general: {config},
            users: {currentUserId: me.id, profiles: {[me.id]: me}},
            teams: {currentTeamId: teamId},
            channels: {currentChannelId: channelId},
        },
    };
    const store = Redux.createStore((state: typeof initialState = initialState) => state);

    (window as unknown as {registerPlugin: (id: string, plugin: {initialize: (r: unknown, s: unknown) => void}) => void}).registerPlugin = (id, plugin) => {
        plugin.initialize(makeRegistry(id), store);
    };
    const manifests: Array<{id: string; webapp?: {bundle_path: string}}> = await getJSON('/api/v4/plugins/webapp');
    for (const manifest of manifests) {
        if (manifest.webapp?.bundle_path) {
            await loadScript(`/static/plugins/${manifest.id}/${manifest.webapp.bundle_path.split('/').pop()}`);
        }
    }

    const posts: string[] = [];
    let ready = false;
    const render = () => root.render(
        <Host
            config={config}
            channelId={channelId}
            teamId={teamId}
            posts={[...posts]}
            ready={ready}
        />,
    );
    const socket = new WebSocket(`${window.location.origin.replace(/^http/, 'ws')}/api/v4/websocket`);
    socket.onopen = () => {
        ready = true;
        render();
    };
    socket.onmessage = (event) => {
        const data = JSON.parse(event.data);
        if (data.event === 'ephemeral_message' || data.event === 'posted') {
            posts.push(JSON.parse(data.data.post).message);
            render();
        }
    };
    render();
}

main();
