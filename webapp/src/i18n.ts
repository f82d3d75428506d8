// The browser's catalogues: English is in main.js; every other language is a chunk of its own beside
// main.js (webpack, publicPath 'auto': Mattermost serves the plugin's whole webapp/dist folder), fetched
// only when a reader of that language needs it, and then added to the engine.
import {addCatalogue, supportedLocale, translationsFor, writtenLocale} from './engine';
import type {Catalogue} from './engine';

type Translations = (locale: string) => Record<string, string>;

const loading = new Map<string, Promise<boolean>>();

// Settles once the engine writes `locale`'s language, true then; false if its chunk could not be
// fetched, and the reader gets English (a later call tries again).
export function loadCatalogue(locale: string | undefined): Promise<boolean> {
    const language = supportedLocale(locale);
    if (writtenLocale(language) === language) {
        return Promise.resolve(true);
    }
    let load = loading.get(language);
    if (!load) {
        load = import(/* webpackChunkName: "i18n-[request]", webpackExclude: /en\.json$/ */ `./engine/i18n/${language}.json`).then((chunk: {default: Catalogue}) => {
            addCatalogue(language, chunk.default);
            return true;
        }, (err: unknown) => {
            loading.delete(language);
            console.error(`[${PLUGIN_ID}] the ${language} catalogue could not be loaded; answering in English`, err);
            return false;
        });
        loading.set(language, load);
    }
    return load;
}

// registry.registerTranslations keeps the function it is given and calls it synchronously, for the
// reader's locale at once and again whenever it changes; registering again makes it call and merge
// anew. So the function answers with what is loaded (English for a language still on its way), and
// is registered once more when that language arrives.
export function registerCatalogues(registerTranslations: (translations: Translations) => void): void {
    const translations: Translations = (locale) => {
        if (writtenLocale(locale) !== supportedLocale(locale)) {
            loadCatalogue(locale).then((loaded) => loaded && registerTranslations(translations));
        }
        return translationsFor(locale);
    };
    registerTranslations(translations);
}
