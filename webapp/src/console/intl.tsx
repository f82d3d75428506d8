import React, {useCallback, useContext} from 'react';
import {IntlContext, IntlProvider, useIntl} from 'react-intl';

import en from '../engine/i18n/en.json';

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
