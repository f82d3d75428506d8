// Every string a user sees, in every language the plugin speaks: the console, the /tokens answers and
// the bot's posts share one catalogue per language, all ids prefixed `token_audit.`.
//
// English is built in: it is every message's default and names the ids. The other catalogues are
// added by the host, so that the browser downloads only the one its reader needs (webapp/src/i18n.ts),
// while the server, which answers every reader at once, builds them all in (every.ts, bundle.ts).
import en from './en.json';

export type CatalogueId = keyof typeof en;
export type Catalogue = Readonly<Record<CatalogueId, string>>;

export const englishMessages: Catalogue = en;

// The languages there is a catalogue for, added yet or not; each is `<locale>.json` beside this file.
export const LOCALES: readonly string[] = ['en', 'de', 'es'];

const added: Record<string, Catalogue> = {en};

// Mattermost's locale codes are 'de', 'es', 'pt-BR', 'zh-CN'...: a regional variant gets its
// language's catalogue, an unknown language English.
export function supportedLocale(locale: string | undefined): string {
    const language = (locale ?? '').toLowerCase().split(/[-_]/)[0];
    return LOCALES.includes(language) ? language : 'en';
}

export function addCatalogue(locale: string, catalogue: Catalogue): void {
    if (locale === 'en' || !LOCALES.includes(locale)) {
        throw new Error(`there is no ${locale} catalogue to add`);
    }
    added[locale] = catalogue;
}

// The language the engine writes for a reader of `locale` now: theirs once its catalogue is added,
// English until then, so that words and number formats never mix two languages.
export function writtenLocale(locale: string | undefined): string {
    const language = supportedLocale(locale);
    return Object.prototype.hasOwnProperty.call(added, language) ? language : 'en';
}

export function catalogueFor(locale: string | undefined): Catalogue {
    return added[writtenLocale(locale)];
}

// For registry.registerTranslations: the host merges these over its own catalogue for `locale`.
// English underneath, so even a key a translation lost shows a sentence, never a bare id.
export function translationsFor(locale: string): Record<string, string> {
    return {...en, ...catalogueFor(locale)};
}
