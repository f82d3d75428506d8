import fs from 'fs';

import {startEnvironment} from './environment';
import {buildOutput, stateFile} from './paths';

export default async function globalSetup() {
    const started = await startEnvironment();
    fs.mkdirSync(buildOutput, {recursive: true});
    fs.writeFileSync(stateFile, JSON.stringify(started.environment, null, 2));
    (globalThis as {tokenAuditShutdown?: () => Promise<void>}).tokenAuditShutdown = started.shutdown;
    console.log(`\nMattermost ${started.environment.version} at ${started.environment.url} with ${started.environment.pluginId} deployed`);
}
