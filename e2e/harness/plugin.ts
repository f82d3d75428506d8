// Uploads the real plugin bundle through the REST API and waits until the server runs it.
import fs from 'fs';
import path from 'path';

import {Client4} from '@mattermost/client';

export async function waitForPluginState(client: Client4, pluginId: string, running: boolean, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const statuses = await client.getPluginStatuses();
        const status = statuses.find((s) => s.plugin_id === pluginId);

        // PluginStateRunning is 2 in server/public/model/plugin_status.go.
        if ((status?.state === 2) === running) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`plugin ${pluginId} did not reach running=${running}: ${JSON.stringify(status)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

export async function deployBundle(client: Client4, bundle: string): Promise<string> {
    if (!fs.existsSync(bundle)) {
        throw new Error(`${bundle} is missing: run make dist first`);
    }
    const file = new File([fs.readFileSync(bundle)], path.basename(bundle), {type: 'application/gzip'});
    const manifest = await client.uploadPlugin(file, true);
    await client.enablePlugin(manifest.id);
    await waitForPluginState(client, manifest.id, true);
    return manifest.id;
}
