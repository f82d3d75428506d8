import React, {useEffect, useRef} from 'react';
import {createPortal} from 'react-dom';

import {Button} from './controls';
import type {ButtonProps} from './controls';
import {useT} from './intl';

const focusableSelector = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

interface Props {
    testId: string;
    title: string;
    onCancel: () => void;
    children: React.ReactNode;

    // Which element gets focus first; destructive dialogs start on Cancel so Enter does no harm.
    initialFocus?: React.RefObject<HTMLElement>;
}

// A modal dialog: focus moves into it, Tab cycles inside it, Escape cancels, and focus goes back to
// whatever had it before the dialog opened.
export function Dialog({testId, title, onCancel, children, initialFocus}: Props) {
    const ref = useRef<HTMLDivElement>(null);
    const titleId = `${testId}-title`;

    useEffect(() => {
        const previous = document.activeElement as HTMLElement | null;
        const first = initialFocus?.current ?? ref.current?.querySelector<HTMLElement>(focusableSelector);
        (first ?? ref.current)?.focus();
        return () => previous?.focus?.();

        // Focus is placed once, when the dialog opens.
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);

    const onKeyDown = (e: React.KeyboardEvent) => {
        if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
            return;
        }
        if (e.key !== 'Tab' || !ref.current) {
            return;
        }
        const items = Array.from(ref.current.querySelectorAll<HTMLElement>(focusableSelector));
        if (items.length === 0) {
            e.preventDefault();
            return;
        }
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
            e.preventDefault();
            last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
            e.preventDefault();
            first.focus();
        }
    };

    return createPortal(
        <div className='ta-backdrop'>
            <div
                ref={ref}
                className='ta-dialog'
                role='dialog'
                aria-modal='true'
                aria-labelledby={titleId}
                data-testid={testId}
                tabIndex={-1}
                onKeyDown={onKeyDown}
            >
                <h2 id={titleId}>{title}</h2>
                {children}
            </div>
        </div>,
        document.body,
    );
}

interface FooterProps {
    // The way back out, "Cancel" unless labelled otherwise.
    cancel: Omit<ButtonProps, 'label' | 'primary'> & {label?: string};
    cancelRef?: React.Ref<HTMLButtonElement>;

    // The dialog's action.
    confirm: Omit<ButtonProps, 'primary'>;
}

// The buttons along the bottom of a dialog: the way out, then the action.
export function DialogFooter({cancel, cancelRef, confirm}: FooterProps) {
    const t = useT();
    return (
        <div className='ta-dialog-buttons'>
            <Button
                {...cancel}
                ref={cancelRef}
                label={cancel.label ?? t('token_audit.cancel')}
            />
            <Button
                {...confirm}
                primary={true}
            />
        </div>
    );
}
