// Everything in the webapp that talks to a server goes through here.
//
// Setup:   initClient({getState: store.getState})  — once, in initialize(); requests go to the page's
//          own origin + window.basename (never SiteURL); the browser's session cookie authenticates.
// Errors:  every failure is an ApiError {status, code, detail, retryable, body}; status 0 = no answer.
//          messageOf(err): the sentence to show; isForbidden(err): the server refused this user.
// Reads are retried (429/5xx/network, backoff + jitter, Retry-After honoured); writes never are.
//
// Load:    loadInventory({signal?, onProgress?}): Promise<Inventory>
//            -> tokens, owners, usage, seen/removed, features, policy, views, requests, failures[]
//          inventoryCache.get({signal?}): {inventory, reused} — the kept inventory while under a minute
//            old and no revoke/disable/enable, policy save or review happened since; else a shared load.
//          inventoryCache.track() -> keep(inventory): a load made elsewhere (the console's), then kept
//          inventoryRows(inventory): Row[] — judged as of the load
// Lookups: searchTokens(term, {signal?}): Promise<Token[]>
//          getTokensForUser(userId, {signal?}): Promise<Token[]>
//          getToken(tokenId, {signal?}): Promise<Token | undefined>
//          getUserByUsername(username | '@username', {signal?}): Promise<Owner | undefined>
//          getOwners(userIds, {signal?}): Promise<Record<string, Owner>>
//          getUsage(ownerIds, {signal?}): Promise<Record<string, Usage>>
//          getServerFeatures(tokens, {signal?}): Promise<ServerFeatures>
//          searchChannels(term, {signal?}): Promise<ChannelChoice[]>; getChannel(id, {signal?})
// Actions: runTokenAction(action, tokens[{id, user_id}], {source, signal?, onProgress?, concurrency?}): Promise<ActionRun>
//            (trail intent first — throws if it cannot be written —, then the actions, then outcomes).
//            An action whose answer was lost or a 5xx is checked by reading the token back; outcome
//            records are sent again only after reading the trail shows they did not land (settleMs, 60 s).
//          revokeToken(id) / disableToken(id) / enableToken(id): Promise<void>   (bare, unrecorded)
// Plugin:  getPolicy() / savePolicy(input) -> {ok:true, policy} | {ok:false, conflict:true, current}
//          getViews() / saveViews(views) / markReviewed(): Promise<ViewsDoc>
//          getTrail(query): Promise<TrailPage>, appendTrail(records)
//          reportSeen(ids, complete) / lookupSeen(ids)
//          postEphemeral({channelId, rootId?}, message): Promise<postId>, replaceEphemeral(postId, message)
export {Api, localeFromState, pageBaseURL, siteURLFromState} from './api';
export type {ApiOptions, HttpMethod, RequestOptions} from './api';
export {initClient, setApi, getApi} from './current';
export {ApiError, isAbortError, isForbidden, messageOf} from './errors';
export {DEFAULT_CONCURRENCY, DEFAULT_RETRY, runPool, withRetry} from './runner';
export type {PoolOptions, RetryPolicy} from './runner';
export type {ListingOptions, TokenListing} from './core';
export {
    detectFeatures,
    disableToken,
    enableToken,
    getToken,
    getTokensForUser,
    getUserByUsername,
    listAllTokens,
    OWNERS_PER_BATCH,
    revokeToken,
    searchTokens,
    TOKENS_PER_PAGE,
} from './core';
export {CHANNELS_PER_SEARCH, getChannel, searchChannels} from './channels';
export {getOwners, getServerFeatures, getUsage, inventoryCache, inventoryRows, loadInventory} from './load';
export {INVENTORY_MAX_AGE_MS, InventoryCache, inventoryChanged} from './inventoryCache';
export type {InventoryCacheOptions, KeptInventory} from './inventoryCache';
export {newActionId, runTokenAction} from './actions';
export {cancelCampaign, disableDue, listCampaigns, startCampaign} from './campaigns';
export {
    appendTrail,
    getPolicy,
    getTrail,
    getViews,
    lookupSeen,
    markReviewed,
    postEphemeral,
    replaceEphemeral,
    reportSeen,
    savePolicy,
    saveViews,
    TRAIL_BATCH,
} from './plugin';
export type {CallOptions, PostPlace, SeenOptions} from './plugin';
export type * from './types';
