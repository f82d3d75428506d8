// Bundles the plugin host page: the plugin's own build settings, but with the libraries the
// Mattermost webapp provides bundled in, since this page is what provides them.
const path = require('path');

const pluginConfig = require('../../webapp/webpack.config.js');

module.exports = (env, argv) => {
    const base = pluginConfig(env, argv);
    return {
        ...base,
        entry: path.join(__dirname, 'host.tsx'),
        output: {path: path.resolve(__dirname, '../../build/host'), filename: 'host.js'},
        externals: {},
        plugins: [],
        module: {
            ...base.module,
            rules: [...base.module.rules, {
                // React 17's ReactDOM and its react-intl (see react.js) must share React 17, not the page's 18.
                test: /[\\/]node_modules[\\/](react-dom-17|react-intl-17)[\\/]/,
                resolve: {alias: {react: path.dirname(require.resolve('react-17/package.json'))}},
            }],
        },
    };
};
