// The uploaded bundle runs inside the real server: server plugin, webapp bundle, command, routes.
import {Client4} from '@mattermost/client';

import {adminClient, environment, pluginRequest, userClient} from '../harness/context';
import {waitForPluginState} from '../harness/plugin';

import manifest from '../../plugin.json';

let admin: Client4;

beforeAll(async () => {
    admin = await adminClient();
});

test('the uploaded plugin is active with the manifest version', async () => {
    const plugins = await admin.getPlugins();
    const active = plugins.active.find((p) => p.id === manifest.id);
    expect(active?.version).toBe(manifest.version);
    const statuses = await admin.getPluginStatuses();
    expect(statuses.find((s) => s.plugin_id === manifest.id)?.state).toBe(2);
});

test('the webapp bundle is listed and served', async () => {
    const webapp = await admin.getWebappPlugins();
    const entry = webapp.find((p) => p.id === manifest.id);
    expect(entry).toBeDefined();
    const file = entry!.webapp!.bundle_path.split('/').pop();
    const response = await fetch(`${environment().url}/static/plugins/${manifest.id}/${file}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('registerPlugin');
});

test('/tokens is a registered command with autocomplete', async () => {
    const commands = await admin.getCommandsList(environment().fixtures.teamId);
    const tokens = commands.find((c) => c.trigger === 'tokens');
    expect(tokens).toBeDefined();
    expect(tokens!.auto_complete).toBe(true);
});

test('plugin routes: 401 without a session, 403 for a regular user, 200 for an admin', async () => {
    expect((await pluginRequest(null, 'GET', '/policy')).status).toBe(401);
    const alice = await userClient('alice');
    const refused = await pluginRequest(alice, 'GET', '/policy');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(expect.objectContaining({error: expect.any(String)}));
    expect((await pluginRequest(admin, 'GET', '/policy')).status).toBe(200);
});

test('disabling and re-enabling leaves the plugin healthy', async () => {
    await admin.disablePlugin(manifest.id);
    await waitForPluginState(admin, manifest.id, false);
    expect((await pluginRequest(admin, 'GET', '/policy')).status).toBe(404);
    await admin.enablePlugin(manifest.id);
    await waitForPluginState(admin, manifest.id, true);
    expect((await pluginRequest(admin, 'GET', '/policy')).status).toBe(200);
});
