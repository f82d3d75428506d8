import fs from 'fs';
import http from 'http';
import {AddressInfo} from 'net';

import {startEnvironment} from './environment';
import {buildOutput, stateFile} from './paths';
import {RunningServer} from './server';

type Lifecycle = Pick<RunningServer, 'restart' | 'kill' | 'start'>;

// Test files run apart from this process, so the server's lifecycle is offered to them over loopback.
function controlServer(server: Lifecycle): Promise<http.Server> {
    const steps: Record<string, () => Promise<void>> = {'/restart': server.restart, '/kill': server.kill, '/start': server.start};
    const control = http.createServer((request, response) => {
        const step = request.method === 'POST' ? steps[request.url ?? ''] : undefined;
        if (!step) {
            response.writeHead(404).end();
            return;
        }
        step().then(() => response.writeHead(204).end(), (err) => response.writeHead(500).end(String(err)));
    });
    return new Promise((resolve) => control.listen(0, '127.0.0.1', () => resolve(control)));
}

export default async function globalSetup() {
    const started = await startEnvironment();
    const control = await controlServer(started.server);
    const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    fs.mkdirSync(buildOutput, {recursive: true});
    fs.writeFileSync(stateFile(), JSON.stringify({...started.environment, controlUrl}, null, 2));
    (globalThis as {tokenAuditShutdown?: () => Promise<void>}).tokenAuditShutdown = async () => {
        control.close();
        await started.shutdown();
    };
    console.log(`\nMattermost ${started.environment.version} at ${started.environment.url} with ${started.environment.pluginId} deployed`);
}
