import React, {useRef, useState} from 'react';

import {messageOf, saveViews} from '../../client';
import type {SavedView, ViewsDoc} from '../../engine';

import {Button, InlineAlert, LabelledSelect, TextField} from '../shared/controls';
import {Dialog, DialogFooter} from '../shared/Dialog';
import {useT} from '../shared/intl';

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
            setError(t('token_audit.views.error', {message: messageOf(err)}));
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
            <LabelledSelect
                label={t('token_audit.views.label')}
                testId='ta-views'
                value={chosen}
                options={[{value: '', label: t('token_audit.views.none')}, ...views.map((v) => ({value: v.name, label: v.name}))]}
                onChange={(name) => {
                    setChosen(name);
                    const view = views.find((v) => v.name === name);
                    if (view) {
                        onApply(view);
                    }
                }}
            />
            <Button
                testId='ta-view-save'
                disabled={busy}
                label={t('token_audit.views.save')}
                onClick={() => setNaming(true)}
            />
            <Button
                testId='ta-view-delete'
                disabled={busy || !chosen}
                ariaLabel={chosen ? t('token_audit.views.delete_named', {name: chosen}) : undefined}
                label={t('token_audit.views.delete')}
                onClick={remove}
            />
            {!naming && <InlineAlert text={error}/>}
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
                <TextField
                    inputRef={input}
                    label={t('token_audit.views.name')}
                    value={name}
                    maxLength={MAX_NAME}
                    onChange={setName}
                    onEnter={submit}
                />
                {replaces && <p className='ta-muted'>{t('token_audit.views.replaces', {name: trimmed})}</p>}
                {tooMany && <p role='alert'>{t('token_audit.views.too_many', {max: MAX_VIEWS})}</p>}
                {error && <p role='alert'>{error}</p>}
                <DialogFooter
                    cancel={{onClick: onCancel}}
                    confirm={{disabled: !valid || busy, label: t('token_audit.views.save'), onClick: submit}}
                />
            </div>
        </Dialog>
    );
}
