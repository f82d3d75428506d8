import React, {useRef, useState} from 'react';

import {saveViews} from '../client';
import type {SavedView, ViewsDoc} from '../engine';

import {Dialog} from './Dialog';
import {useT} from './intl';
import {errorText, onEnter} from './util';

const MAX_VIEWS = 50;
const MAX_NAME = 64;

interface Props {
    views: SavedView[];

    // The view as it stands on the page, under the given name.
    snapshot: (name: string) => SavedView;
    onApply: (view: SavedView) => void;
    onSaved: (doc: ViewsDoc) => void;
}

export function SavedViews({views, snapshot, onApply, onSaved}: Props) {
    const t = useT();
    const [chosen, setChosen] = useState('');
    const [naming, setNaming] = useState(false);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');

    const write = async (next: SavedView[]) => {
        setBusy(true);
        setError('');
        try {
            onSaved(await saveViews(next));
            return true;
        } catch (err) {
            setError(t('token_audit.views.error', {message: errorText(err)}));
            return false;
        } finally {
            setBusy(false);
        }
    };

    const save = async (name: string) => {
        const view = snapshot(name);
        const others = views.filter((v) => v.name !== name);
        if (await write([...others, view])) {
            setChosen(name);
            setNaming(false);
        }
    };

    const remove = async () => {
        if (await write(views.filter((v) => v.name !== chosen))) {
            setChosen('');
        }
    };

    return (
        <>
            <label className='ta-field'>
                {t('token_audit.views.label')}
                <select
                    className='ta-select'
                    data-testid='ta-views'
                    value={chosen}
                    onChange={(e) => {
                        setChosen(e.target.value);
                        const view = views.find((v) => v.name === e.target.value);
                        if (view) {
                            onApply(view);
                        }
                    }}
                >
                    <option value=''>{t('token_audit.views.none')}</option>
                    {views.map((v) => (
                        <option
                            key={v.name}
                            value={v.name}
                        >
                            {v.name}
                        </option>
                    ))}
                </select>
            </label>
            <button
                type='button'
                className='ta-btn'
                data-testid='ta-view-save'
                disabled={busy}
                onClick={() => setNaming(true)}
            >
                {t('token_audit.views.save')}
            </button>
            <button
                type='button'
                className='ta-btn'
                data-testid='ta-view-delete'
                disabled={busy || !chosen}
                aria-label={chosen ? t('token_audit.views.delete_named', {name: chosen}) : undefined}
                onClick={remove}
            >
                {t('token_audit.views.delete')}
            </button>
            {error && !naming && <span role='alert'>{error}</span>}
            {naming && (
                <NameDialog
                    initial={chosen}
                    busy={busy}
                    error={error}
                    full={views.length >= MAX_VIEWS}
                    existing={views.map((v) => v.name)}
                    onSave={save}
                    onCancel={() => {
                        setNaming(false);
                        setError('');
                    }}
                />
            )}
        </>
    );
}

interface NameProps {
    initial: string;
    busy: boolean;
    error: string;
    full: boolean;
    existing: string[];
    onSave: (name: string) => void;
    onCancel: () => void;
}

function NameDialog({initial, busy, error, full, existing, onSave, onCancel}: NameProps) {
    const t = useT();
    const [name, setName] = useState(initial);
    const input = useRef<HTMLInputElement>(null);
    const trimmed = name.trim();
    const replaces = existing.includes(trimmed);
    const tooMany = full && !replaces;
    const valid = trimmed.length > 0 && trimmed.length <= MAX_NAME && !tooMany;
    const submit = () => {
        if (valid && !busy) {
            onSave(trimmed);
        }
    };
    return (
        <Dialog
            testId='ta-view-dialog'
            title={t('token_audit.views.save_title')}
            onCancel={onCancel}
            initialFocus={input}
        >
            <div>
                <label className='ta-field'>
                    {t('token_audit.views.name')}
                    <input
                        ref={input}
                        className='ta-input'
                        value={name}
                        maxLength={MAX_NAME}
                        onChange={(e) => setName(e.target.value)}
                        onKeyDown={onEnter(submit)}
                    />
                </label>
                {replaces && <p className='ta-muted'>{t('token_audit.views.replaces', {name: trimmed})}</p>}
                {tooMany && <p role='alert'>{t('token_audit.views.too_many', {max: MAX_VIEWS})}</p>}
                {error && <p role='alert'>{error}</p>}
                <div className='ta-dialog-buttons'>
                    <button
                        type='button'
                        className='ta-btn'
                        onClick={onCancel}
                    >
                        {t('token_audit.cancel')}
                    </button>
                    <button
                        type='button'
                        className='ta-btn ta-btn-primary'
                        disabled={!valid || busy}
                        onClick={submit}
                    >
                        {t('token_audit.views.save')}
                    </button>
                </div>
            </div>
        </Dialog>
    );
}
