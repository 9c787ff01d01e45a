import type { NextFunction, Request, Response } from 'express';
import { dirname, join } from 'node:path';

/** Where the Swagger UI files are served, under the page that uses them. */
export const SWAGGER_UI_PATH = '/api/docs/assets';

/** The files the docs page loads; the rest of the package (its demo page, source maps) stays unserved. */
const FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/**
 * Serves Swagger UI from this origin, so the docs page keeps the app's CSP
 * (`script-src 'self'`) and needs no CDN. Mounted at SWAGGER_UI_PATH.
 */
export function swaggerUiAssets(maxAge: string | number) {
  const folder = dirname(require.resolve('swagger-ui-dist/package.json'));
  return (req: Request, res: Response, next: NextFunction): void => {
    const name = req.path.slice(1);
    if (!FILES.has(name) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.sendFile(join(folder, name), { maxAge }, (error?: Error) => {
      if (error && !res.headersSent) next(error);
    });
  };
}
