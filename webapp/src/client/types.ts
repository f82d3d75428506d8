// Shapes that only the client's callers see: what a load returns and how progress is reported.
import type {Owner, Policy, Seen, ServerFeatures, Token, TokenActionName, TrailSource, Usage, ViewsDoc} from '../engine/types';

export type LoadPhase = 'config' | 'tokens' | 'owners' | 'usage' | 'seen' | 'preferences';
export type ActionPhase = 'intent' | 'act' | 'outcome';

export interface Progress<P extends string = LoadPhase | ActionPhase> {
    phase: P;
    done: number;

    // Unknown (0) while paging through a list whose length the server does not tell.
    total: number;
}

export type ProgressCallback<P extends string = LoadPhase | ActionPhase> = (progress: Progress<P>) => void;

export interface LoadOptions {
    signal?: AbortSignal;
    onProgress?: ProgressCallback<LoadPhase>;
}

// A part of the inventory that could not be loaded; the rest is still returned.
export interface LoadFailure {
    part: 'config' | 'owners' | 'usage' | 'seen' | 'policy' | 'views';

    // The owner ids (owners, usage) the failure concerns; empty when it concerns the whole part.
    ids: string[];
    message: string;
    status: number;
}

export interface Inventory {
    tokens: Token[];

    // Keyed by user id. An owner missing here could not be found (or its batch failed, see failures).
    owners: Record<string, Owner>;

    // Keyed by token id; only tokens with a live session have an entry.
    usage: Record<string, Usage>;

    // Owner ids whose sessions could not be read: their tokens' usage is unknown, not "never used".
    usageUnknown: string[];

    // Keyed by token id, from the plugin's first-seen registry.
    seen: Record<string, Seen>;

    // Tokens the registry knew that are gone now.
    removed: Record<string, Seen>;
    features: ServerFeatures;
    policy: Policy;

    // True when the policy could not be read and `policy` is the default.
    policyIsDefault: boolean;
    views: ViewsDoc;

    // Browser clock when the load finished; pass it (or a later time) as `now` to buildRows.
    loadedAt: number;

    // HTTP requests made, retries included.
    requests: number;

    // Mattermost's own count of tokens breaking the maximum lifetime, where the server has it (11.10+).
    coreNonCompliant?: number;
    failures: LoadFailure[];
}

export interface ActionOptions {
    source: TrailSource;
    signal?: AbortSignal;
    onProgress?: ProgressCallback<ActionPhase>;
    concurrency?: number;

    // How long to keep trying to learn and record outcomes while the server does not answer.
    settleMs?: number;
}

export interface TokenActionResult {
    tokenId: string;
    ok: boolean;

    // The server's message, or why the action was not attempted.
    error?: string;
    status?: number;
}

export interface ActionRun {
    action: TokenActionName;
    actionId: string;
    results: TokenActionResult[];

    // Set when the outcome records could not be written; `results` still says what happened.
    trailError?: string;
}

export type SavePolicyResult =
    | {ok: true; policy: Policy}
    | {ok: false; conflict: true; current: Policy};

export interface SeenReport {
    tokens: Record<string, Seen>;
    removed: Record<string, Seen>;
}

// A channel as the watch preferences' picker shows it.
export interface ChannelChoice {
    id: string;
    name: string;
    display_name: string;

    // Empty where the answer did not carry it (a channel read by id).
    team_display_name: string;
}
