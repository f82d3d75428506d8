import React, {useRef} from 'react';

export interface TabDef<K extends string> {
    key: K;
    label: string;
}

interface Props<K extends string> {
    tabs: Array<TabDef<K>>;
    current: K;
    label: string;
    onChange: (key: K) => void;
}

// WAI-ARIA tabs: one tab stop, arrows/Home/End move between tabs and select them.
export function Tabs<K extends string>({tabs, current, label, onChange}: Props<K>) {
    const refs = useRef<Array<HTMLButtonElement | null>>([]);
    const onKeyDown = (e: React.KeyboardEvent, index: number) => {
        let next = -1;
        if (e.key === 'ArrowRight') {
            next = (index + 1) % tabs.length;
        } else if (e.key === 'ArrowLeft') {
            next = (index - 1 + tabs.length) % tabs.length;
        } else if (e.key === 'Home') {
            next = 0;
        } else if (e.key === 'End') {
            next = tabs.length - 1;
        }
        if (next >= 0) {
            e.preventDefault();
            onChange(tabs[next].key);
            refs.current[next]?.focus();
        }
    };
    return (
        <div
            className='ta-tabs'
            role='tablist'
            aria-label={label}
        >
            {tabs.map((tab, i) => (
                <button
                    key={tab.key}
                    ref={(el) => {
                        refs.current[i] = el;
                    }}
                    type='button'
                    role='tab'
                    id={`ta-tab-${tab.key}`}
                    className='ta-tab'
                    data-testid={`ta-tab-${tab.key}`}
                    aria-selected={tab.key === current}
                    aria-controls={`ta-panel-${tab.key}`}
                    tabIndex={tab.key === current ? 0 : -1}
                    onClick={() => onChange(tab.key)}
                    onKeyDown={(e) => onKeyDown(e, i)}
                >
                    {tab.label}
                </button>
            ))}
        </div>
    );
}

interface PanelProps {
    id: string;
    current: string;
    children: React.ReactNode;

    // Stay mounted, hidden, while another tab is shown, so what the admin was doing there is kept.
    // Other panels mount when their tab is chosen and load afresh each time.
    keepMounted?: boolean;
}

export function TabPanel({id, current, children, keepMounted}: PanelProps) {
    if (id !== current && !keepMounted) {
        return null;
    }
    return (
        <div
            role='tabpanel'
            id={`ta-panel-${id}`}
            aria-labelledby={`ta-tab-${id}`}
            hidden={id !== current}
        >
            {children}
        </div>
    );
}
