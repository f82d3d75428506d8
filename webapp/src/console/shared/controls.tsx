// The controls every tab builds from: one look (styles.tsx) and one behaviour for each.
import React, {forwardRef} from 'react';

// The System Console renders plugin settings inside its own <form>, so this page uses no forms of
// its own (they would nest) and Enter in a field runs the field's action instead of submitting the
// console's form.
export function onEnter(action: () => void) {
    return (e: {key: string; preventDefault(): void}) => {
        if (e.key === 'Enter') {
            e.preventDefault();
            action();
        }
    };
}

export interface ButtonProps {
    label: string;
    onClick: () => void;
    testId?: string;
    disabled?: boolean;

    // The name a screen reader reads when the label alone is ambiguous ("Revoke" in every row).
    ariaLabel?: string;

    // `primary` is the dialog's or form's main action; `danger` one that takes something away.
    primary?: boolean;
    danger?: boolean;
    small?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button({label, onClick, testId, disabled, ariaLabel, primary, danger, small}, ref) {
    const className = ['ta-btn', primary && 'ta-btn-primary', danger && 'ta-btn-danger', small && 'ta-btn-small'].filter(Boolean).join(' ');
    return (
        <button
            ref={ref}
            type='button'
            className={className}
            data-testid={testId}
            disabled={disabled}
            aria-label={ariaLabel}
            onClick={onClick}
        >
            {label}
        </button>
    );
});

export interface Option<V extends string | number> {
    value: V;
    label: string;
}

interface SelectProps<V extends string | number> {
    label: string;
    testId: string;
    value: V;
    options: ReadonlyArray<Option<V>>;

    // The chosen option's value as the <select> reports it, a string.
    onChange: (value: string) => void;

    // `inline` puts the label beside the select instead of above it.
    inline?: boolean;
}

export function LabelledSelect<V extends string | number>({label, testId, value, options, onChange, inline}: SelectProps<V>) {
    return (
        <label className={inline ? 'ta-row' : 'ta-field'}>
            {label}
            <select
                className='ta-select'
                data-testid={testId}
                value={value}
                onChange={(e) => onChange(e.target.value)}
            >
                {options.map((o) => (
                    <option
                        key={o.value}
                        value={o.value}
                    >
                        {o.label}
                    </option>
                ))}
            </select>
        </label>
    );
}

type InputAttributes = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'onKeyDown' | 'className' | 'value'>;

interface TextFieldProps extends InputAttributes {
    label: string;
    value: string | number;
    onChange: (value: string) => void;
    testId?: string;

    // What Enter in the field does (see onEnter).
    onEnter?: () => void;
    inputRef?: React.Ref<HTMLInputElement>;

    // Classes besides ta-input.
    extraClass?: string;

    // What follows the input inside the label, such as its error.
    children?: React.ReactNode;
}

export function TextField({label, value, onChange, testId, onEnter: enter, inputRef, extraClass, children, ...input}: TextFieldProps) {
    return (
        <label className='ta-field'>
            {label}
            <input
                {...input}
                ref={inputRef}
                className={extraClass ? `ta-input ${extraClass}` : 'ta-input'}
                data-testid={testId}
                value={value}
                onChange={(e) => onChange(e.target.value)}
                onKeyDown={enter && onEnter(enter)}
            />
            {children}
        </label>
    );
}

// A short error beside the controls that caused it; nothing while there is none.
export function InlineAlert({text}: {text: string}) {
    return text ? <span role='alert'>{text}</span> : null;
}
