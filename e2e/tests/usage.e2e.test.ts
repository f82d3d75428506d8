// GET /usage reads token sessions straight from Mattermost's database. On the real server it must
// say what the REST API says, owner by owner, about every seeded token.
import {Client4} from '@mattermost/client';

import {adminClient, environment, pluginRequest, userClient} from '../harness/context';

interface Usage {
    first_active: number;
    last_active: number;
}

let admin: Client4;

beforeAll(async () => {
    admin = await adminClient();
});

// What GET /users/{id}/sessions says about each token of these owners.
async function usageFromSessions(ownerIds: string[]): Promise<Record<string, Usage>> {
    const usage: Record<string, Usage> = {};
    for (const ownerId of ownerIds) {
        for (const session of await admin.getSessions(ownerId)) {
            const tokenId = session.props?.user_access_token_id;
            if (session.props?.type !== 'UserAccessToken' || !tokenId) {
                continue;
            }
            const last = Math.max(session.create_at, session.last_activity_at);
            const prev = usage[tokenId];
            usage[tokenId] = prev ? {first_active: Math.min(prev.first_active, session.create_at), last_active: Math.max(prev.last_active, last)} : {first_active: session.create_at, last_active: last};
        }
    }
    return usage;
}

test('usage of the seeded tokens equals their owners\' sessions', async () => {
    const tokens = environment().fixtures.tokens;
    const response = await pluginRequest(admin, 'GET', '/usage');
    expect(response.status).toBe(200);
    const served = (response.body as {usage: Record<string, Usage>}).usage;
    const expected = await usageFromSessions([...new Set(tokens.map((t) => t.userId))]);

    const seeded = (usage: Record<string, Usage>) => Object.fromEntries(tokens.filter((t) => usage[t.id]).map((t) => [t.id, usage[t.id]]));
    expect(seeded(served)).toEqual(seeded(expected));

    // The seed used some tokens once and never the others, so both kinds are covered.
    expect(Object.keys(seeded(served)).sort()).toEqual(tokens.filter((t) => t.used).map((t) => t.id).sort());
    for (const usage of Object.values(seeded(served))) {
        expect(usage.first_active).toBeGreaterThan(0);
        expect(usage.last_active).toBeGreaterThanOrEqual(usage.first_active);
    }
});

test('usage is for system admins only', async () => {
    expect((await pluginRequest(null, 'GET', '/usage')).status).toBe(401);
    const alice = await userClient('alice');
    expect(await pluginRequest(alice, 'GET', '/usage')).toMatchObject({status: 403, body: {error: 'forbidden'}});
});

test('usage read a token a page, each page after the previous one\'s next, equals the whole answer', async () => {
    const whole = await pluginRequest(admin, 'GET', '/usage');
    expect(whole.status).toBe(200);
    const paged: Record<string, Usage> = {};
    let pages = 0;
    for (let after = ''; ; pages++) {
        const response = await pluginRequest(admin, 'GET', `/usage?limit=1${after ? `&after=${after}` : ''}`);
        expect(response.status).toBe(200);
        const page = response.body as {usage: Record<string, Usage>; next: string};
        expect(Object.keys(page.usage).length).toBeLessThanOrEqual(1);
        for (const id of Object.keys(page.usage)) {
            expect(paged[id]).toBeUndefined();
        }
        Object.assign(paged, page.usage);
        if (!page.next) {
            break;
        }
        after = page.next;
    }
    const all = (whole.body as {usage: Record<string, Usage>; next: string});
    expect(all.next).toBe('');
    expect(paged).toEqual(all.usage);
    expect(pages).toBeGreaterThanOrEqual(Object.keys(all.usage).length - 1);
});
