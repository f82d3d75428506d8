import type {ServerFeatures, Token} from './types';

// The settings that say what a server supports, as the client config ("true"/"false" strings) or the
// admin config (booleans, numbers) give them; absent on servers that do not know them.
export interface ServerSettings {
    EnableUserAccessTokens?: unknown;

    // 11.9 and later.
    MaximumPersonalAccessTokenLifetimeDays?: unknown;
}

// Token expiry exists on recent servers only. Either a token carrying `expires_at` or settings that
// know MaximumPersonalAccessTokenLifetimeDays prove it; absence of both means no expiry.
export function serverFeatures(tokens: readonly Token[], settings: ServerSettings | undefined): ServerFeatures {
    const lifetimeRaw = settings?.MaximumPersonalAccessTokenLifetimeDays;
    const enabledRaw = settings?.EnableUserAccessTokens;
    const features: ServerFeatures = {
        // Unknown counts as enabled: a false "disabled" banner would alarm for nothing.
        tokensEnabled: enabledRaw === undefined ? true : String(enabledRaw) === 'true',
        expirySupported: lifetimeRaw !== undefined || tokens.some((t) => t.expires_at !== undefined),
    };
    const lifetime = Number(lifetimeRaw);
    if (lifetimeRaw !== undefined && Number.isFinite(lifetime) && lifetime > 0) {
        features.maxLifetimeDays = lifetime;
    }
    return features;
}
