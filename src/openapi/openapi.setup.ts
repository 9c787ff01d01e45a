import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiDescription } from './api-description';
import { SWAGGER_UI_PATH, swaggerUiAssets } from './swagger-ui-assets';

/**
 * Builds the API description once and serves the Swagger UI files the docs
 * page loads. configureApp calls it beside the other static files, so tests
 * and production get the same document.
 */
export function mountApiDescription(app: NestExpressApplication, maxAge: string | number): void {
  app.get(ApiDescription).build(app);
  app.use(SWAGGER_UI_PATH, swaggerUiAssets(maxAge));
}
