const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const react = require('eslint-plugin-react');
const reactHooks = require('eslint-plugin-react-hooks');
const globals = require('globals');

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
