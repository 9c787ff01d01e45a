import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import hbs from 'hbs';
import { AppModule } from './app.module';
import { AuthCookies } from './auth/auth-cookies';
import { AppConfig } from './config/env.validation';
import { hideParserDetails, limitJsonDepth } from './common/http/json-depth';
import { VENDOR_FILES } from './common/views/vendor-assets';
import { registerViewHelpers } from './common/views/view-helpers';
import { viewLocals } from './common/views/view-locals';
import { mountApiDescription } from './openapi/openapi.setup';
import { csrfProtection } from './security/csrf.middleware';
import { refuseDuplicateCookies } from './security/duplicate-cookies';
import { securityHeaders } from './security/security-headers';

/** Resolves from src/ (ts-node, tests) and dist/ (production) alike. */
const ROOT = resolve(__dirname, '..');
/** Forms are tiny; a large body is an attack or a mistake, refused before any work. */
const BODY_LIMIT = '16kb';
const MAX_JSON_DEPTH = 8;

/**
 * The one way the app is built: main.ts and every test call this, so tests
 * exercise the same views, parsers, cookies and CSRF as production.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // Nest's own body parser would run after app.use() middleware; csurf
  // needs the parsed body, so parsers are registered by hand, first.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    logger: config.nodeEnv === 'test' ? ['error', 'warn'] : undefined,
  });
  configureApp(app, config);
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);

  app.setBaseViewsDir(join(ROOT, 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  app.set('view cache', config.isProduction);
  registerPartials(join(ROOT, 'views', 'partials'));
  registerViewHelpers();
  // Development only (main.ts starts the catcher when SMTP_URL is unset): the footer links to sent mail.
  app.setLocal('mailCatcherUrl', config.mailCatcherUrl);
  // Headers first, so scripts and styles get nosniff, CSP and HSTS too.
  app.use(securityHeaders(config));
  app.use(viewLocals);
  // One mount per folder: a request for a page never costs a file-system
  // look-up in public/ (it did, on every request, in the benchmark profile).
  const maxAge = config.isProduction ? '1h' : 0;
  for (const entry of readdirSync(join(ROOT, 'public'), { withFileTypes: true })) {
    if (entry.isDirectory()) {
      app.useStaticAssets(join(ROOT, 'public', entry.name), { prefix: `/${entry.name}/`, index: false, maxAge });
    } else {
      // A file at the top of public/ (favicon.ico, which browsers ask for
      // unprompted) is served at its own path only.
      serveFile(app, `/${entry.name}`, join(ROOT, 'public', entry.name), maxAge);
    }
  }
  for (const [name, file] of Object.entries(VENDOR_FILES)) serveFile(app, `/vendor/${name}`, file, maxAge);
  // The API description, and the Swagger UI files of its page (docs/architecture.md).
  mountApiDescription(app, maxAge);
  // After static files, which keep their own caching: nothing dynamic here,
  // pages with personal data above all, may be stored by a cache.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.useBodyParser('urlencoded', { extended: false, limit: BODY_LIMIT, parameterLimit: 50 });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(hideParserDetails);
  app.use(limitJsonDepth(MAX_JSON_DEPTH));
  app.use(cookieParser(config.cookieSecret));
  app.use(refuseDuplicateCookies(app.get(AuthCookies)));
  app.use(csrfProtection(config.isProduction));

  app.enableShutdownHooks();
}

function serveFile(app: NestExpressApplication, path: string, file: string, maxAge: string | number): void {
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
    res.sendFile(file, { maxAge }, (error) => error && next(error));
  });
}

/** hbs.registerPartials reads the folder asynchronously; the first render must not race it. */
function registerPartials(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(dir, file), 'utf8'));
  }
}
