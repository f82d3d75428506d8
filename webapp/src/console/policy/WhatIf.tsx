import React, {useMemo, useState} from 'react';

import type {Inventory} from '../../client';
import {LIFETIME_WHATIF_DAYS, lifetimeDaysValid, maxLifetimeWhatIf, policyWhatIf} from '../../engine';
import type {FindingShift, Policy, PolicyWhatIfInput} from '../../engine';

import {TextField} from '../shared/controls';
import {findingLabel, useT} from '../shared/intl';

type Facts = Omit<PolicyWhatIfInput, 'saved' | 'edited'>;

// The inventory as the Tokens tab judges it, without its policy: the what-if brings its own.
export function whatIfFacts(inventory: Inventory): Facts {
    return {
        tokens: inventory.tokens, owners: inventory.owners, usage: inventory.usage, seen: inventory.seen, features: inventory.features,
        now: inventory.loadedAt, lastReviewedAt: inventory.views.last_reviewed_at, usageUnknown: inventory.usageUnknown,
    };
}

interface PolicyProps {
    facts: Facts;
    saved: Policy;
    edited: Policy;
}

// What the edited thresholds, findings and exemptions would change, computed in the page as the
// admin types.
export function PolicyWhatIfSection({facts, saved, edited}: PolicyProps) {
    const t = useT();
    const result = useMemo(() => policyWhatIf({...facts, saved, edited}), [facts, saved, edited]);
    const shiftText = (s: FindingShift) => [
        t('token_audit.policy.whatif.shift', {finding: findingLabel(t, s.finding), before: s.before, after: s.after}),
        s.gained ? t('token_audit.policy.whatif.gained', {count: s.gained, owners: s.gained_owners}) : '',
        s.lost ? t('token_audit.policy.whatif.lost', {count: s.lost, owners: s.lost_owners}) : '',
    ].filter(Boolean).join(', ');
    return (
        <section
            className='ta-section'
            data-testid='ta-whatif'
        >
            <h3>{t('token_audit.policy.whatif.title')}</h3>
            <p className='ta-muted'>{t('token_audit.policy.whatif.intro')}</p>
            {result.shifts.length === 0 ? <p>{t('token_audit.policy.whatif.none')}</p> : (
                <ul className='ta-diff'>
                    {result.shifts.map((s) => (
                        <li
                            key={s.finding}
                            data-testid={`ta-whatif-${s.finding}`}
                        >
                            {shiftText(s)}
                        </li>
                    ))}
                    <li data-testid='ta-whatif-at-risk'>{t('token_audit.policy.whatif.at_risk', result.at_risk)}</li>
                </ul>
            )}
        </section>
    );
}

interface LifetimeProps {
    facts: Facts;
}

// Core's maximum-lifetime rule tried on this inventory before anyone sets it; on a server without
// token expiry it says what an upgrade would bring.
export function LifetimeWhatIfSection({facts}: LifetimeProps) {
    const t = useT();
    const [days, setDays] = useState(facts.features.maxLifetimeDays || 90);
    const valid = lifetimeDaysValid(days);
    const result = useMemo(() => (valid ? maxLifetimeWhatIf({tokens: facts.tokens, owners: facts.owners, features: facts.features, now: facts.now, days}) : undefined), [facts, days, valid]);
    return (
        <section
            className='ta-section'
            data-testid='ta-lifetime'
        >
            <h3>{t('token_audit.policy.lifetime.title')}</h3>
            <TextField
                type='number'
                testId='ta-lifetime-days'
                label={t('token_audit.policy.lifetime.days')}
                min={LIFETIME_WHATIF_DAYS.min}
                max={LIFETIME_WHATIF_DAYS.max}
                step={1}
                value={Number.isNaN(days) ? '' : days}
                aria-invalid={!valid}
                onChange={(value) => setDays(value === '' ? NaN : Number(value))}
            >
                {!valid && <span role='alert'>{t('token_audit.policy.range', LIFETIME_WHATIF_DAYS)}</span>}
            </TextField>
            {result && (
                <p data-testid='ta-lifetime-result'>
                    {t(result.expiry_supported ? 'token_audit.policy.lifetime.result' : 'token_audit.policy.lifetime.upgrade', {days, tokens: result.tokens, owners: result.owners})}
                </p>
            )}
        </section>
    );
}
