import fs from 'fs';

import {stateFile} from './paths';

export default async function globalTeardown() {
    await (globalThis as {tokenAuditShutdown?: () => Promise<void>}).tokenAuditShutdown?.();
    fs.rmSync(stateFile(), {force: true});
}
