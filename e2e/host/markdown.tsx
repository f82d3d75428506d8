// Posts are Mattermost markdown: GitHub-flavoured (tables, fenced code, autolinks), a newline is a
// line break, raw HTML is shown as text, and links open in a new tab.
import {Marked, Tokens} from 'marked';

import {React} from './react';

const escapes: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]);

// Only schemes the webapp lets through; anything else (javascript:, data:) stays plain text.
const safeHref = (href: string) => /^(https?:|mailto:|\/|#)/i.test(href);

const parser = new Marked({gfm: true, breaks: true, async: false});
parser.use({
    renderer: {
        html(token: Tokens.HTML | Tokens.Tag) {
            return escapeHtml(token.text);
        },
        link(token: Tokens.Link) {
            const label = this.parser.parseInline(token.tokens);
            if (!safeHref(token.href)) {
                return label;
            }
            const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
            return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener noreferrer">${label}</a>`;
        },
        image(token: Tokens.Image) {
            return escapeHtml(token.text);
        },
    },
});

export function renderMarkdown(text: string): string {
    return parser.parse(text) as string;
}

export function Markdown({text, className}: {text: string; className?: string}) {
    return (
        <div
            className={className}
            dangerouslySetInnerHTML={{__html: renderMarkdown(text)}}
        />
    );
}
