import { Injectable, type INestApplication } from '@nestjs/common';
import { RENDER_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from '../auth/decorators/public.decorator';
import { ROLES_KEY } from '../auth/decorators/roles.decorator';
import { RATE_LIMITED_KEY } from '../security/throttling/rate-limited.decorator';
import { ErrorResponse } from './error-response';
import { applyRouteConventions, BEARER, RouteFacts } from './route-conventions';

const operationId = (controller: string, method: string) => `${controller}_${method}`;

/**
 * The OpenAPI 3 document of the JSON routes, built once at start-up from the
 * controllers, their DTO classes and their decorators (docs/architecture.md).
 */
@Injectable()
export class ApiDescription {
  private built?: OpenAPIObject;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  get document(): OpenAPIObject {
    if (!this.built) throw new Error('The API description is built by configureApp() before the app serves requests');
    return this.built;
  }

  build(app: INestApplication): void {
    const config = new DocumentBuilder()
      .setTitle('Latchkey API')
      .setDescription(
        'The JSON side of Latchkey. API clients log in with `POST /auth/login` and a JSON body, then send ' +
          '`Authorization: Bearer <access_token>`; such requests need no CSRF token. Browsers use the same routes with ' +
          'HttpOnly cookies instead, and then every write needs the `X-CSRF-Token` header (403 otherwise). Every error ' +
          'has the body `{ statusCode, message, errors? }`.',
      )
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token of a JSON login or refresh.' },
        BEARER,
      )
      .build();
    const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse], operationIdFactory: operationId });
    const facts = this.routeFacts();
    applyRouteConventions(document, (id) => facts.get(id));
    this.built = document;
  }

  private routeFacts(): Map<string, RouteFacts> {
    const facts = new Map<string, RouteFacts>();
    for (const { metatype } of this.discovery.getControllers()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const targets = [handler, metatype];
        facts.set(operationId(metatype.name, name), {
          htmlOnly: Reflect.getMetadata(RENDER_METADATA, handler) !== undefined,
          authenticated: !this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets),
          roleGated: (this.reflector.getAllAndOverride<unknown[]>(ROLES_KEY, targets)?.length ?? 0) > 0,
          rateLimited: this.reflector.getAllAndOverride<boolean>(RATE_LIMITED_KEY, targets) ?? false,
        });
      }
    }
    return facts;
  }
}
