// Mattermost ids (users, tokens, posts, ...): 26 characters of [a-z0-9], as model.IsValidId checks them.
export const MATTERMOST_ID = /^[a-z0-9]{26}$/;

export function isMattermostId(value: unknown): value is string {
    return typeof value === 'string' && MATTERMOST_ID.test(value);
}
