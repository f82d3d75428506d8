// `make deploy`: upload and enable the bundle on any server an admin can reach.
import {deployBundle} from './plugin';
import {clientFor, loggedIn} from './seed';

async function main() {
    const bundle = process.argv[2];
    const url = process.env.MM_SERVICESETTINGS_SITEURL;
    if (!url || !bundle) {
        throw new Error('set MM_SERVICESETTINGS_SITEURL (and MM_ADMIN_TOKEN or MM_ADMIN_USERNAME/MM_ADMIN_PASSWORD)');
    }
    let client;
    if (process.env.MM_ADMIN_TOKEN) {
        client = clientFor(url, process.env.MM_ADMIN_TOKEN);
    } else if (process.env.MM_ADMIN_USERNAME && process.env.MM_ADMIN_PASSWORD) {
        client = await loggedIn(url, process.env.MM_ADMIN_USERNAME, process.env.MM_ADMIN_PASSWORD);
    } else {
        throw new Error('set MM_ADMIN_TOKEN, or MM_ADMIN_USERNAME and MM_ADMIN_PASSWORD');
    }
    const id = await deployBundle(client, bundle);
    console.log(`deployed ${bundle} to ${url}: ${id} is running`);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
