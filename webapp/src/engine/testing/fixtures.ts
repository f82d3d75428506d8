// Tokens, owners and policies for tests of the engine and of everything built on it.
import {copyWatch, DEFAULT_POLICY} from '../policy/policy';
import type {Owner, Policy, Token} from '../types';

export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

// A valid 26-character Mattermost id that still reads as its name in failures.
export function mmid(name: string): string {
    return (name.toLowerCase().replace(/[^a-z0-9]/g, '') + 'z'.repeat(26)).slice(0, 26);
}

export function owner(username: string, extra: Partial<Owner> = {}): Owner {
    return {
        id: mmid(`u${username}`),
        username,
        email: `${username}@example.com`,
        first_name: '',
        last_name: '',
        deactivated: false,
        bot: false,
        system_admin: false,
        ...extra,
    };
}

export function token(name: string, o: Owner, extra: Partial<Token> = {}): Token {
    return {id: mmid(`t${name}`), user_id: o.id, description: name, is_active: true, ...extra};
}

export function policy(extra: Partial<Policy> = {}): Policy {
    return {...DEFAULT_POLICY, findings: {...DEFAULT_POLICY.findings}, exemptions: [], watch: copyWatch(DEFAULT_POLICY.watch), ...extra};
}
