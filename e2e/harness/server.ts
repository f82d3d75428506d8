// Runs one real Mattermost server on a free loopback port in a scratch folder.
import {ChildProcess, spawn} from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

import {MattermostBuild} from './mattermost-build';
import {buildOutput, repoRoot} from './paths';

export interface ServerOptions {
    build: MattermostBuild;
    dataSource: string;

    // A path SiteURL ends with (e.g. '/mattermost'): the server then serves everything under it.
    subpath?: string;
}

export interface RunningServer {
    url: string;
    scratch: string;
    socket: string;
    logFile: string;
    configFile: string;
    pid: number;
    stop(): Promise<void>;
    restart(): Promise<void>;

    // SIGKILL: the server dies mid-request, as on a crash or an OOM kill; `start` brings it back.
    kill(): Promise<void>;
    start(): Promise<void>;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const {port} = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}

// Everything that would phone out is off: the test machine has no network but loopback.
function serverConfig(url: string, port: number, scratch: string, socket: string, dataSource: string) {
    return {
        ServiceSettings: {
            SiteURL: url,
            ListenAddress: `127.0.0.1:${port}`,
            EnableUserAccessTokens: true,
            EnableBotAccountCreation: true,
            EnableLocalMode: true,
            LocalModeSocketLocation: socket,
            EnableSecurityFixAlert: false,
            EnableLinkPreviews: false,
            EnableOnboardingFlow: false,
            ExperimentalStrictCSRFEnforcement: true,
        },
        // Several servers may share one PostgreSQL (max_connections 100 by default), so each keeps a small pool.
        SqlSettings: {DriverName: 'postgres', DataSource: dataSource, MaxOpenConns: 20, MaxIdleConns: 10},
        TeamSettings: {EnableOpenServer: true, MaxUsersPerTeam: 100000},
        EmailSettings: {SendEmailNotifications: false, RequireEmailVerification: false, EnableSignUpWithEmail: true},
        PasswordSettings: {MinimumLength: 8, Lowercase: false, Number: false, Uppercase: false, Symbol: false},
        RateLimitSettings: {Enable: false},
        FileSettings: {Directory: path.join(scratch, 'data')},
        LogSettings: {
            EnableConsole: true,
            ConsoleLevel: 'INFO',
            ConsoleJson: true,
            EnableFile: false,
            EnableDiagnostics: false,
        },
        PluginSettings: {
            Enable: true,
            EnableUploads: true,
            Directory: path.join(scratch, 'plugins'),
            ClientDirectory: path.join(scratch, 'client', 'plugins'),
            EnableMarketplace: false,
            EnableRemoteMarketplace: false,
            AutomaticPrepackagedPlugins: false,
            RequirePluginSignature: false,
        },
        AnnouncementSettings: {AdminNoticesEnabled: false, UserNoticesEnabled: false},
        MetricsSettings: {Enable: false},
    };
}

// The page that stands in for the Mattermost webapp is served from the server's own client/ folder
// (at /static/ for the files, root.html for every other page path). Under a subpath the server
// rewrites root.html and the CSS files there when it starts, as it does the real webapp's.
function installHostPage(scratch: string) {
    const client = path.join(scratch, 'client');
    fs.mkdirSync(path.join(client, 'plugins'), {recursive: true});
    const host = path.join(repoRoot, 'e2e', 'host');
    const files: Array<[string, string]> = [
        [path.join(host, 'root.html'), 'root.html'],
        [path.join(host, 'host.css'), 'host.css'],
        [require.resolve('bootstrap/dist/css/bootstrap.min.css'), 'bootstrap.min.css'],
        [path.join(buildOutput, 'host', 'host.js'), 'host.js'],
    ];
    for (const [from, to] of files) {
        if (fs.existsSync(from)) {
            fs.copyFileSync(from, path.join(client, to));
        }
    }
}

// With IS_CI or IS_LOCAL_TESTING set, Mattermost skips rewriting client/ for a SiteURL subpath
// (channels/utils/subpath.go), which no production server does; CI machines often set them.
//
// The plugin's scheduled jobs run at activation and then every few minutes; a scan in the middle of
// a test that proves a request changed nothing in KV would fail it at random. So, unless a test file
// chose its own test-only minute (the watch and campaign suites), a minute lasts a day here, and the
// activation run finishes before any test starts (waitForFirstWatchRun).
function serverEnv(): NodeJS.ProcessEnv {
    const env = {...process.env};
    delete env.IS_CI;
    delete env.IS_LOCAL_TESTING;
    env.TOKEN_AUDIT_TEST_MINUTE ??= '24h';
    return env;
}

// A server killed with SIGKILL cannot stop its plugin processes, and they outlive it; a restarted
// server starts its own, so the old ones are reaped here rather than left running against the database.
function killOrphanedPlugins(pluginDir: string) {
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
            if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(pluginDir + path.sep)) {
                process.kill(Number(pid), 'SIGKILL');
            }
        } catch {
            // gone already, or not ours to read
        }
    }
}

async function waitForPing(url: string, child: ChildProcess, logFile: string, timeoutMs = 240000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`Mattermost exited with code ${child.exitCode} before answering; log: ${logFile}`);
        }
        try {
            const response = await fetch(`${url}/api/v4/system/ping`);
            if (response.ok) {
                return;
            }
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`Mattermost did not answer within ${timeoutMs / 1000}s; log: ${logFile}`);
}

export async function startServer({build, dataSource, subpath = ''}: ServerOptions): Promise<RunningServer> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}${subpath}`;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-mm-'));
    const socket = path.join(scratch, 'local.socket');
    const configFile = path.join(scratch, 'config.json');
    const logFile = path.join(scratch, 'mattermost.log');
    fs.writeFileSync(configFile, JSON.stringify(serverConfig(url, port, scratch, socket, dataSource), null, 2));
    installHostPage(scratch);

    let child: ChildProcess;
    const launch = async () => {
        const log = fs.openSync(logFile, 'a');
        child = spawn(build.mattermost, ['server', '--config', configFile], {cwd: scratch, stdio: ['ignore', log, log], env: serverEnv()});
        fs.closeSync(log);
        await waitForPing(url, child, logFile);
    };
    const running = () => child && child.exitCode === null && child.signalCode === null;
    const stop = async () => {
        if (!running()) {
            return;
        }
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
        await exited;
        clearTimeout(timer);
    };
    const kill = async () => {
        if (!running()) {
            return;
        }
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
        killOrphanedPlugins(path.join(scratch, 'plugins'));
    };

    // A crashed or interrupted test process must not leave a server behind.
    process.once('exit', () => child?.kill('SIGKILL'));
    await launch();

    return {
        url,
        scratch,
        socket,
        logFile,
        configFile,
        get pid() {
            return child.pid ?? 0;
        },
        stop,
        restart: async () => {
            await stop();
            await launch();
        },
        kill,
        start: async () => {
            if (!running()) {
                await launch();
            }
        },
    };
}
