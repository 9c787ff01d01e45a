import { dirname, join } from 'node:path';

/**
 * Browser builds of npm packages, served from this origin (the CSP allows
 * scripts from 'self' only) at `/vendor/<file>`, straight from node_modules so
 * their version is the one in package-lock.json. No URL names a library or its
version, which would tell an attacker what to look up. Only the pages that use one
 * load it: see public/js/password.js.
 */
export const VENDOR_FILES: Record<string, string> = {
  'zxcvbn-core.js': join(dirname(require.resolve('@zxcvbn-ts/core/package.json')), 'dist', 'zxcvbn-ts.js'),
  'zxcvbn-language-common.js': join(dirname(require.resolve('@zxcvbn-ts/language-common/package.json')), 'dist', 'zxcvbn-ts.js'),
  // Its exports map hides package.json; the CommonJS entry sits one folder below the package root.
  'webauthn.js': join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'),
};
