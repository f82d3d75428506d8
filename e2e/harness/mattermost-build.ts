// Builds each pinned Mattermost server and mmctl once per pin and keeps them in the user cache.
import {execFileSync} from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

import pinList from '../mattermost/pins.json';

import {cacheRoot, repoRoot} from './paths';

const serverModule = 'github.com/mattermost/mattermost/server/v8';
const publicModule = 'github.com/mattermost/mattermost/server/public';

export interface Pin {
    version: string;
    server: string;
    public: string;

    // What this version's webapp gives plugins as window.React / window.ReactDOM.
    react: string;
}

export const PINS: readonly Pin[] = pinList.pins;
export const NEWEST_PIN: Pin = PINS[PINS.length - 1];

export interface MattermostBuild {
    pin: Pin;
    dir: string;
    mattermost: string;
    mmctl: string;
}

// TA_MATTERMOST names the version to run on (e.g. 9.11); the newest pin otherwise.
export function selectedPin(): Pin {
    const wanted = process.env.TA_MATTERMOST;
    if (!wanted) {
        return NEWEST_PIN;
    }
    const pin = PINS.find((p) => p.version === wanted);
    if (!pin) {
        throw new Error(`TA_MATTERMOST=${wanted} is not a pinned version; e2e/mattermost/pins.json has ${PINS.map((p) => p.version).join(', ')}`);
    }
    return pin;
}

function moduleDir(pin: Pin): string {
    return path.join(repoRoot, 'e2e', 'mattermost', pin.version);
}

// The cache key is the content of go.mod and go.sum alone, so moving a pin's folder does not rebuild it.
export function pinKey(pin: Pin = selectedPin()): string {
    const hash = crypto.createHash('sha256');
    for (const file of ['go.mod', 'go.sum']) {
        hash.update(fs.readFileSync(path.join(moduleDir(pin), file)));
    }
    return hash.digest('hex').slice(0, 16);
}

// Several served server/v8 pseudo-versions are missing from the checksum database.
const goEnv = {CGO_ENABLED: '0', GONOSUMDB: 'github.com/mattermost/mattermost'};

function go(pin: Pin, args: string[]): string {
    return execFileSync('go', args, {cwd: moduleDir(pin), env: {...process.env, ...goEnv}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
}

// pins.json is the one list; a go.mod that drifted from it would test another version than the README claims.
function checkModule(pin: Pin) {
    const versions = go(pin, ['list', '-m', '-f', '{{.Path}} {{.Version}}', serverModule, publicModule]).trim().split('\n');
    const expected = [`${serverModule} ${pin.server}`, `${publicModule} ${pin.public}`];
    if (JSON.stringify(versions) !== JSON.stringify(expected)) {
        throw new Error(`e2e/mattermost/${pin.version}/go.mod selects ${versions.join(', ')}; pins.json says ${expected.join(', ')}`);
    }
}

export function ensureMattermost(pin: Pin = selectedPin()): MattermostBuild {
    const dir = path.join(cacheRoot, `mattermost-${pinKey(pin)}`);
    const build = {pin, dir, mattermost: path.join(dir, 'mattermost'), mmctl: path.join(dir, 'mmctl')};
    if (fs.existsSync(path.join(dir, 'complete'))) {
        return build;
    }

    console.log(`Building Mattermost ${pin.version} into ${dir} (only once per pin; a cold build takes many minutes)`);
    checkModule(pin);
    const staging = `${dir}.partial`;
    fs.rmSync(staging, {recursive: true, force: true});
    fs.mkdirSync(staging, {recursive: true});
    go(pin, ['build', '-trimpath', '-o', staging + path.sep, `${serverModule}/cmd/mattermost`, `${serverModule}/cmd/mmctl`]);

    // The server looks for these folders beside its binary; a -trimpath build cannot find them in the module.
    const sourceDir = go(pin, ['list', '-m', '-f', '{{.Dir}}', serverModule]).trim();
    for (const folder of ['i18n', 'templates', 'fonts']) {
        fs.cpSync(path.join(sourceDir, folder), path.join(staging, folder), {recursive: true});
    }
    fs.writeFileSync(path.join(staging, 'complete'), go(pin, ['list', '-m', '-f', '{{.Version}}', serverModule]));
    fs.rmSync(dir, {recursive: true, force: true});
    fs.renameSync(staging, dir);
    return build;
}

// `npx tsx e2e/harness/mattermost-build.ts [version...]` builds the named pins (all when none), e.g. to warm a CI cache.
if (require.main === module) {
    const wanted = process.argv.slice(2);
    for (const pin of PINS.filter((p) => !wanted.length || wanted.includes(p.version))) {
        console.log(`${pin.version}: ${ensureMattermost(pin).dir}`);
    }
}
