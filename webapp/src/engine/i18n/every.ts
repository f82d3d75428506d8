// Every catalogue built in, for a host that must answer any reader at once in their language: the
// server (engine.js, see bundle.ts) and the tests of the catalogues themselves.
import {addCatalogue} from './catalogue';
import de from './de.json';
import es from './es.json';

export function addEveryCatalogue(): void {
    addCatalogue('de', de);
    addCatalogue('es', es);
}
