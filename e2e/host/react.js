// The React, ReactDOM and react-intl the host page renders with and gives the plugin: those the
// Mattermost webapp of the server under test gives plugins (17 up to 10.x, 18 in 11.x). The harness
// names the version in /static/host-env.js as `hostWebapp.react`; without it, the newest is used.
// React 17 has no createRoot, so it gets a stand-in that renders the way 17 does.
const ReactDOM17 = require('react-dom-17');

const builds = {
    17: {
        React: require('react-17'),
        ReactDOM: ReactDOM17,
        ReactIntl: require('react-intl-17'),
        createRoot: (container) => ({render: (element) => ReactDOM17.render(element, container)}),
    },
    18: {
        React: require('react'),
        ReactDOM: require('react-dom'),
        ReactIntl: require('react-intl'),
        createRoot: require('react-dom/client').createRoot,
    },
};

const wanted = globalThis.hostWebapp?.react ?? builds[18].React.version;
const build = builds[wanted.split('.')[0]];
if (!build || build.React.version !== wanted) {
    throw new Error(`the host page has no React ${wanted}; it has ${Object.values(builds).map((b) => b.React.version).join(' and ')}`);
}

module.exports = build;
