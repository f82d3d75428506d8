// The shapes shared by client/ (which fills them from the server), inventory/ (which judges them)
// and console/ and command/ (which show them). Times are Unix milliseconds.

export type FindingName =
    | 'owner_deactivated'
    | 'owner_system_admin'
    | 'owner_bot'
    | 'never_expires'
    | 'exceeds_max_lifetime'
    | 'expiring_soon'
    | 'expired'
    | 'stale'
    | 'disabled'
    | 'new'
    | 'exempted';

// The policy toggles; `exceeds_max_lifetime`, `expired`, `new` and `exempted` are always evaluated.
export type PolicyFindingName = 'owner_deactivated' | 'owner_system_admin' | 'owner_bot' | 'never_expires' | 'expiring_soon' | 'stale' | 'disabled';

export interface Exemption {
    kind: 'token' | 'user';
    id: string;
    reason: string;
    added_by: string;
    added_at: number;

    // When the exemption ends and the token is judged again; absent or 0 = never.
    expires_at?: number;
}

export type DigestSchedule = 'off' | 'daily' | 'weekly';

// What happens when a user holding active tokens is deactivated.
export type OffboardingRule = 'alert' | 'revoke' | 'off';

export interface DigestPrefs {
    schedule: DigestSchedule;
    hour_utc: number;

    // 0 = Sunday; read only when the schedule is weekly.
    weekday: number;

    // '' = a DM from the bot to every system admin.
    channel_id: string;
}

// How the server watches with nobody at the page: scans, alerts, the digest and the offboarding guard.
export interface WatchPrefs {
    scan_minutes: number;

    // '' = a DM from the bot to every system admin.
    alert_channel_id: string;

    // A finding alerts only while it is also on in Policy.findings.
    alert_findings: PolicyFindingName[];
    digest: DigestPrefs;
    offboarding: OffboardingRule;
}

export interface Policy {
    version: number;
    stale_after_days: number;
    expiring_within_days: number;
    findings: Record<PolicyFindingName, boolean>;
    exemptions: Exemption[];
    watch: WatchPrefs;
    updated_by: string;
    updated_at: number;
}

// A token as the REST API lists it. The secret is never part of it.
export interface Token {
    id: string;
    user_id: string;
    description: string;
    is_active: boolean;

    // Absent on servers without token expiry; 0 means never.
    expires_at?: number;
}

export interface Owner {
    id: string;
    username: string;
    email: string;
    first_name: string;
    last_name: string;
    deactivated: boolean;
    bot: boolean;
    system_admin: boolean;
}

// Activity of the sessions a token opened, as far as Mattermost records it.
export interface Usage {
    first_active: number;
    last_active: number;
}

export interface Seen {
    first_seen: number;
    last_seen: number;
    removed_at: number;
}

export interface ServerFeatures {
    tokensEnabled: boolean;

    // Whether the server knows token expiry at all; without it no expiry finding is evaluated.
    expirySupported: boolean;

    // ServiceSettings.MaximumPersonalAccessTokenLifetimeDays when set (11.9+); absent or 0 means no limit.
    maxLifetimeDays?: number;
}

export interface Row {
    token: Token;
    owner?: Owner;
    usage?: Usage;
    seen?: Seen;
    findings: FindingName[];

    // The exemption that matched (token before owner), so the page can show who exempted it and why.
    exemption?: Exemption;

    // The owner's sessions could not be read: no usage means "unknown", not "never used".
    usage_unknown?: boolean;
}

export type Column = 'owner' | 'description' | 'token_id' | 'state' | 'expires' | 'first_seen' | 'last_active' | 'findings';
export type OwnerKind = 'user' | 'bot' | 'admin' | 'deactivated';

export interface Filters {
    state: 'all' | 'active' | 'inactive';
    findings: FindingName[];
    owner_kinds: OwnerKind[];
}

export interface SavedView {
    name: string;
    query: string;
    filters: Filters;
    sort: {column: Column; direction: 'asc' | 'desc'};
    columns: Column[];
    page_size: number;
}

export interface ViewsDoc {
    views: SavedView[];
    last_reviewed_at: number;
}

export type TrailAction =
    | 'revoke' | 'disable' | 'enable'
    | 'bulk_revoke' | 'bulk_disable' | 'bulk_enable'
    | 'policy_update'
    | 'campaign_start' | 'campaign_cancel' | 'campaign_notify' | 'campaign_stage' | 'campaign_keep';

export interface TrailRecord {
    id: string;
    action_id: string;
    phase: 'intent' | 'outcome';
    action: TrailAction;
    actor_id: string;
    at: number;
    token_id: string;
    owner_id: string;
    outcome: '' | 'ok' | 'error';
    error: string;
    count: number;
    source: TrailRecordSource;
    detail?: string;
}

// The body of PUT /policy: the server keeps added_by/added_at of exemptions it already knows.
export interface PolicyInput {
    version: number;
    stale_after_days: number;
    expiring_within_days: number;
    findings: Partial<Record<PolicyFindingName, boolean>>;
    exemptions: Array<Pick<Exemption, 'kind' | 'id' | 'reason' | 'expires_at'>>;

    // Absent = keep the stored one.
    watch?: WatchPrefs;
}

export type TokenActionName = 'revoke' | 'disable' | 'enable';
// Where an action came from: clients record 'console' and 'command'; the server itself records its
// scheduled jobs ('job'), clicks on the bot's buttons ('button') and the deactivation hook ('hook').
export type TrailSource = 'console' | 'command';
export type TrailRecordSource = TrailSource | 'job' | 'button' | 'hook';

// What the client appends to the trail; the server adds id, actor_id and at.
export interface TrailInput {
    action_id: string;
    phase: 'intent' | 'outcome';
    action: TokenActionName | `bulk_${TokenActionName}`;
    token_id: string;
    owner_id: string;
    outcome?: 'ok' | 'error';
    error?: string;
    count?: number;
    source: TrailSource;
}

export interface TrailQuery {
    limit?: number;
    before?: string;
    actor?: string;
    token?: string;
    owner?: string;
    action?: TrailAction;
}

export interface TrailPage {
    records: TrailRecord[];

    // Pass as `before` for the next page; empty at the end.
    next: string;
}
