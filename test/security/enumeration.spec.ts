/**
 * Attack 4: user enumeration. An unknown user, a wrong password and a
 * disabled account look the same from outside: status, message, page, and
 * bcrypt work (counted exactly, and timed statistically with wide bounds).
 */
import { UsersService } from '../../src/users/users.service';
import { jsonSignUp, signUpAdmin, userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, signUp, submitForm, TestUser, uniqueUser } from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';
import { UsersErrors } from '../../src/users/users.errors';

// The real module object (not an import-star copy), so a spy is seen by the app's own import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcrypt') as typeof import('bcrypt');

/** The page with everything that legitimately differs between two attempts taken out. */
function normalisedPage(html: string, typedUsername: string): string {
  return html
    .replace(/(name="csrf-token" content=")[^"]*/g, '$1…')
    .replace(/(name="_csrf" value=")[^"]*/g, '$1…')
    .split(typedUsername)
    .join('<typed>');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** P(a random x from xs is below a random y from ys), ties counting half: the Mann-Whitney U divided by n·m. */
function probabilityOfSuperiority(xs: number[], ys: number[]): number {
  let wins = 0;
  for (const x of xs) for (const y of ys) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (xs.length * ys.length);
}

describe('user enumeration', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const jsonLogin = (username: string, password: string) => t.agent().post('/auth/login').send({ username, password });

  describe('answers', () => {
    it('JSON login: unknown email vs known email with a wrong password - same 401 and identical body', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      const unknown = await jsonLogin(uniqueUser('ghost').email, 'Wrong-password-1');
      const wrong = await jsonLogin(user.email, 'Wrong-password-1');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ statusCode: 401, message: AuthErrors.INVALID_CREDENTIALS.message });
    });

    it('JSON login: a disabled account with its right password vs a wrong password - same 401 and identical body', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      await userModel(t)
        .updateOne({ username: user.username }, { $set: { disabled: true } })
        .exec();
      const disabled = await jsonLogin(user.username, user.password);
      const wrong = await jsonLogin(user.username, 'Wrong-password-1');
      expect(disabled.status).toBe(401);
      expect(disabled.body).toEqual(wrong.body);
    });

    it('JSON login with the right password to an account an admin disabled (POST /admin/users/:id/disable) - the same 401 as a wrong password', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      const admin = t.agent();
      await signUpAdmin(t, admin);
      const id = (await t.app.get(UsersService).findByUsername(user.username))!.id;
      const _csrf = await csrfToken(admin, '/admin/users');
      const disable = await admin.post(`/admin/users/${id}/disable`).set('Accept', 'text/html').type('form').send({ _csrf });
      expect(disable.status).toBe(303);
      const disabled = await jsonLogin(user.username, user.password);
      const wrong = await jsonLogin(user.username, 'Wrong-password-1');
      expect(disabled.status).toBe(401);
      expect(disabled.body).toEqual(wrong.body);
    });

    it('form login: unknown user vs wrong password - same 401 and the same page apart from the typed name and the CSRF token', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      const ghost = uniqueUser('ghost').username;
      const unknown = await submitForm(t.agent(), '/auth/login', { username: ghost, password: 'Wrong-password-1' });
      const wrong = await submitForm(t.agent(), '/auth/login', { username: user.username, password: 'Wrong-password-1' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain(AuthErrors.INVALID_CREDENTIALS.message);
      expect(normalisedPage(unknown.text, ghost)).toBe(normalisedPage(wrong.text, user.username));
    });

    it('form login: unknown email vs known email with a wrong password - the same page', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      const ghost = uniqueUser('ghost').email;
      const unknown = await submitForm(t.agent(), '/auth/login', { username: ghost, password: 'Wrong-password-1' });
      const wrong = await submitForm(t.agent(), '/auth/login', { username: user.email, password: 'Wrong-password-1' });
      expect([unknown.status, wrong.status]).toEqual([401, 401]);
      expect(normalisedPage(unknown.text, ghost)).toBe(normalisedPage(wrong.text, user.email));
    });

    it('sign-up with a taken email - 409 with the documented "email already exists" message (the accepted trade-off)', async () => {
      const existing = await signUp(t.agent(), uniqueUser('enum'));
      const res = await jsonSignUp(t.agent(), { ...uniqueUser('other'), email: existing.email });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        statusCode: 409,
        message: UsersErrors.EMAIL_TAKEN.message,
        errors: { email: UsersErrors.EMAIL_TAKEN.message },
      });
    });
  });

  describe('bcrypt work', () => {
    /** Every bcrypt comparison one login makes, by the cost of the hash it compared against. */
    async function comparisonsFor(username: string, password: string): Promise<string[]> {
      const compare = jest.spyOn(bcrypt, 'compare');
      const res = await jsonLogin(username, password);
      expect(res.status).toBe(401);
      const costs = compare.mock.calls.map(([, hash]) => String(hash).slice(0, 7));
      compare.mockRestore();
      return costs;
    }

    it('unknown user vs wrong password vs over-72-byte password - each makes exactly one bcrypt comparison at the configured cost', async () => {
      const user = await signUp(t.agent(), uniqueUser('enum'));
      const cost = `$2b$${String(t.config.bcryptCost).padStart(2, '0')}$`;
      expect(await comparisonsFor(uniqueUser('ghost').username, 'Wrong-password-1')).toEqual([cost]);
      expect(await comparisonsFor(user.username, 'Wrong-password-1')).toEqual([cost]);
      expect(await comparisonsFor(user.username, `${user.password}${'x'.repeat(80)}`)).toEqual([cost]);
      expect(await comparisonsFor(uniqueUser('ghost').email, 'Wrong-password-1')).toEqual([cost]);
    });
  });
});

describe('user enumeration by timing', () => {
  const SAMPLES = 30;
  let t: TestApp;
  let users: TestUser[];

  beforeAll(async () => {
    // A real cost, so bcrypt dominates each answer as it does in production.
    t = await startTestApp({ BCRYPT_COST: '10' });
    const service = t.app.get(UsersService);
    users = Array.from({ length: SAMPLES + 2 }, () => uniqueUser('timing'));
    for (const user of users) await service.create(user);
  }, 60_000);
  afterAll(() => t.close());

  async function timeLogin(username: string): Promise<number> {
    const started = process.hrtime.bigint();
    const res = await t.agent().post('/auth/login').send({ username, password: 'Wrong-password-1' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    expect(res.status).toBe(401);
    return elapsed;
  }

  it(`${SAMPLES} unknown-user and ${SAMPLES} wrong-password logins, alternating - medians within a factor of 2 and neither side faster in more than 90% of pairs`, async () => {
    // Warm-up, both paths (the first unknown user also builds the dummy hash).
    await timeLogin(uniqueUser('ghost').username);
    await timeLogin(users[SAMPLES].username);
    await timeLogin(uniqueUser('ghost').username);
    await timeLogin(users[SAMPLES + 1].username);

    const unknown: number[] = [];
    const known: number[] = [];
    // Each account is tried once, so the per-account back-off never adds its delay.
    for (let i = 0; i < SAMPLES; i++) {
      if (i % 2 === 0) {
        unknown.push(await timeLogin(uniqueUser('ghost').username));
        known.push(await timeLogin(users[i].username));
      } else {
        known.push(await timeLogin(users[i].username));
        unknown.push(await timeLogin(uniqueUser('ghost').username));
      }
    }
    const ratio = median(unknown) / median(known);
    const superiority = probabilityOfSuperiority(unknown, known);
    const summary = `median unknown ${median(unknown).toFixed(1)} ms, wrong password ${median(known).toFixed(1)} ms, ratio ${ratio.toFixed(2)}, P(unknown faster) ${superiority.toFixed(2)}`;
    // Skipping bcrypt for unknown users makes them ~20x faster (ratio ~0.05, P ~1.0).
    expect({ summary, withinFactor2: ratio > 0.5 && ratio < 2 }).toEqual({ summary, withinFactor2: true });
    expect({ summary, overlapping: superiority > 0.1 && superiority < 0.9 }).toEqual({ summary, overlapping: true });
  }, 60_000);
});
