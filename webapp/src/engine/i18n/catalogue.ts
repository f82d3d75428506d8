// Every string a user sees, in every language the plugin speaks: the console, the /tokens answers and
// the bot's posts share one catalogue per language, all ids prefixed `token_audit.`.
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
    return Object.prototype.hasOwnProperty.call(CATALOGUES, language) ? language : 'en';
}

export function catalogueFor(locale: string | undefined): Catalogue {
    return CATALOGUES[supportedLocale(locale)];
}

// For registry.registerTranslations: the host merges these over its own catalogue for `locale`.
// English underneath, so even a key a translation lost shows a sentence, never a bare id.
export function translationsFor(locale: string): Record<string, string> {
    return {...en, ...catalogueFor(locale)};
}
