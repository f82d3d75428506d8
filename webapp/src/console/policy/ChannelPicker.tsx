import React, {useEffect, useState} from 'react';

import {messageOf, searchChannels} from '../../client';
import type {ChannelChoice} from '../../client';

import {Button, InlineAlert, TextField} from '../shared/controls';
import {useT} from '../shared/intl';

import {channelLabel} from './channels';

interface Props {
    label: string;
    testId: string;

    // '' = a DM from the bot to every system admin.
    value: string;
    describe: (id: string) => string;
    onPick: (channel: ChannelChoice | null) => void;
}

// A channel chosen by searching every team's channels, or none: then the bot DMs every system admin.
export function ChannelPicker({label, testId, value, describe, onPick}: Props) {
    const t = useT();
    const [term, setTerm] = useState('');
    const [found, setFound] = useState<ChannelChoice[] | null>(null);
    const [error, setError] = useState('');

    // Every keystroke searches; an answer to an older term is dropped.
    useEffect(() => {
        const text = term.trim();
        setError('');
        if (!text) {
            setFound(null);
            return undefined;
        }
        const ctrl = new AbortController();
        searchChannels(text, {signal: ctrl.signal}).then(setFound, (err: unknown) => {
            if (!ctrl.signal.aborted) {
                setFound(null);
                setError(messageOf(err));
            }
        });
        return () => ctrl.abort();
    }, [term]);

    const pick = (c: ChannelChoice | null) => {
        onPick(c);
        setTerm('');
    };

    return (
        <div
            className='ta-field'
            role='group'
            aria-label={label}
            data-testid={testId}
        >
            {label}
            <div className='ta-row'>
                <span data-testid={`${testId}-value`}>{describe(value)}</span>
                {value && (
                    <Button
                        small={true}
                        testId={`${testId}-none`}
                        label={t('token_audit.policy.watch.channel.none')}
                        onClick={() => pick(null)}
                    />
                )}
            </div>
            <TextField
                label={t('token_audit.policy.watch.channel.search')}
                testId={`${testId}-search`}
                value={term}
                onChange={setTerm}
            />
            {found && (found.length === 0 ? <span className='ta-muted'>{t('token_audit.policy.watch.channel.no_match', {term: term.trim()})}</span> : (
                <div
                    className='ta-chips'
                    data-testid={`${testId}-results`}
                >
                    {found.map((c) => (
                        <Button
                            key={c.id}
                            small={true}
                            testId={`${testId}-pick-${c.id}`}
                            label={channelLabel(t, c)}
                            ariaLabel={t('token_audit.policy.watch.channel.pick', {channel: channelLabel(t, c)})}
                            onClick={() => pick(c)}
                        />
                    ))}
                </div>
            ))}
            <InlineAlert text={error}/>
        </div>
    );
}
