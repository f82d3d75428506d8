// Writing Mattermost markdown safely. Anything a user could have typed (descriptions, names, search
// terms, bad arguments) goes through `escapeMarkdown`, so it shows as typed and can never become a
// link, a mention or formatting.
import {clean} from './characters';
import type {Owner} from './types';

// Whatever markdown, Mattermost's autolinker, mentions, hashtags, channel links or emoji could act on
// becomes a numeric character reference: CommonMark and marked both treat those as literal text.
export function escapeMarkdown(text: string): string {
    return clean(text).replace(/[\\`*_{}[\]()#+\-.!|~<>&$@:;'"=%/?^]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Counted in code points so a surrogate pair is never split.
export function truncate(text: string, max: number): string {
    const chars = Array.from(clean(text));
    return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

// Ids come from the server; a backtick would end the code span early, so none survives.
export function code(text: string): string {
    return '`' + clean(text).replace(/`/g, '') + '`';
}

// Usernames the server accepts cannot carry markup, and written plainly they become real mentions
// (profile popover). Anything else is escaped whole, '@' included, so no partial mention appears.
const PLAIN_USERNAME = /^[a-z0-9][a-z0-9.\-_]*$/;

export function mention(owner: Pick<Owner, 'username'>): string {
    return PLAIN_USERNAME.test(owner.username) ? `@${owner.username}` : escapeMarkdown(`@${owner.username}`);
}

// A space or bracket in a URL would end the link target early.
export function linkTarget(url: string): string {
    return url.replace(/[\s()<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

// Cut at a line boundary so a table loses rows rather than becoming garbage.
export function fit(markdown: string, max: number): string {
    if (markdown.length <= max) {
        return markdown;
    }
    const marker = '\n\n…';
    const cut = markdown.lastIndexOf('\n', max - marker.length);
    return markdown.slice(0, cut > 0 ? cut : max - marker.length) + marker;
}

export function consoleURL(siteURL: string, pluginId: string): string {
    return `${siteURL.replace(/\/+$/, '')}/admin_console/plugins/plugin_${pluginId}`;
}
