// Town Square as the webapp shows it to the plugin: posts (normal, and ephemeral ones that only the
// viewer sees) rendered as Mattermost markdown and collapsed past the webapp's maximum height, a
// message box where only text starting with `/` is a command, and a thread opened by clicking a
// post, whose reply box sends with root_id.

import {React, ReactIntl} from './react';
import {api} from './api';
import {Markdown} from './markdown';

// From the React this Mattermost version's webapp gives plugins (react.js), like every part of the page.
const {useLayoutEffect, useRef, useState} = React;
const {FormattedMessage, useIntl} = ReactIntl;

export interface Post {
    id: string;
    channel_id: string;
    root_id: string;
    message: string;
    ephemeral: boolean;

    // How many times post_edited replaced it (UpdateEphemeralPost reaches clients that way).
    revision: number;
}

export interface HookArgs {
    channel_id: string;
    team_id: string;
    root_id: string;
}

export type SlashCommandHook = (message: string, args: HookArgs) => Promise<{message?: string; args?: HookArgs; error?: {message: string}} | undefined>;

// show_more.tsx collapses a post message taller than this.
const maxPostHeight = 600;

function CollapsedMessage({text}: {text: string}) {
    const content = useRef<HTMLDivElement>(null);
    const [overflows, setOverflows] = useState(false);
    const [expanded, setExpanded] = useState(false);
    useLayoutEffect(() => {
        const element = content.current!;
        const measure = () => setOverflows(element.scrollHeight > maxPostHeight);
        measure();
        const observer = new ResizeObserver(measure);
        observer.observe(element);
        return () => observer.disconnect();
    }, [text]);
    const collapsed = overflows && !expanded;
    return (
        <div className='post-message'>
            <div
                ref={content}
                className={collapsed ? 'post-message__text post-message--collapsed' : 'post-message__text'}
                style={collapsed ? {maxHeight: maxPostHeight, overflow: 'hidden'} : undefined}
            >
                <Markdown text={text}/>
            </div>
            {overflows && (
                <button
                    type='button'
                    className='post-collapse__show-more-button'
                    data-testid='host-show-more'
                    onClick={(e) => {
                        e.stopPropagation();
                        setExpanded(!expanded);
                    }}
                ><FormattedMessage id={collapsed ? 'post_info.message.show_more' : 'post_info.message.show_less'}/></button>
            )}
        </div>
    );
}

function PostView({post, testId, onOpenThread}: {post: Post; testId: string; onOpenThread?: (post: Post) => void}) {
    // Ephemeral posts exist only in this client, so they cannot start a thread.
    const canReply = Boolean(onOpenThread) && !post.ephemeral;
    return (
        <div
            className={post.ephemeral ? 'post post--ephemeral' : 'post'}
            data-testid={testId}
            data-post-id={post.id}
            data-root-id={post.root_id}
            data-revision={post.revision}
            onClick={canReply ? () => onOpenThread!(post) : undefined}
        >
            <CollapsedMessage text={post.message}/>
            {post.ephemeral && <div className='post__visibility'><FormattedMessage id='host.post.ephemeral'/></div>}
            {canReply && (
                <button
                    type='button'
                    className='post__reply btn btn-link'
                    data-testid='host-reply'
                ><FormattedMessage id='host.post.reply'/></button>
            )}
        </div>
    );
}

interface BoxProps {
    channelId: string;
    teamId: string;
    rootId: string;
    hooks: () => SlashCommandHook[];
    inputTestId: string;
    errorTestId: string;
    placeholder: string;
}

function MessageBox({channelId, teamId, rootId, hooks, inputTestId, errorTestId, placeholder}: BoxProps) {
    const [value, setValue] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    // Text that was refused is not sent again until it is edited.
    const [refused, setRefused] = useState<string | null>(null);

    const refuse = (text: string, message: string) => {
        setError(message);
        setRefused(text);
    };

    const runCommand = async (text: string): Promise<void> => {
        let message = text;
        let args: HookArgs = {channel_id: channelId, team_id: teamId, root_id: rootId};
        for (const hook of hooks()) {
            const result = await hook(message, args);
            if (result?.error) {
                refuse(text, result.error.message);
                return;
            }
            if (!result?.message) {
                setValue('');
                return;
            }
            message = result.message;
            args = result.args ?? args;
        }
        await api('POST', '/api/v4/commands/execute', {command: message, channel_id: args.channel_id, team_id: args.team_id, root_id: args.root_id});
        setValue('');
    };

    const send = async () => {
        const text = value;
        if (!text.trim() || busy || text === refused) {
            return;
        }
        setBusy(true);
        setError('');
        try {
            if (text.startsWith('/')) {
                await runCommand(text);
            } else {
                await api('POST', '/api/v4/posts', {channel_id: channelId, message: text, root_id: rootId});
                setValue('');
            }
        } catch (err) {
            refuse(text, (err as Error).message);
        } finally {
            setBusy(false);
        }
    };

    return (
        <div
            className='post-create'
            data-busy={busy}
        >
            <textarea
                className='form-control post-create__input'
                rows={1}
                data-testid={inputTestId}
                aria-label={placeholder}
                placeholder={placeholder}
                value={value}
                onChange={(e) => {
                    setValue(e.target.value);
                    setRefused(null);
                }}
                onKeyDown={(e) => {
                    // As in the webapp: Enter sends, Shift+Enter starts a new line.
                    if (e.key === 'Enter' && !e.shiftKey) {
                        e.preventDefault();
                        send();
                    }
                }}
            />
            <div
                className='post-create__error'
                data-testid={errorTestId}
                role='alert'
            >{error}</div>
        </div>
    );
}

interface ChannelProps {
    channelId: string;
    teamId: string;
    posts: Post[];
    hooks: () => SlashCommandHook[];
}

export function Channel({channelId, teamId, posts, hooks}: ChannelProps) {
    const intl = useIntl();
    const [threadRootId, setThreadRootId] = useState('');
    const root = posts.find((p) => p.id === threadRootId);
    return (
        <div
            className='host-channel'
            data-testid='host-chat'
        >
            <div className='host-channel__center'>
                <div
                    className='post-list'
                    aria-live='polite'
                >
                    {posts.map((post) => (
                        <PostView
                            key={post.id}
                            post={post}
                            testId='host-post'
                            onOpenThread={(p) => setThreadRootId(p.root_id || p.id)}
                        />
                    ))}
                </div>
                <MessageBox
                    channelId={channelId}
                    teamId={teamId}
                    rootId=''
                    hooks={hooks}
                    inputTestId='host-input'
                    errorTestId='host-error'
                    placeholder={intl.formatMessage({id: 'host.channel.placeholder'})}
                />
            </div>
            {root && (
                <aside
                    className='sidebar--right'
                    data-testid='host-thread'
                    data-root-id={root.id}
                >
                    <div className='sidebar--right__header'>
                        <FormattedMessage id='host.thread.title'/>
                        <button
                            type='button'
                            className='btn btn-link'
                            aria-label={intl.formatMessage({id: 'host.thread.close'})}
                            onClick={() => setThreadRootId('')}
                        >{'×'}</button>
                    </div>
                    {[root, ...posts.filter((p) => p.root_id === root.id)].map((post) => (
                        <PostView
                            key={post.id}
                            post={post}
                            testId='host-thread-post'
                        />
                    ))}
                    <MessageBox
                        key={root.id}
                        channelId={root.channel_id}
                        teamId={teamId}
                        rootId={root.id}
                        hooks={hooks}
                        inputTestId='host-reply-input'
                        errorTestId='host-reply-error'
                        placeholder={intl.formatMessage({id: 'host.thread.reply'})}
                    />
                </aside>
            )}
        </div>
    );
}
