import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { ApiDescription } from './api-description';
import { SWAGGER_UI_PATH } from './swagger-ui-assets';

/** Public and read-only: the description holds nothing a client cannot learn by calling the routes. */
@Public()
@ApiExcludeController()
@Controller('api')
export class OpenApiController {
  constructor(private readonly description: ApiDescription) {}

  @Get('openapi.json')
  document() {
    return this.description.document;
  }

  /** Swagger UI from this origin: its files, then public/js/api-docs.js, which starts it (no inline script). */
  @Get('docs')
  @Render('api/docs')
  docs() {
    return { layout: false, title: 'API', assets: SWAGGER_UI_PATH, documentUrl: '/api/openapi.json' };
  }
}
