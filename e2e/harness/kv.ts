// The plugin's KV rows read straight from the server's database: what the plugin really stored,
// independent of anything its own API says about it.
import {Client} from 'pg';

import {environment} from './context';

export interface KVRow {
    key: string;
    value: Buffer;
    expireAt: number;
}

export async function readPluginKV(pluginId = environment().pluginId): Promise<KVRow[]> {
    const client = new Client({connectionString: environment().dataSource});
    await client.connect();
    try {
        const result = await client.query<{pkey: string; pvalue: Buffer | null; expireat: string}>(
            'SELECT pkey, pvalue, expireat FROM pluginkeyvaluestore WHERE pluginid = $1 ORDER BY pkey',
            [pluginId],
        );
        return result.rows.map((r) => ({key: r.pkey, value: r.pvalue ?? Buffer.alloc(0), expireAt: Number(r.expireat)}));
    } finally {
        await client.end();
    }
}

// The scheduled jobs' own bookkeeping (cluster.Schedule's lock and last run), written by the clock
// rather than by any request.
const JOB_BOOKKEEPING = /^(mutex_)?cron_/;

// Keys whose rows differ between two dumps, for a failure message that says where; keys matching
// `ignore`, and the jobs' bookkeeping, are left out.
export function kvDiff(before: KVRow[], after: KVRow[], ignore?: RegExp): string[] {
    const index = (rows: KVRow[]) => new Map(rows.filter((r) => !ignore?.test(r.key) && !JOB_BOOKKEEPING.test(r.key)).map((r) => [r.key, `${r.expireAt}:${r.value.toString('base64')}`]));
    const a = index(before);
    const b = index(after);
    return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

// cluster.Schedule keeps a job's last finish under "cron_<job>" (server/public/pluginapi/cluster).
export async function waitForFirstWatchRun(dataSource: string, pluginId: string, timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const client = new Client({connectionString: dataSource});
        await client.connect();
        let finished = false;
        try {
            const result = await client.query<{pvalue: Buffer | null}>(
                "SELECT pvalue FROM pluginkeyvaluestore WHERE pluginid = $1 AND pkey = 'cron_watch'",
                [pluginId],
            );
            const raw = result.rows[0]?.pvalue?.toString('utf8');
            const last = raw ? Date.parse((JSON.parse(raw) as {LastFinished?: string}).LastFinished ?? '') : NaN;
            finished = last > 0;
        } finally {
            await client.end();
        }
        if (finished) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error('the plugin\'s first watch run did not finish');
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}
