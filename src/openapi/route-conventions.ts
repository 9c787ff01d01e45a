import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { errorResponse } from './api-errors.decorator';

/** What a handler's own decorators say about it, read where the guards read it. */
export interface RouteFacts {
  /** @Render: a page only, with no JSON answer to describe. */
  htmlOnly: boolean;
  /** Not @Public(): the global JwtAuthGuard wants an access token. */
  authenticated: boolean;
  /** @Roles(…): RolesGuard answers 403 to anyone without the role. */
  roleGated: boolean;
  /** @RateLimited(): the throttler answers 429. */
  rateLimited: boolean;
}

export const BEARER = 'bearer';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Adds to each operation what follows from the decorators the app already
 * enforces, so the document cannot drift from the guards and no route repeats
 * them: the bearer scheme and 401 behind the login, 403 for roles, 429 when
 * throttled, 400 and 422 when there is a body to validate. Page-only routes
 * are dropped. A status a handler documents itself (@ApiErrors) is kept.
 */
export function applyRouteConventions(document: OpenAPIObject, factsOf: (operationId: string) => RouteFacts | undefined): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const facts = operation?.operationId ? factsOf(operation.operationId) : undefined;
      if (!operation || !facts) continue;
      if (facts.htmlOnly) {
        delete item[method];
        continue;
      }
      if (facts.authenticated) {
        operation.security = [{ [BEARER]: [] }];
        addError(operation, 401);
      }
      if (facts.roleGated) addError(operation, 403);
      if (facts.rateLimited) addError(operation, 429);
      if (operation.requestBody) {
        addError(operation, 400);
        addError(operation, 422);
      }
    }
    if (!METHODS.some((method) => item[method])) delete document.paths[path];
  }
}

function addError(operation: OperationObject, status: number): void {
  operation.responses[status] ??= errorResponse(status);
}
