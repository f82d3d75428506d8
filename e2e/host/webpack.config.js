// Bundles the plugin host page: the plugin's own build settings, but with the libraries the
// Mattermost webapp provides bundled in, since this page is what provides them.
const path = require('path');

const pluginConfig = require('../../webapp/webpack.config.js');

module.exports = (env, argv) => ({
    ...pluginConfig(env, argv),
    entry: path.join(__dirname, 'host.tsx'),
    output: {path: path.resolve(__dirname, '../../build/host'), filename: 'host.js'},
    externals: {},
    plugins: [],
});
