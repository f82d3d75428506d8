// Builds webapp/dist/main.js. The libraries the Mattermost webapp already exposes on `window`
// stay external so the plugin shares the host's React instance and keeps its bundle small.
const path = require('path');
const webpack = require('webpack');

const manifest = require('../plugin.json');

module.exports = (env, argv) => ({
    entry: path.join(__dirname, 'src/index.tsx'),
    // Mattermost serves the plugin's whole webapp/dist folder and loads main.js from it by a script
    // tag, so the catalogue chunks (webapp/src/i18n.ts) are fetched from beside main.js ('auto'). Their
    // names carry their content, so a browser never keeps a catalogue of an earlier version.
    output: {
        path: path.join(__dirname, 'dist'),
        filename: 'main.js',
        chunkFilename: '[name].[contenthash:8].js',
        publicPath: 'auto',
        // The global the chunks arrive through, shared with every other plugin on the page: ours by name.
        uniqueName: manifest.id,
        clean: true,
    },
    resolve: {extensions: ['.ts', '.tsx', '.js']},
    module: {
        rules: [{
            test: /\.tsx?$/,
            exclude: /node_modules/,
            use: {loader: 'swc-loader', options: {jsc: {parser: {syntax: 'typescript', tsx: true}, transform: {react: {runtime: 'classic'}}, target: 'es2020'}}},
        }],
    },
    externals: {
        react: 'React',
        'react-dom': 'ReactDOM',
        redux: 'Redux',
        'react-redux': 'ReactRedux',
        'prop-types': 'PropTypes',
        'react-intl': 'ReactIntl',
    },
    plugins: [
        new webpack.DefinePlugin({
            PLUGIN_ID: JSON.stringify(manifest.id),
            PLUGIN_VERSION: JSON.stringify(manifest.version),
        }),
    ],
    devtool: argv.mode === 'production' ? false : 'eval-source-map',
    performance: {hints: false},
});
