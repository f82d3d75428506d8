const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const react = require('eslint-plugin-react');
const reactHooks = require('eslint-plugin-react-hooks');
const globals = require('globals');

const ENGINE = 'webapp/src/engine';
const ENGINE_TESTS = [`${ENGINE}/**/*.test.ts`, `${ENGINE}/testing/**`];
const HOST_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'fetch', 'XMLHttpRequest', 'WebSocket',
    'console', 'setTimeout', 'setInterval', 'queueMicrotask', 'process', 'require', 'global', 'globalThis', 'Intl', 'PLUGIN_ID', 'PLUGIN_VERSION'];

function engineRules() {
    const purity = {
        'no-restricted-globals': ['error', ...HOST_GLOBALS.map((name) => ({name, message: 'The engine is pure: the host passes in what it needs.'}))],
        'no-restricted-properties': ['error', {object: 'Date', property: 'now', message: 'The engine takes `now` from the host.'}, {object: 'Math', property: 'random', message: 'The engine is deterministic.'}],
        'no-restricted-syntax': ['error',
            {selector: 'Literal[regex.pattern=/\\\\[pP]\\{/]', message: 'goja reads \\p{…} as letters: write the ranges out (characters.ts).'},
            {selector: 'Literal[value=/\\\\[pP]\\{/]', message: 'goja reads \\p{…} as letters: write the ranges out (characters.ts).'},
            {selector: 'NewExpression[callee.name=/^(Intl|Worker)$/]', message: 'Not in goja.'},
        ],
    };
    // A relative path that climbs out of the engine, or any package, is an import from outside.
    const within = (climb) => ({'no-restricted-imports': ['error', {patterns: [
        {regex: '^[^.]', message: 'The engine imports no package: it runs in goja as it is.'},
        {regex: `^${climb}\\.\\./`, message: 'The engine imports nothing from outside webapp/src/engine.'},
    ]}]});
    return [0, 1, 2, 3].map((depth) => ({
        files: [`${ENGINE}/${'*/'.repeat(depth)}*.ts`],
        ignores: ENGINE_TESTS,
        rules: {...purity, ...within('\\.\\./'.repeat(depth))},
    }));
}

module.exports = tseslint.config(
    {ignores: ['node_modules/', 'dist/', 'build/', 'webapp/dist/', 'server/']},
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        plugins: {react, 'react-hooks': reactHooks},
        languageOptions: {globals: {...globals.browser, ...globals.node}},
        settings: {react: {version: '18.2'}},
        rules: {
            ...react.configs.recommended.rules,
            ...reactHooks.configs.recommended.rules,
            'react/prop-types': 'off',
            'no-console': ['error', {allow: ['warn', 'error']}],
            '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
        },
    },
    {
        // The webapps of Mattermost 10.x and older give plugins React 17 (e2e/mattermost/pins.json).
        files: ['webapp/src/**/*.{ts,tsx}'],
        rules: {
            'no-restricted-imports': ['error', {
                paths: [
                    {name: 'react', importNames: ['useSyncExternalStore', 'useId', 'useTransition', 'useDeferredValue', 'useInsertionEffect', 'startTransition'], message: 'React 18 only: older Mattermost webapps give plugins React 17.'},
                    {name: 'react-dom/client', message: 'React 18 only: older Mattermost webapps give plugins React 17.'},
                ],
            }],
        },
    },
    // The engine runs in the browser and in goja on the server: pure, so it imports nothing outside its
    // folder, touches no host global, and writes no regular expression goja reads differently.
    ...engineRules(),
    {
        files: ['**/*.js'],
        languageOptions: {globals: globals.node, sourceType: 'commonjs'},
        rules: {'@typescript-eslint/no-require-imports': 'off'},
    },
    {
        files: ['e2e/**/*.ts'],
        rules: {'no-console': 'off'},
    },
);
