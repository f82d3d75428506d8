import React, {useCallback, useEffect, useState} from 'react';

import type {Policy} from '../engine';

import {leavePage} from './actionRuns';
import {PageBoundary} from './PageBoundary';
import {useT, WithIntl} from './intl';
import {PolicyTab} from './PolicyTab';
import {ErrorState, Loading, LoadWarnings, PluginDisabled, Refused, TokensDisabled} from './states';
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

// The props the System Console gives a custom setting; only `disabled` matters here. The page saves
// nothing through the console's Save bar: every change it makes takes effect at once and goes to the
// plugin's own API.
export interface CustomSettingProps {
    // True while the Enable radio above reads false, saved or not (the console greys out every setting
    // then), and for a user who may not write plugin settings, whom the plugin refuses anyway.
    disabled?: boolean;
}

// Registered as the plugin's custom System Console setting. The console's sidebar search marks
// matching words across the page with mark.js unless inside `ignore-marking`; marks inside table
// cells and buttons would only garble them. The title and frame keep the inventory apart from the
// settings around it and from the console's Save bar.
export function InventoryPage(props: CustomSettingProps) {
    return (
        <WithIntl>
            <div
                className='ignore-marking ta-page'
                data-testid='ta-page'
                onKeyDown={preventImplicitSubmit}
            >
                <StyleSheet/>
                <Frame>
                    <PageBoundary>
                        {props.disabled ? <PluginDisabled/> : <Page/>}
                    </PageBoundary>
                </Frame>
            </div>
        </WithIntl>
    );
}

function Frame({children}: {children: React.ReactNode}) {
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

function Page() {
    const t = useT();
    const {state, reload, update, refuse} = useInventory();
    const [tab, setTab] = useState<TabKey>('tokens');
    const inventory = state.status === 'ready' ? state.inventory : undefined;

    // Leaving the page lets a running action finish in the background (actionRuns).
    useEffect(() => leavePage, []);

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
        <>
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
        </>
    );
}
