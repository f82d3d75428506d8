// Three projects: fast unit tests beside the code (and the check of the Mattermost pins list); the
// full end-to-end suite against a real Mattermost server that e2e/harness starts once for the whole
// run; and the compatibility suite alone, which `make compat` runs once per older pinned Mattermost
// version (TA_MATTERMOST picks it).
const manifest = require('./plugin.json');

const e2e = {
    testEnvironment: 'node',
    testMatch: ['**/*.e2e.test.ts'],
    globalSetup: '<rootDir>/e2e/harness/global-setup.ts',
    globalTeardown: '<rootDir>/e2e/harness/global-teardown.ts',
};

const transform = {'^.+\\.(t|j)sx?$': ['@swc/jest', {jsc: {transform: {react: {runtime: 'classic'}}}}]};

module.exports = {
    projects: [
        {
            displayName: 'unit',
            testEnvironment: 'jsdom',
            roots: ['<rootDir>/webapp/src', '<rootDir>/e2e/mattermost'],
            testMatch: ['**/*.test.ts', '**/*.test.tsx'],
            transform,
            globals: {PLUGIN_ID: manifest.id, PLUGIN_VERSION: manifest.version},
        },
        {...e2e, displayName: 'e2e', roots: ['<rootDir>/e2e'], transform},
        {...e2e, displayName: 'compat', roots: ['<rootDir>/e2e/compat'], transform},
    ],
};
