// Bundles the plugin host page: the libraries the Mattermost webapp exposes to plugins, and a registry.
const path = require('path');

const root = path.resolve(__dirname, '../..');

module.exports = {
    entry: path.join(__dirname, 'host.tsx'),
    output: {path: path.join(root, 'build', 'host'), filename: 'host.js'},
    resolve: {extensions: ['.ts', '.tsx', '.js']},
    module: {
        rules: [{
            test: /\.tsx?$/,
            exclude: /node_modules/,
            use: {loader: 'swc-loader', options: {jsc: {parser: {syntax: 'typescript', tsx: true}, transform: {react: {runtime: 'classic'}}, target: 'es2020'}}},
        }],
    },
    performance: {hints: false},
};
