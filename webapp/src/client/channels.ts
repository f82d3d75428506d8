// Channels an admin may send the plugin's alerts and digest to, from Mattermost's own REST API.
import {ApiError} from './errors';
import {getApi} from './current';
import type {CallOptions} from './plugin';
import type {ChannelChoice} from './types';

// One screenful of matches; the admin narrows the term for more.
export const CHANNELS_PER_SEARCH = 20;

// Copies only what the picker shows, from a channel with or without its team's names.
function toChannelChoice(raw: unknown): ChannelChoice {
    const r = (raw ?? {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
        id: text(r.id),
        name: text(r.name),
        display_name: text(r.display_name) || text(r.name),
        team_display_name: text(r.team_display_name),
    };
}

// The System Console's search of every public and private channel of every team (DMs and group
// messages are not channels it lists), matching names and ids. Needs manage_system.
export async function searchChannels(term: string, opts: CallOptions = {}): Promise<ChannelChoice[]> {
    const api = getApi();
    const body = {term, include_search_by_id: true, page: 0, per_page: CHANNELS_PER_SEARCH};
    const raw = await api.request<{channels?: unknown[]}>('POST', `${api.routes().getChannelsRoute()}/search?system_console=true`, {body, signal: opts.signal, idempotent: true});
    return (Array.isArray(raw?.channels) ? raw.channels : []).map(toChannelChoice).filter((c) => c.id);
}

// Undefined when the channel does not exist any more (or this admin may not see it).
export async function getChannel(channelId: string, opts: CallOptions = {}): Promise<ChannelChoice | undefined> {
    const api = getApi();
    try {
        return toChannelChoice(await api.request<unknown>('GET', api.routes().getChannelRoute(channelId), {signal: opts.signal, idempotent: true}));
    } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 403 || err.status === 400)) {
            return undefined;
        }
        throw err;
    }
}
