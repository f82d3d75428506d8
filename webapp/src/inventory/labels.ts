// English defaults; console/ and command/ may translate them by finding name.
import type {Column, FindingName, OwnerKind} from './types';

export const ALL_FINDINGS: readonly FindingName[] = [
    'owner_system_admin', 'owner_deactivated', 'owner_bot', 'never_expires', 'exceeds_max_lifetime', 'expired',
    'expiring_soon', 'stale', 'disabled', 'new', 'exempted',
];

export const FINDING_LABELS: Readonly<Record<FindingName, string>> = {
    owner_deactivated: 'Owner deactivated',
    owner_system_admin: 'Owner is system admin',
    owner_bot: 'Bot token',
    never_expires: 'Never expires',
    exceeds_max_lifetime: 'Breaks the maximum lifetime',
    expiring_soon: 'Expiring soon',
    expired: 'Expired',
    stale: 'Stale',
    disabled: 'Disabled',
    new: 'New since last review',
    exempted: 'Exempted',
};

export const FINDING_DESCRIPTIONS: Readonly<Record<FindingName, string>> = {
    owner_deactivated: 'The owner is deactivated; the token lingers and works again if the account is reactivated.',
    owner_system_admin: 'The token acts with full system admin rights.',
    owner_bot: 'The token belongs to a bot account.',
    never_expires: 'The token has no expiry date.',
    exceeds_max_lifetime: 'The token never expires or expires later than the server\'s maximum token lifetime allows, so Mattermost counts it as non-compliant. Bot tokens are exempt.',
    expiring_soon: 'The token expires within the configured number of days.',
    expired: 'The token has expired and no longer works.',
    stale: 'No activity seen for longer than the configured number of days.',
    disabled: 'The token is disabled; it could be enabled again.',
    new: 'First seen after your last review.',
    exempted: 'Exempted by the audit preferences; not counted as a risk.',
};

export const COLUMN_LABELS: Readonly<Record<Column, string>> = {
    owner: 'Owner',
    description: 'Description',
    token_id: 'Token ID',
    state: 'State',
    expires: 'Expires',
    first_seen: 'First seen',
    last_active: 'Last seen active',
    findings: 'Findings',
};

export const OWNER_KIND_LABELS: Readonly<Record<OwnerKind, string>> = {
    user: 'Users',
    bot: 'Bots',
    admin: 'System admins',
    deactivated: 'Deactivated',
};
