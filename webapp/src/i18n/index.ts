import {commandMessages} from '../command';

import en from './en.json';

// The /tokens strings live with the command; in the catalogue they get the same prefix as ours.
const command = Object.fromEntries(Object.entries(commandMessages).map(([id, text]) => [`token_audit.${id}`, text]));

export const englishMessages: Readonly<Record<string, string>> = Object.freeze({...en, ...command});

// Only English exists so far. Every locale gets it: the host merges these over its own catalogue,
// and an English sentence beats a bare message id.
export function translationsFor(_locale: string): Record<string, string> {
    return {...englishMessages};
}
