// Every string a user sees, in every language the plugin speaks: the console's strings and the
// /tokens answers share one catalogue per language, all ids prefixed `token_audit.`.
import de from './de.json';
import en from './en.json';
import es from './es.json';

export type CatalogueId = keyof typeof en;
export type Catalogue = Readonly<Record<CatalogueId, string>>;

export const englishMessages: Catalogue = en;

const CATALOGUES: Readonly<Record<string, Catalogue>> = {en, de, es};

export const LOCALES: readonly string[] = Object.keys(CATALOGUES);

// Mattermost's locale codes are 'de', 'es', 'pt-BR', 'zh-CN'...: a regional variant gets its
// language's catalogue, an unknown language English.
export function supportedLocale(locale: string | undefined): string {
    const language = (locale ?? '').toLowerCase().split(/[-_]/)[0];
    return language in CATALOGUES ? language : 'en';
}

export function catalogueFor(locale: string | undefined): Catalogue {
    return CATALOGUES[supportedLocale(locale)];
}

// For registry.registerTranslations: the host merges these over its own catalogue for `locale`.
// English underneath, so even a key a translation lost shows a sentence, never a bare id.
export function translationsFor(locale: string): Record<string, string> {
    return {...en, ...catalogueFor(locale)};
}

interface LocaleState {
    entities?: {
        users?: {currentUserId?: string; profiles?: Record<string, {locale?: string} | undefined>};
        general?: {config?: {DefaultClientLocale?: string}};
    };
}

// The admin's language as the webapp's IntlProvider picks it: their own setting, else the server's
// default client locale, else English.
export function localeFromState(state: unknown): string {
    const entities = (state as LocaleState | undefined)?.entities;
    const me = entities?.users?.currentUserId;
    return (me && entities?.users?.profiles?.[me]?.locale) || entities?.general?.config?.DefaultClientLocale || 'en';
}
