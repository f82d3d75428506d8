import os from 'os';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '../..');

// Built servers and the embedded database outlive a test run; everything else goes in a scratch folder.
export const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'token-audit');

export const buildOutput = path.join(repoRoot, 'build');

// Where global setup leaves the running server's coordinates for the test files and teardown;
// one file per run, so runs side by side do not read each other's server.
export function stateFile(): string {
    process.env.TA_E2E_STATE ||= path.join(buildOutput, `e2e-server-${process.pid}.json`);
    return process.env.TA_E2E_STATE;
}

export function pluginBundle(): string {
    const manifest = require(path.join(repoRoot, 'plugin.json'));
    return path.join(repoRoot, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
}
