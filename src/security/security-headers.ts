import helmet from 'helmet';
import { AppConfig } from '../config/env.validation';

/**
 * helmet with a strict Content Security Policy: scripts and styles only from
 * this origin (no inline script at all, so no nonce is needed), no framing,
 * forms post only here. HSTS and upgrade-insecure-requests only in
 * production, where the app is served over HTTPS.
 */
export function securityHeaders(config: AppConfig) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    // Same-origin requests keep their Referer, which the CSRF origin check reads.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}
