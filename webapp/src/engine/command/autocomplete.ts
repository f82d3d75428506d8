// /tokens as Mattermost's autocomplete shows it, built from the grammar so that the server registers
// exactly the subcommands and arguments the parser accepts.
import type {CatalogueId} from '../i18n/catalogue';
import {translator} from '../i18n/format';

import {ARGUMENTS, PAGE_SIZE, SUBCOMMANDS, TRIGGER, USAGE} from './grammar';

export interface AutocompleteArgument {
    kind: 'static_list' | 'named_static_list' | 'named_text' | 'text';
    name: string;
    help: string;
    hint: string;
    pattern: string;
    items: Array<{item: string; help: string}>;
}

export interface AutocompleteSubcommand {
    name: string;
    hint: string;
    help: string;
    arguments: AutocompleteArgument[];
}

export interface Autocomplete {
    trigger: string;
    hint: string;
    description: string;
    subcommands: AutocompleteSubcommand[];
}

export function autocomplete(locale?: string): Autocomplete {
    const {t} = translator(locale);
    return {
        trigger: TRIGGER,
        hint: '[subcommand]',
        description: t('token_audit.command.autocomplete.description'),
        subcommands: SUBCOMMANDS.map((name) => ({
            name,
            hint: USAGE[name].slice(`/${TRIGGER} ${name}`.length).trim(),
            help: t(`token_audit.command.help.${name}` as CatalogueId, {size: PAGE_SIZE}),
            arguments: ARGUMENTS[name].map((arg) => ({
                kind: arg.kind,
                name: 'name' in arg ? arg.name : '',
                help: t(arg.help),
                hint: 'hint' in arg ? arg.hint : '',
                pattern: 'pattern' in arg ? arg.pattern : '',
                items: arg.kind === 'static_list' ? arg.items.map((i) => ({item: i.item, help: t(i.help)})) : arg.kind === 'named_static_list' ? arg.items.map((item) => ({item, help: ''})) : [],
            })),
        })),
    };
}
