import React, {useCallback, useState} from 'react';

import type {Policy} from '../inventory';

import {useT, WithIntl} from './intl';
import {PolicyTab} from './PolicyTab';
import {ErrorState, Loading, LoadWarnings, Refused, TokensDisabled} from './states';
import {StyleSheet} from './styles';
import {TabPanel, Tabs} from './Tabs';
import {TokensTab} from './TokensTab';
import {TrailTab} from './TrailTab';
import {useInventory} from './useInventory';

type TabKey = 'tokens' | 'policy' | 'trail';

// The console's settings <form> encloses this page; Enter in any of our fields must not submit it.
function preventImplicitSubmit(e: React.KeyboardEvent) {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
        e.preventDefault();
    }
}

// Registered as the plugin's custom System Console setting; the host passes setting props we do not need.
export function InventoryPage() {
    return (
        <WithIntl>
            <Page/>
        </WithIntl>
    );
}

function Page() {
    const t = useT();
    const {state, reload, update, refuse} = useInventory();
    const [tab, setTab] = useState<TabKey>('tokens');
    const inventory = state.status === 'ready' ? state.inventory : undefined;

    const onPolicySaved = useCallback((policy: Policy) => {
        update((inv) => ({...inv, policy, policyIsDefault: false}));
    }, [update]);

    let tokens: React.ReactNode;
    if (state.status === 'loading') {
        tokens = <Loading progress={state.progress}/>;
    } else if (state.status === 'error') {
        tokens = (
            <ErrorState
                message={state.message}
                onRetry={reload}
            />
        );
    } else if (inventory) {
        tokens = (
            <>
                {!inventory.features.tokensEnabled && <TokensDisabled/>}
                <LoadWarnings failures={inventory.failures}/>
                <TokensTab
                    inventory={inventory}
                    update={update}
                    onRefused={refuse}
                    onReload={reload}
                />
            </>
        );
    }

    return (
        <div
            className='ta-page'
            data-testid='ta-page'
            onKeyDown={preventImplicitSubmit}
        >
            <StyleSheet/>
            {state.status === 'refused' ? <Refused/> : (
                <>
                    <Tabs<TabKey>
                        label={t('token_audit.tabs.label')}
                        current={tab}
                        onChange={setTab}
                        tabs={[
                            {key: 'tokens', label: t('token_audit.tabs.tokens')},
                            {key: 'policy', label: t('token_audit.tabs.policy')},
                            {key: 'trail', label: t('token_audit.tabs.trail')},
                        ]}
                    />
                    <TabPanel
                        id='tokens'
                        current={tab}
                    >
                        {tokens}
                    </TabPanel>
                    {tab === 'policy' && (
                        <TabPanel
                            id='policy'
                            current={tab}
                        >
                            <PolicyTab
                                inventory={inventory}
                                onSaved={onPolicySaved}
                                onRefused={refuse}
                            />
                        </TabPanel>
                    )}
                    {tab === 'trail' && (
                        <TabPanel
                            id='trail'
                            current={tab}
                        >
                            <TrailTab
                                owners={inventory?.owners}
                                onRefused={refuse}
                            />
                        </TabPanel>
                    )}
                </>
            )}
        </div>
    );
}
