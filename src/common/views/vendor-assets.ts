import { dirname, join } from 'node:path';

/**
 * Browser builds of npm packages, served from this origin (the CSP allows
 * scripts from 'self' only) at `/vendor/<file>`, straight from node_modules so
 * their version is the one in package-lock.json. Only the pages that use one
 * load it: see public/js/password.js.
 */
export const VENDOR_FILES: Record<string, string> = {
  'zxcvbn-core.js': join(dirname(require.resolve('@zxcvbn-ts/core/package.json')), 'dist', 'zxcvbn-ts.js'),
  'zxcvbn-language-common.js': join(dirname(require.resolve('@zxcvbn-ts/language-common/package.json')), 'dist', 'zxcvbn-ts.js'),
};
