import hbs from 'hbs';
import { lookUp } from './copy';

/**
 * Template helpers. Only `t`, which reads the copy catalogue: anything that
 * computes belongs in a view model, so templates stay free of logic.
 */
export function registerViewHelpers(): void {
  hbs.registerHelper('t', (key: string) => lookUp(key));
}
