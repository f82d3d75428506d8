import React from 'react';

import type {FindingName} from '../../engine';
import {findingLabel, useT} from '../shared/intl';

interface FindingCheckProps {
    finding: FindingName;
    testId: string;
    checked: boolean;
    onChange: (checked: boolean) => void;

    // Shown under the box: what the finding means, or why the choice has no effect.
    note?: React.ReactNode;
    noteId?: string;
}

// One finding to switch on or off, as the Policy tab offers them for judging and for alerting.
export function FindingCheck({finding, testId, checked, onChange, note, noteId}: FindingCheckProps) {
    const t = useT();
    return (
        <div className='ta-check'>
            <label className='ta-row'>
                <input
                    type='checkbox'
                    data-testid={testId}
                    checked={checked}
                    aria-describedby={note && noteId ? noteId : undefined}
                    onChange={(e) => onChange(e.target.checked)}
                />
                {findingLabel(t, finding)}
            </label>
            {note && (
                <div
                    id={noteId}
                    className='ta-muted'
                >
                    {note}
                </div>
            )}
        </div>
    );
}
