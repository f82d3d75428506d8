// Users as admins name them (@username or id) and as the page shows them (username).
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';

import {getOwners, getUserByUsername} from '../../client';
import {isMattermostId} from '../../engine';
import type {Owner} from '../../engine';

type Owners = Readonly<Record<string, Owner>>;

interface UserNamesOptions {
    ids: readonly string[];

    // Owners already loaded with the inventory, asked for nothing.
    known?: Owners;
}

// Usernames for ids the inventory does not know (admins without tokens, deleted owners), fetched
// once each; an id that cannot be resolved is shown as is.
export function useUserNames({ids, known}: UserNamesOptions) {
    const [fetched, setFetched] = useState<Record<string, Owner>>({});
    const tried = useRef(new Set<string>());
    const missing = useMemo(
        () => [...new Set(ids)].filter((id) => isMattermostId(id) && !known?.[id] && !tried.current.has(id)),
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

export type UserFound = {id: string} | {unknown: string};

// A user typed as an id or @username (any case): the id, or the username no user has. Loaded owners
// are looked in first; anyone else is asked of the server.
export async function resolveUser(typed: string, owners?: Owners): Promise<UserFound> {
    const value = typed.trim();
    const username = value.replace(/^@/, '').toLowerCase();
    if (isMattermostId(value)) {
        return {id: value};
    }
    const id = Object.values(owners ?? {}).find((o) => o.username === username)?.id ?? (await getUserByUsername(username))?.id;
    return id ? {id} : {unknown: username};
}
