// Builds the pinned Mattermost server and mmctl once per pin and keeps them in the user cache.
import {execFileSync} from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

import {cacheRoot, repoRoot} from './paths';

const moduleDir = path.join(repoRoot, 'e2e', 'mattermost');
const serverModule = 'github.com/mattermost/mattermost/server/v8';

export interface MattermostBuild {
    dir: string;
    mattermost: string;
    mmctl: string;
}

export function pinKey(): string {
    const hash = crypto.createHash('sha256');
    for (const file of ['go.mod', 'go.sum']) {
        hash.update(fs.readFileSync(path.join(moduleDir, file)));
    }
    return hash.digest('hex').slice(0, 16);
}

function go(args: string[], env: NodeJS.ProcessEnv = {}): string {
    return execFileSync('go', args, {cwd: moduleDir, env: {...process.env, CGO_ENABLED: '0', ...env}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
}

export function ensureMattermost(): MattermostBuild {
    const dir = path.join(cacheRoot, `mattermost-${pinKey()}`);
    const build = {dir, mattermost: path.join(dir, 'mattermost'), mmctl: path.join(dir, 'mmctl')};
    if (fs.existsSync(path.join(dir, 'complete'))) {
        return build;
    }

    console.log(`Building the pinned Mattermost server into ${dir} (only once per pin; a cold build takes many minutes)`);
    const staging = `${dir}.partial`;
    fs.rmSync(staging, {recursive: true, force: true});
    fs.mkdirSync(staging, {recursive: true});
    go(['build', '-trimpath', '-o', staging + path.sep, `${serverModule}/cmd/mattermost`, `${serverModule}/cmd/mmctl`]);

    // The server looks for these folders beside its binary; a -trimpath build cannot find them in the module.
    const sourceDir = go(['list', '-m', '-f', '{{.Dir}}', serverModule]).trim();
    for (const folder of ['i18n', 'templates', 'fonts']) {
        fs.cpSync(path.join(sourceDir, folder), path.join(staging, folder), {recursive: true});
    }
    fs.writeFileSync(path.join(staging, 'complete'), go(['list', '-m', '-f', '{{.Version}}', serverModule]));
    fs.rmSync(dir, {recursive: true, force: true});
    fs.renameSync(staging, dir);
    return build;
}
