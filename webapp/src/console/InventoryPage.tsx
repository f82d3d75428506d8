import React, {useCallback, useEffect, useState} from 'react';

import type {Policy} from '../engine';

import {CampaignsTab} from './campaigns/CampaignsTab';
import {PageBoundary} from './PageBoundary';
import {PolicyTab} from './policy/PolicyTab';
import {useT, WithIntl} from './shared/intl';
import {ErrorState, Loading, LoadWarnings, PartialInventory, PluginDisabled, Refused, TokensDisabled} from './shared/notices';
import {PageFrame} from './shared/PageFrame';
import {StyleSheet} from './shared/styles';
import {TabPanel, Tabs} from './Tabs';
import {leavePage} from './tokens/actionRuns';
import {TokensTab} from './tokens/TokensTab';
import {TrailTab} from './trail/TrailTab';
import {useInventory} from './useInventory';

type TabKey = 'tokens' | 'policy' | 'trail' | 'campaigns';

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
// cells and buttons would only garble them.
export function InventoryPage(props: CustomSettingProps) {
    return (
        <WithIntl>
            <div
                className='ignore-marking ta-page'
                data-testid='ta-page'
                onKeyDown={preventImplicitSubmit}
            >
                <StyleSheet/>
                <PageFrame>
                    <PageBoundary>
                        {props.disabled ? <PluginDisabled/> : <Page/>}
                    </PageBoundary>
                </PageFrame>
            </div>
        </WithIntl>
    );
}

function Page() {
    const t = useT();
    const {state, reload, update, refuse} = useInventory();
    const [tab, setTab] = useState<TabKey>('tokens');
    const [campaignsStarted, setCampaignsStarted] = useState(0);
    const onCampaignStarted = useCallback(() => {
        setCampaignsStarted((n) => n + 1);
        setTab('campaigns');
    }, []);
    const inventory = state.status === 'ready' ? state.inventory : undefined;

    // Leaving the page lets a running action finish in the background (actionRuns).
    useEffect(() => leavePage, []);

    const onPolicySaved = useCallback((policy: Policy) => {
        update((inv) => ({...inv, policy, policyIsDefault: false}));
    }, [update]);

    // One shape for loading, partial and ready, so the table (and what was typed into its search)
    // stays mounted when the rest of the inventory arrives.
    const partial = state.status === 'loading' ? state.partial : undefined;
    const shown = inventory ?? partial;
    const tokens = state.status === 'error' ? (
        <ErrorState
            message={state.message}
            onRetry={reload}
        />
    ) : (
        <>
            {state.status === 'loading' && <Loading progress={state.progress}/>}
            {partial && <PartialInventory count={partial.tokens.length}/>}
            {inventory && !inventory.features.tokensEnabled && <TokensDisabled/>}
            {inventory && <LoadWarnings failures={inventory.failures}/>}
            {shown && (
                <TokensTab
                    inventory={shown}
                    partial={!inventory}
                    update={update}
                    onRefused={refuse}
                    onReload={reload}
                    onCampaignStarted={onCampaignStarted}
                />
            )}
        </>
    );

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
                            {key: 'campaigns', label: t('token_audit.campaign.console.tab')},
                        ]}
                    />
                    <TabPanel
                        id='tokens'
                        current={tab}
                        keepMounted={true}
                    >
                        {tokens}
                    </TabPanel>
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
                    <TabPanel
                        id='trail'
                        current={tab}
                    >
                        <TrailTab
                            owners={inventory?.owners}
                            onRefused={refuse}
                        />
                    </TabPanel>
                    <TabPanel
                        id='campaigns'
                        current={tab}
                    >
                        <CampaignsTab
                            owners={inventory?.owners}
                            refreshKey={campaignsStarted}
                        />
                    </TabPanel>
                </>
            )}
        </>
    );
}
