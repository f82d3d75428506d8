// A fault-injecting reverse proxy on loopback, put between the browser page and the real server:
// the page sees latency, errors and lost connections exactly where a rule says, and every request
// it made is logged so a test can check what was (and was not) sent twice.
import http from 'http';
import net from 'net';
import {AddressInfo} from 'net';

export type Fault =
    // Forwarded after a delay.
    | {kind: 'latency'; ms: number}

    // Forwarded once `release` resolves: the answer is as slow as the test wants, without a timer.
    | {kind: 'hold'; release: Promise<void>}

    // Answered by the proxy itself; the server never sees the request.
    | {kind: 'status'; status: number; retryAfter?: string}

    // The connection is closed before the request is forwarded: nothing reached the server.
    | {kind: 'drop'}

    // Forwarded and answered by the server, then the connection is cut after the status line:
    // the server acted but the page never learns how it ended.
    | {kind: 'drop-after'};

export interface FaultRule {
    method?: string;

    // Tested against the path with its query string.
    path: RegExp;

    // Tested against the request body, e.g. to aim at one token id.
    body?: RegExp;

    // 1-based positions among the requests this rule matches; every matching request when absent.
    nth?: number[];
    fault: Fault;
}

export interface ProxyEvent {
    method: string;
    path: string;
    body: string;

    // The fault injected into this request, if any.
    fault?: Fault['kind'];

    // What the page was answered (0 when the connection was cut).
    status: number;
}

// Changes what the real server answers, e.g. to add the fields a newer Mattermost sends (expiry.ts).
// Faults still apply first; a rewriter only sees requests that reached the server.
export interface AnswerRewriter {
    // Answers a route the real server lacks, without forwarding it; undefined to forward as usual.
    answer?(request: {method: string; path: string; headers: http.IncomingHttpHeaders}): Promise<{status: number; body: unknown} | undefined>;
    rewrite(request: {method: string; path: string}, status: number, payload: Buffer): Buffer;
}

interface ActiveRule extends FaultRule {
    seen: number;
}

export class FaultProxy {
    readonly events: ProxyEvent[] = [];
    private rules: ActiveRule[] = [];
    private rewriter?: AnswerRewriter;
    private readonly sockets = new Set<net.Socket>();

    private constructor(private readonly server: http.Server, private readonly target: URL, readonly url: string) {}

    // `target` is the real server's URL; the proxy listens on a free loopback port.
    static async start(target: string): Promise<FaultProxy> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const proxy = new FaultProxy(server, new URL(target), `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        server.on('request', (req, res) => proxy.handle(req, res));
        server.on('upgrade', (req, socket, head) => proxy.tunnel(req, socket as net.Socket, head));
        server.on('connection', (socket) => {
            proxy.sockets.add(socket);
            socket.on('close', () => proxy.sockets.delete(socket));
        });
        return proxy;
    }

    add(rule: FaultRule): void {
        this.rules.push({...rule, seen: 0});
    }

    clear(): void {
        this.rules = [];
    }

    rewriteAnswers(rewriter: AnswerRewriter | undefined): void {
        this.rewriter = rewriter;
    }

    // How many requests a `hold` rule is keeping back right now.
    holding = 0;

    // How many requests got a fault other than added latency or a hold.
    get injected(): number {
        return this.events.filter((e) => e.fault && e.fault !== 'latency' && e.fault !== 'hold').length;
    }

    requests(method: string, path: RegExp): ProxyEvent[] {
        return this.events.filter((e) => e.method === method && path.test(e.path));
    }

    async close(): Promise<void> {
        for (const socket of this.sockets) {
            socket.destroy();
        }
        await new Promise((resolve) => this.server.close(resolve));
    }

    // Every matching rule counts the request. Latency adds up; of the other faults the first rule
    // whose position matches applies.
    private pick(method: string, path: string, body: string): {delayMs: number; holds: Array<Promise<void>>; fault?: Exclude<Fault, {kind: 'latency' | 'hold'}>} {
        let delayMs = 0;
        const holds: Array<Promise<void>> = [];
        let fault: Exclude<Fault, {kind: 'latency' | 'hold'}> | undefined;
        for (const rule of this.rules) {
            if ((rule.method && rule.method !== method) || !rule.path.test(path) || (rule.body && !rule.body.test(body))) {
                continue;
            }
            rule.seen++;
            if (rule.nth && !rule.nth.includes(rule.seen)) {
                continue;
            }
            if (rule.fault.kind === 'latency') {
                delayMs += rule.fault.ms;
            } else if (rule.fault.kind === 'hold') {
                holds.push(rule.fault.release);
            } else {
                fault ??= rule.fault;
            }
        }
        return {delayMs, holds, fault};
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) {
            chunks.push(chunk as Buffer);
        }
        const body = Buffer.concat(chunks);
        const method = req.method ?? 'GET';
        const path = req.url ?? '/';
        const {delayMs, holds, fault} = this.pick(method, path, body.toString('utf8'));
        const event: ProxyEvent = {method, path, body: body.toString('utf8'), fault: fault?.kind ?? (holds.length ? 'hold' : delayMs ? 'latency' : undefined), status: 0};
        this.events.push(event);

        // A fresh connection per request: Chromium silently resends a request whose reused
        // keep-alive connection closes without an answer, which would hide a dropped connection.
        res.shouldKeepAlive = false;

        if (delayMs) {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        if (holds.length) {
            this.holding++;
            await Promise.all(holds);
            this.holding--;
        }
        if (fault?.kind === 'drop') {
            req.socket.destroy();
            return;
        }
        if (fault?.kind === 'status') {
            event.status = fault.status;
            const headers: Record<string, string> = {'Content-Type': 'application/json'};
            if (fault.retryAfter !== undefined) {
                headers['Retry-After'] = fault.retryAfter;
            }
            res.writeHead(fault.status, headers).end(JSON.stringify({id: 'fault_proxy', message: `injected ${fault.status}`}));
            return;
        }

        // Only with a rewriter is there a step here, so the plain proxy forwards with the timing it always had.
        const own = this.rewriter?.answer ? await this.rewriter.answer({method, path, headers: req.headers}) : undefined;
        if (own) {
            event.status = own.status;
            res.writeHead(own.status, {'Content-Type': 'application/json'}).end(JSON.stringify(own.body));
            return;
        }

        // Uncompressed answers, so the proxy can read and rewrite them.
        const headers = {...req.headers};
        delete headers['accept-encoding'];
        const upstream = http.request({
            host: this.target.hostname,
            port: this.target.port,
            method,
            path,
            headers,
        }, async (answer) => {
            const parts: Buffer[] = [];
            for await (const chunk of answer) {
                parts.push(chunk as Buffer);
            }
            let payload: Buffer = Buffer.concat(parts);
            event.status = answer.statusCode ?? 0;
            if (fault?.kind === 'drop-after') {
                event.status = 0;
                res.socket?.write(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nContent-Length: ${payload.length}\r\n\r\n`);
                res.socket?.destroy();
                return;
            }
            const answerHeaders = {...answer.headers};
            if (this.rewriter) {
                payload = this.rewriter.rewrite({method, path}, answer.statusCode ?? 0, payload);
            }
            answerHeaders['content-length'] = String(payload.length);
            delete answerHeaders['transfer-encoding'];
            delete answerHeaders.connection;
            res.writeHead(answer.statusCode ?? 502, answerHeaders).end(payload);
        });
        upstream.on('error', () => {
            // What a real reverse proxy says while the server is down or restarting.
            event.status = 502;
            if (!res.headersSent) {
                res.writeHead(502, {'Content-Type': 'text/plain'}).end('bad gateway');
            }
        });
        upstream.end(body);
    }

    // WebSocket upgrades pass through untouched, Origin included, as through a plain reverse proxy:
    // Mattermost accepts the page's websocket only when that Origin is SiteURL's or is listed in
    // ServiceSettings.AllowCorsFrom (App.OriginChecker), so a test that needs posts here lists it.
    private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer) {
        const upstream = net.connect(Number(this.target.port), this.target.hostname, () => {
            const lines = [`${req.method} ${req.url} HTTP/1.1`];
            for (let i = 0; i < req.rawHeaders.length; i += 2) {
                lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
            }
            upstream.write(lines.join('\r\n') + '\r\n\r\n');
            upstream.write(head);
            upstream.pipe(socket);
            socket.pipe(upstream);
        });
        const close = () => {
            upstream.destroy();
            socket.destroy();
        };
        upstream.on('error', close);
        socket.on('error', close);
        upstream.on('close', close);
        socket.on('close', close);
    }
}
