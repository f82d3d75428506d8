import fs from 'fs';
import http from 'http';
import {AddressInfo} from 'net';

import {startEnvironment} from './environment';
import {buildOutput, stateFile} from './paths';

// Test files run apart from this process, so the server's lifecycle is offered to them over loopback.
function controlServer(restart: () => Promise<void>): Promise<http.Server> {
    const control = http.createServer((request, response) => {
        if (request.method !== 'POST' || request.url !== '/restart') {
            response.writeHead(404).end();
            return;
        }
        restart().then(() => response.writeHead(204).end(), (err) => response.writeHead(500).end(String(err)));
    });
    return new Promise((resolve) => control.listen(0, '127.0.0.1', () => resolve(control)));
}

export default async function globalSetup() {
    const started = await startEnvironment();
    const control = await controlServer(started.server.restart);
    const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    fs.mkdirSync(buildOutput, {recursive: true});
    fs.writeFileSync(stateFile(), JSON.stringify({...started.environment, controlUrl}, null, 2));
    (globalThis as {tokenAuditShutdown?: () => Promise<void>}).tokenAuditShutdown = async () => {
        control.close();
        await started.shutdown();
    };
    console.log(`\nMattermost ${started.environment.version} at ${started.environment.url} with ${started.environment.pluginId} deployed`);
}
