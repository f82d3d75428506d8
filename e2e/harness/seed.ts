// Fills a fresh server through the REST API with the people and tokens every test relies on.
import {Client4} from '@mattermost/client';

export const adminLogin = {username: 'sysadmin', password: 'Sysadmin-pass-1'};
const password = 'Regular-pass-1';

export interface SeededToken {
    id: string;
    userId: string;
    username: string;
    description: string;
    active: boolean;
    used: boolean;
}

export interface Fixtures {
    teamId: string;
    channelId: string;
    password: string;
    users: Record<string, {id: string; username: string}>;
    tokens: SeededToken[];
}

export function clientFor(url: string, token = ''): Client4 {
    const client = new Client4();
    client.setUrl(url);
    client.setToken(token);
    return client;
}

export async function loggedIn(url: string, username: string, secret: string): Promise<Client4> {
    const client = clientFor(url);
    await client.login(username, secret);
    return client;
}

// Tokens are created by the admin for their owners; `used` ones open a session so they have usage.
const tokenPlan: Array<{owner: string; description: string; active: boolean; used: boolean}> = [
    {owner: 'sysadmin', description: 'admin automation', active: true, used: false},
    {owner: 'ops-admin', description: 'ops backup script', active: true, used: true},
    {owner: 'ops-admin', description: 'old ops script', active: false, used: false},
    {owner: 'alice', description: 'alice laptop', active: true, used: true},
    {owner: 'alice', description: 'alice ci runner', active: false, used: false},
    {owner: 'bob', description: 'bob integration', active: true, used: false},
    {owner: 'erin', description: 'erin export job', active: true, used: false},
    {owner: 'ci-bot', description: 'deploy pipeline', active: true, used: true},
    {owner: 'ci-bot', description: 'legacy webhook relay', active: true, used: false},
];

export async function seed(url: string): Promise<Fixtures> {
    const anonymous = clientFor(url);
    await anonymous.createUser({username: adminLogin.username, email: 'sysadmin@example.com', password: adminLogin.password} as never, '', '', '');
    const admin = await loggedIn(url, adminLogin.username, adminLogin.password);
    const me = await admin.getMe();
    const team = await admin.createTeam({name: 'audit', display_name: 'Audit', type: 'O'} as never);
    const channel = await admin.getChannelByName(team.id, 'town-square');

    const users: Fixtures['users'] = {sysadmin: {id: me.id, username: me.username}};
    for (const username of ['ops-admin', 'alice', 'bob', 'carol', 'erin']) {
        const user = await admin.createUser({username, email: `${username}@example.com`, password, first_name: username, last_name: 'Example'} as never, '', '', '');
        await admin.addToTeam(team.id, user.id);
        users[username] = {id: user.id, username};
    }
    await admin.addToTeam(team.id, me.id).catch(() => undefined);
    await admin.updateUserRoles(users['ops-admin'].id, 'system_user system_admin');

    const bot = await admin.createBot({username: 'ci-bot', display_name: 'CI bot', description: 'Deploys from CI'} as never);
    users['ci-bot'] = {id: bot.user_id, username: 'ci-bot'};

    const tokens: SeededToken[] = [];
    for (const plan of tokenPlan) {
        const owner = users[plan.owner];
        const created = await admin.createUserAccessToken(owner.id, plan.description);
        if (plan.used) {
            await clientFor(url, created.token).getMe();
        }
        if (!plan.active) {
            await admin.disableUserAccessToken(created.id);
        }
        tokens.push({id: created.id, userId: owner.id, username: owner.username, description: plan.description, active: plan.active, used: plan.used});
    }

    // Deactivated after its token exists: the inventory must still show whose token it was.
    await admin.updateUserActive(users.erin.id, false);

    return {teamId: team.id, channelId: channel.id, password, users, tokens};
}
