// Reading what the bot posted: its text in the product's English, and the buttons on its attachments.
import en from '../../webapp/src/engine/i18n/en.json';
import {formatMessage} from '../../webapp/src/engine/i18n/format';
import type {Values} from '../../webapp/src/engine/i18n/format';

export const english = (id: keyof typeof en, values: Values = {}) => formatMessage(en[id], values, 'en');

export interface Action {
    id: string;
    name: string;
}

export interface Post {
    id: string;
    user_id: string;
    message: string;
    props?: {attachments?: Array<{actions?: Action[]}>};
}

export const actionsOf = (post: Post): Action[] => (post.props?.attachments ?? []).flatMap((a) => a.actions ?? []);

export interface WaitOptions {
    timeoutMs?: number;

    // A failing `find` is polled again rather than failing the wait at once; only for a server that
    // was killed or restarted and is coming back.
    retryErrors?: boolean;
}

// Polls until `find` returns something, then returns it; at the deadline the error says what it last
// saw.
export async function waitFor<T>(what: string, find: () => Promise<T | undefined>, {timeoutMs = 90000, retryErrors = false}: WaitOptions = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const found = await find();
            if (found !== undefined) {
                return found;
            }
        } catch (err) {
            if (!retryErrors) {
                throw new Error(`failed waiting for ${what}: ${String(err)}`, {cause: err});
            }
            lastError = err;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}
