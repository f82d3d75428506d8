// `make dev`: the test server with the plugin and the demo data, left running until Ctrl-C.
import {startEnvironment} from './environment';

async function main() {
    const {environment, shutdown} = await startEnvironment();
    console.log(`
Mattermost ${environment.version} is running with ${environment.pluginId} deployed.
  URL:          ${environment.url}
  stand-in UI:  ${environment.url}/  (the plugin host page; the real Mattermost webapp is not built here)
  admin login:  ${environment.admin.username} / ${environment.admin.password}
  other users:  ${Object.keys(environment.fixtures.users).join(', ')} (password ${environment.fixtures.password})
  mmctl:        MMCTL_LOCAL_SOCKET_PATH=${environment.socket} ${environment.mmctl} --local plugin list
  server log:   ${environment.logFile}
Press Ctrl-C to stop; the server and its database are removed.`);
    const stop = async () => {
        await shutdown();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
