// Every word the page shows comes from the catalogues (webapp/src/engine/i18n) through here.
import React, {useCallback, useContext, useMemo} from 'react';
import {IntlContext, IntlProvider, useIntl} from 'react-intl';

import en from '../../engine/i18n/en.json';
import type {DigestSchedule, FindingName, OffboardingRule, OwnerKind} from '../../engine';

export type MessageId = keyof typeof en;
export type Values = Record<string, string | number>;
export type Translate = (id: MessageId, values?: Values) => string;

// The English text doubles as the default message, so a host that has not loaded the catalogue
// (or a locale without a translation) still shows a sentence instead of an id.
export function useT(): Translate {
    const intl = useIntl();
    return useCallback((id: MessageId, values?: Values) => intl.formatMessage({id, defaultMessage: en[id]}, values), [intl]);
}

// The Mattermost host renders the System Console inside its IntlProvider; anything else (a bare test
// host) gets an English one so useIntl does not throw.
export function WithIntl({children}: {children: React.ReactNode}) {
    const existing = useContext(IntlContext);
    if (existing) {
        return <>{children}</>;
    }
    return (
        <IntlProvider
            locale='en'
            defaultLocale='en'
            messages={en}
        >
            {children}
        </IntlProvider>
    );
}

// Labels of the families of ids the page builds from a value (the catalogue test checks each family
// is complete).
export function findingLabel(t: Translate, f: FindingName): string {
    return t(`token_audit.finding.${f}` as MessageId);
}

export function findingDescription(t: Translate, f: FindingName): string {
    return t(`token_audit.finding.${f}.description` as MessageId);
}

export function ownerKindLabel(t: Translate, k: OwnerKind): string {
    return t(`token_audit.owner_kind.${k}` as MessageId);
}

export function scheduleLabel(t: Translate, s: DigestSchedule): string {
    return t(`token_audit.policy.watch.schedule.${s}` as MessageId);
}

export function offboardingLabel(t: Translate, r: OffboardingRule): string {
    return t(`token_audit.policy.watch.offboarding.${r}` as MessageId);
}

// 0 is Sunday, as the digest counts weekdays.
export function weekdayLabel(t: Translate, day: number): string {
    return t(`token_audit.weekday.${day}` as MessageId);
}

export function hourLabel(t: Translate, hour: number): string {
    return t('token_audit.policy.watch.hour', {hour: String(hour).padStart(2, '0')});
}

// Dates in the admin's locale and time zone.
export function useDates() {
    const intl = useIntl();
    return useMemo(() => ({
        date: (ms: number) => intl.formatDate(ms, {year: 'numeric', month: 'short', day: 'numeric'}),
        dateTime: (ms: number) => intl.formatDate(ms, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'}),
    }), [intl]);
}

export type Dates = ReturnType<typeof useDates>;
