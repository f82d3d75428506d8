import os from 'os';
import path from 'path';

import manifest from '../../plugin.json';

export const repoRoot = path.resolve(__dirname, '../..');

// Built servers outlive a test run; everything else goes in a scratch folder.
export const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'token-audit');

export const buildOutput = path.join(repoRoot, 'build');

// Where global setup leaves the running server's coordinates for the test files and teardown;
// one file per run, so runs side by side do not read each other's server.
export function stateFile(): string {
    process.env.TA_E2E_STATE ||= path.join(buildOutput, `e2e-server-${process.pid}.json`);
    return process.env.TA_E2E_STATE;
}

export function pluginBundle(): string {
    return path.join(repoRoot, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
}
