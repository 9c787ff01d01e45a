import type { OpenAPIObject } from '@nestjs/swagger';
import { applyRouteConventions, RouteFacts } from './route-conventions';

const facts = (overrides: Partial<RouteFacts> = {}): RouteFacts => ({
  htmlOnly: false,
  authenticated: false,
  roleGated: false,
  rateLimited: false,
  ...overrides,
});

function documentWith(operations: Record<string, Record<string, object>>): OpenAPIObject {
  const paths = Object.fromEntries(
    Object.entries(operations).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => [
          method,
          { operationId: `${method} ${path}`, responses: { 200: { description: 'ok' } }, ...op },
        ]),
      ),
    ]),
  );
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
}

const statuses = (doc: OpenAPIObject, path: string, method: 'get' | 'post') => Object.keys(doc.paths[path][method]!.responses).sort();

describe('applyRouteConventions', () => {
  it('a route behind the login - the bearer scheme and a 401', () => {
    const doc = documentWith({ '/x': { get: {} } });
    applyRouteConventions(doc, () => facts({ authenticated: true }));
    expect(doc.paths['/x'].get!.security).toEqual([{ bearer: [] }]);
    expect(statuses(doc, '/x', 'get')).toEqual(['200', '401']);
  });

  it('a public route - no security and no 401', () => {
    const doc = documentWith({ '/x': { get: {} } });
    applyRouteConventions(doc, () => facts());
    expect(doc.paths['/x'].get!.security).toBeUndefined();
    expect(statuses(doc, '/x', 'get')).toEqual(['200']);
  });

  it('role-gated, throttled, with a body - 403, 429, 400 and 422 with the error schema', () => {
    const doc = documentWith({ '/x': { post: { requestBody: { content: {} } } } });
    applyRouteConventions(doc, () => facts({ authenticated: true, roleGated: true, rateLimited: true }));
    expect(statuses(doc, '/x', 'post')).toEqual(['200', '400', '401', '403', '422', '429']);
    expect(doc.paths['/x'].post!.responses[429]).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
  });

  it('a status the handler documented itself - kept as written', () => {
    const own = { description: 'Invalid username or password.' };
    const doc = documentWith({ '/x': { post: { responses: { 200: { description: 'ok' }, 401: own } } } });
    applyRouteConventions(doc, () => facts({ authenticated: true }));
    expect(doc.paths['/x'].post!.responses[401]).toBe(own);
  });

  it('a page-only route - removed, and its path with it when nothing else is left', () => {
    const doc = documentWith({ '/page': { get: {} }, '/both': { get: {}, post: {} } });
    applyRouteConventions(doc, (id) => facts({ htmlOnly: id.startsWith('get') }));
    expect(doc.paths['/page']).toBeUndefined();
    expect(Object.keys(doc.paths['/both'])).toEqual(['post']);
  });

  it('an operation of no known handler - left alone', () => {
    const doc = documentWith({ '/x': { get: {} } });
    applyRouteConventions(doc, () => undefined);
    expect(statuses(doc, '/x', 'get')).toEqual(['200']);
  });
});
