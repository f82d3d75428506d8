import os from 'os';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '../..');

// Built servers and the embedded database outlive a test run; everything else goes in a scratch folder.
export const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'token-audit');

export const buildOutput = path.join(repoRoot, 'build');

// Where global setup leaves the running server's coordinates for the test files and teardown.
export const stateFile = path.join(buildOutput, 'e2e-server.json');

export function pluginBundle(): string {
    const manifest = require(path.join(repoRoot, 'plugin.json'));
    return path.join(repoRoot, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
}
