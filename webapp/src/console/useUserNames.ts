import {useCallback, useEffect, useMemo, useRef, useState} from 'react';

import {getOwners} from '../client';
import type {Owner} from '../engine';

import {MATTERMOST_ID} from './util';

// Usernames for ids the inventory does not know (admins without tokens, deleted owners), fetched
// once each; an id that cannot be resolved is shown as is.
export function useUserNames(ids: readonly string[], known: Readonly<Record<string, Owner>> | undefined) {
    const [fetched, setFetched] = useState<Record<string, Owner>>({});
    const tried = useRef(new Set<string>());
    const missing = useMemo(
        () => [...new Set(ids)].filter((id) => MATTERMOST_ID.test(id) && !known?.[id] && !tried.current.has(id)),
        [ids, known],
    );
    const key = missing.join(',');

    useEffect(() => {
        if (!key) {
            return;
        }
        const want = key.split(',');
        want.forEach((id) => tried.current.add(id));
        getOwners(want).then((found) => setFetched((f) => ({...f, ...found})), () => undefined);
    }, [key]);

    return useCallback((id: string) => known?.[id]?.username ?? fetched[id]?.username ?? id, [known, fetched]);
}
