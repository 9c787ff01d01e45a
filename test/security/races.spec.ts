/**
 * Attack 12: races. Parallel sign-ups for one identity (the same name, or
 * the same name or email spelled differently) make exactly one account; the
 * rest get 409, decided by the unique indexes rather than an earlier check.
 */
import { emailKey, usernameKey } from '../../src/users/identity';
import { userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, TestUser, uniqueUser } from '../support/users';
import { UsersErrors } from '../../src/users/users.errors';

const PARALLEL = 20;

describe('races', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** Loads every sign-up page first, then fires all the sign-ups at once. */
  async function signUpAtOnce(bodies: TestUser[]) {
    const agents = bodies.map(() => t.agent());
    const tokens = await Promise.all(agents.map((agent) => csrfToken(agent, '/auth/signup')));
    return Promise.all(
      agents.map((agent, i) => agent.post('/auth/signup').set('Accept', 'application/json').set('X-CSRF-Token', tokens[i]).send(bodies[i])),
    );
  }

  const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();
  const ONE_WINNER = [201, ...Array<number>(PARALLEL - 1).fill(409)];

  it(`${PARALLEL} identical JSON sign-ups in parallel - one 201, nineteen 409, one user in the database`, async () => {
    const user = uniqueUser('race');
    const responses = await signUpAtOnce(Array.from({ length: PARALLEL }, () => user));
    expect(statuses(responses)).toEqual(ONE_WINNER);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.body).toMatchObject({ statusCode: 409, errors: { username: UsersErrors.USERNAME_TAKEN.message } });
    }
    expect(
      await userModel(t)
        .countDocuments({ usernameKey: usernameKey(user.username) })
        .exec(),
    ).toBe(1);
    expect(
      await userModel(t)
        .countDocuments({ emailKey: emailKey(user.email) })
        .exec(),
    ).toBe(1);
  });

  it(`${PARALLEL} parallel sign-ups of one name spelled five ways, each with its own email - one 201, nineteen 409 "username taken", one account`, async () => {
    const base = uniqueUser('race').username;
    const spellings = [base, base.toUpperCase(), `\uff52${base.slice(1)}`, `${base} `, ` ${base[0].toUpperCase()}${base.slice(1)}`];
    const bodies = Array.from({ length: PARALLEL }, (_, i) => ({ ...uniqueUser('mail'), username: spellings[i % spellings.length] }));
    const responses = await signUpAtOnce(bodies);
    expect(statuses(responses)).toEqual(ONE_WINNER);
    for (const res of responses.filter((r) => r.status === 409))
      expect(res.body.errors).toEqual({ username: UsersErrors.USERNAME_TAKEN.message });
    expect(await userModel(t).countDocuments({ usernameKey: base }).exec()).toBe(1);
  });

  it(`${PARALLEL} parallel sign-ups of one email in different case, each with its own username - one 201, nineteen 409 "email taken", one account`, async () => {
    const email = uniqueUser('race').email;
    const spellings = [email, email.toUpperCase(), email.replace('@', '\uff20'), `${email[0].toUpperCase()}${email.slice(1)}`];
    const bodies = Array.from({ length: PARALLEL }, (_, i) => ({ ...uniqueUser('name'), email: spellings[i % spellings.length] }));
    const responses = await signUpAtOnce(bodies);
    expect(statuses(responses)).toEqual(ONE_WINNER);
    for (const res of responses.filter((r) => r.status === 409))
      expect(res.body.errors).toEqual({ email: UsersErrors.EMAIL_TAKEN.message });
    expect(await userModel(t).countDocuments({ emailKey: email.toLowerCase() }).exec()).toBe(1);
  });
});
