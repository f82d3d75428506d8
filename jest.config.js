// Two projects: fast unit tests beside the code, and the end-to-end suite against a real Mattermost
// server that e2e/harness starts once for the whole run.
const manifest = require('./plugin.json');

const transform = {'^.+\\.(t|j)sx?$': ['@swc/jest', {jsc: {transform: {react: {runtime: 'classic'}}}}]};

module.exports = {
    projects: [
        {
            displayName: 'unit',
            testEnvironment: 'jsdom',
            roots: ['<rootDir>/webapp/src'],
            testMatch: ['**/*.test.ts', '**/*.test.tsx'],
            transform,
            globals: {PLUGIN_ID: manifest.id, PLUGIN_VERSION: manifest.version},
        },
        {
            displayName: 'e2e',
            testEnvironment: 'node',
            roots: ['<rootDir>/e2e'],
            testMatch: ['**/*.e2e.test.ts'],
            transform,
            globalSetup: '<rootDir>/e2e/harness/global-setup.ts',
            globalTeardown: '<rootDir>/e2e/harness/global-teardown.ts',
        },
    ],
};
