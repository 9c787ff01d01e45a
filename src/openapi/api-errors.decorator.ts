import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, ResponseObject } from '@nestjs/swagger';
import type { ErrorSpec } from '../common/errors/app-error';
import { ErrorResponse } from './error-response';

/** What each error status means in this app, whichever route answers it. */
const MEANING: Record<number, string> = {
  400: 'Malformed request: not JSON, an unknown field, or an object where text belongs.',
  401: 'Not authenticated, or the credentials or token were refused.',
  403: "Not allowed: the role is missing, or a write without an `Authorization` header (a browser's) came without a valid CSRF token.",
  404: 'No such resource.',
  409: 'Conflicts with the current state.',
  422: 'Validation failed: `errors` names each field at fault.',
  429: 'Too many attempts from this client or for this account: wait and try again.',
  503: 'Temporarily unavailable (the database is unreachable, or the request lost a race it may retry).',
};

/** An error answer whose body is a class of its own (a feature filter's), not ErrorResponse alone. */
export interface ErrorBodyVariant {
  status: number;
  body: Type;
  when: string;
}

/** A status alone, an entry of a feature's error catalogue (its message becomes part of the description), or a body of its own. */
export type DocumentedError = number | ErrorSpec | ErrorBodyVariant;

/** `@ApiErrors(errorBody(401, MfaRequiredResponse, 'a second factor is owed'))`: that status may also answer with this body. */
export const errorBody = (status: number, body: Type, when: string): ErrorBodyVariant => ({ status, body, when });

const ERROR_SCHEMA = { $ref: getSchemaPath(ErrorResponse) };

function describeStatus(status: number, messages: readonly string[], variants: readonly ErrorBodyVariant[] = []): string {
  const meaning = MEANING[status] ?? 'Refused.';
  const quoted = messages.length ? `${meaning} Messages: ${messages.map((m) => `"${m}"`).join(', ')}` : meaning;
  return [quoted, ...variants.map((v) => `When ${v.when}: the ${v.body.name} body.`)].join(' ');
}

/** The OpenAPI response for one status, listing the catalogue messages a client may see. */
export function errorResponse(status: number, messages: readonly string[] = []): ResponseObject {
  return { description: describeStatus(status, messages), content: { 'application/json': { schema: ERROR_SCHEMA } } };
}

/**
 * Documents the error answers of a route, all with the `{ statusCode, message, errors? }`
 * body: `@ApiErrors(AdminErrors.NO_SUCH_USER, 503)`. Statuses every route of a kind shares
 * (401 behind the login, 403 for roles, 429 when throttled, 400/422 with a body) are added
 * from the route's own metadata (see route-conventions.ts), so they are not repeated here.
 */
export function ApiErrors(...errors: DocumentedError[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, { messages: string[]; variants: ErrorBodyVariant[] }>();
  for (const error of errors) {
    const status = typeof error === 'number' ? error : error.status;
    const entry = byStatus.get(status) ?? { messages: [], variants: [] };
    if (typeof error === 'object' && 'body' in error) entry.variants.push(error);
    else if (typeof error === 'object') entry.messages.push(error.message);
    byStatus.set(status, entry);
  }
  const variants = [...byStatus.values()].flatMap((entry) => entry.variants);
  return applyDecorators(
    ApiExtraModels(ErrorResponse, ...variants.map((v) => v.body)),
    ...[...byStatus].map(([status, entry]) =>
      ApiResponse({
        status,
        description: describeStatus(status, entry.messages, entry.variants),
        // anyOf, not oneOf: an open ErrorResponse also matches the richer bodies.
        schema: entry.variants.length
          ? { anyOf: [ERROR_SCHEMA, ...entry.variants.map((v) => ({ $ref: getSchemaPath(v.body) }))] }
          : ERROR_SCHEMA,
      }),
    ),
  );
}
