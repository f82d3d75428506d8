import React from 'react';

import {useT} from './intl';

// The page's title and frame keep the inventory apart from the settings around it and from the
// console's Save bar.
export function PageFrame({children}: {children: React.ReactNode}) {
    const t = useT();
    return (
        <section
            className='ta-frame'
            aria-labelledby='ta-title'
        >
            <h3
                id='ta-title'
                className='ta-title'
            >
                {t('token_audit.page.title')}
            </h3>
            <p className='ta-muted ta-intro'>{t('token_audit.page.intro')}</p>
            {children}
        </section>
    );
}
