// The webapp has one server and one signed-in admin, so the functions of this package share one
// Api; initialize() wires it to the host store, tests swap in their own.
import {Api, ApiOptions} from './api';

let current: Api | undefined;

// Call once from the plugin's initialize(registry, store) with store.getState.
export function initClient(opts: ApiOptions = {}): Api {
    current = new Api(opts);
    return current;
}

export function setApi(api: Api | undefined): void {
    current = api;
}

export function getApi(): Api {
    if (!current) {
        current = new Api();
    }
    return current;
}
