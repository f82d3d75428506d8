// Channel names for the ids the watch preferences hold: fetched once each, and remembered from
// the picker's search results so a channel just chosen reads by its name at once.
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';

import {getChannel} from '../../client';
import type {ChannelChoice} from '../../client';
import {isMattermostId} from '../../engine';

import {useT} from '../shared/intl';

export function useChannelNames(ids: readonly string[]) {
    const t = useT();
    const [known, setKnown] = useState<Record<string, ChannelChoice>>({});
    const tried = useRef(new Set<string>());
    const key = useMemo(() => [...new Set(ids)].filter((id) => isMattermostId(id) && !known[id] && !tried.current.has(id)).join(','), [ids, known]);

    useEffect(() => {
        if (!key) {
            return;
        }
        for (const id of key.split(',')) {
            tried.current.add(id);
            getChannel(id).then((c) => c && setKnown((k) => ({...k, [id]: c})), () => undefined);
        }
    }, [key]);

    const remember = useCallback((c: ChannelChoice) => setKnown((k) => ({...k, [c.id]: c})), []);

    // '' is the bot's DM to every system admin; a channel that cannot be read shows its id.
    const label = useCallback((id: string) => {
        if (!id) {
            return t('token_audit.policy.watch.dm_admins');
        }
        const c = known[id];
        return c ? channelLabel(t, c) : t('token_audit.policy.watch.channel_id', {id});
    }, [t, known]);

    return {label, remember};
}

export function channelLabel(t: ReturnType<typeof useT>, c: ChannelChoice): string {
    return c.team_display_name ? t('token_audit.policy.watch.channel_in_team', {name: c.display_name, team: c.team_display_name}) : c.display_name;
}
