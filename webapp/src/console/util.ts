import {useMemo} from 'react';
import {useIntl} from 'react-intl';

import type {FindingName, OwnerKind, Row} from '../engine';

import type {MessageId, Translate} from './intl';

// Duck-typed so errors from any layer (ApiError, a mocked client) are recognised alike.
export function statusOf(err: unknown): number {
    const status = (err as {status?: unknown} | null)?.status;
    return typeof status === 'number' ? status : 0;
}

export function isForbidden(err: unknown): boolean {
    return statusOf(err) === 403;
}

export function errorText(err: unknown): string {
    const e = err as {detail?: unknown; message?: unknown} | null;
    if (typeof e?.detail === 'string' && e.detail) {
        return e.detail;
    }
    return typeof e?.message === 'string' ? e.message : String(err);
}

export function ownerName(row: Row): string {
    return row.owner?.username ?? row.token.user_id;
}

// The System Console renders plugin settings inside its own <form>, so this page uses no forms of
// its own (they would nest) and Enter in a field runs the field's action instead of submitting the
// console's form.
export function onEnter(action: () => void) {
    return (e: {key: string; preventDefault(): void}) => {
        if (e.key === 'Enter') {
            e.preventDefault();
            action();
        }
    };
}

export const MATTERMOST_ID = /^[a-z0-9]{26}$/;

export function findingLabel(t: Translate, f: FindingName): string {
    return t(`token_audit.finding.${f}` as MessageId);
}

export function findingDescription(t: Translate, f: FindingName): string {
    return t(`token_audit.finding.${f}.description` as MessageId);
}

export function ownerKindLabel(t: Translate, k: OwnerKind): string {
    return t(`token_audit.owner_kind.${k}` as MessageId);
}

export function useDates() {
    const intl = useIntl();
    return useMemo(() => ({
        date: (ms: number) => intl.formatDate(ms, {year: 'numeric', month: 'short', day: 'numeric'}),
        dateTime: (ms: number) => intl.formatDate(ms, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'}),
    }), [intl]);
}

// Long lists of names stay readable: the first few, then how many more.
export function nameList(t: Translate, names: string[], max = 5): string {
    if (names.length <= max) {
        return names.join(', ');
    }
    return t('token_audit.names.more', {names: names.slice(0, max).join(', '), count: names.length - max});
}
