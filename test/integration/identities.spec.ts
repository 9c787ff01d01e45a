import { HttpStatus } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { LIVE_SESSIONS_PER_USER, SessionsService } from '../../src/sessions/sessions.service';
import { identityId } from '../../src/users/identity';
import { Identity } from '../../src/users/schemas/identity.schema';
import { UsersService } from '../../src/users/users.service';
import { familyOf, sessionsJson, sleep, storedSession } from '../support/lifecycle';
import { userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp, uniqueUser } from '../support/users';
import { UsersErrors } from '../../src/users/users.errors';

/**
 * Names are reserved by identity documents keyed by the normalised name
 * (docs/databases.md): what the account-recovery work builds on (changing
 * the email, deleting an account), and what happens when a write was cut
 * short between the identity and the user.
 */
describe('identities', () => {
  let t: TestApp;
  let users: UsersService;
  beforeAll(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
  });
  afterAll(() => t.close());

  const identities = () => t.app.get<Model<Identity>>(getModelToken(Identity.name));
  const userSessionsModel = () => t.app.get<Model<{ entries: unknown[] }>>(getModelToken('UserSessions'));
  const emailTaken = { status: HttpStatus.CONFLICT, fieldErrors: { email: UsersErrors.EMAIL_TAKEN.message } };
  const login = (username: string, password: string) => t.agent().post('/auth/login').send({ username, password });

  it('changeEmail - the new address logs in, the old one is free for someone else', async () => {
    const user = await signUp(t.agent());
    const id = (await users.findByUsername(user.username))!.id;
    const next = uniqueUser('moved').email;
    expect(await users.changeEmail(id, next.toUpperCase())).toMatchObject({ id, email: next.toUpperCase() });
    expect((await login(next, user.password)).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(401);
    await signUp(t.agent(), { ...uniqueUser(), email: user.email });
  });

  it('changeEmail to an address another account holds (any case) - the sign-up conflict, and nothing changes', async () => {
    const [a, b] = [await signUp(t.agent()), await signUp(t.agent())];
    const id = (await users.findByUsername(a.username))!.id;
    expect(await users.changeEmail(id, b.email.toUpperCase())).toBe('taken');
    expect(await users.changeEmail(id, b.email)).toBe('taken');
    expect((await users.findById(id))!.email).toBe(a.email);
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  it('two accounts changing to one address at the same moment - exactly one gets it', async () => {
    const [a, b] = [await signUp(t.agent()), await signUp(t.agent())];
    const email = uniqueUser('contested').email;
    const ids = await Promise.all([a, b].map(async (u) => (await users.findByUsername(u.username))!.id));
    const outcomes = await Promise.all(ids.map((id) => users.changeEmail(id, email)));
    expect(outcomes.filter((o) => o === 'taken')).toHaveLength(1);
    expect(await userModel(t).countDocuments({ emailKey: email }).exec()).toBe(1);
  });

  it('deleteUser - the account is gone, its username and email can be signed up again', async () => {
    const user = await signUp(t.agent());
    const id = (await users.findByUsername(user.username))!.id;
    expect(await users.deleteUser(id)).toBe(true);
    expect(await users.findById(id)).toBeNull();
    expect((await login(user.username, user.password)).status).toBe(401);
    expect(await users.deleteUser(id)).toBe(false);
    await signUp(t.agent(), { ...uniqueUser(), username: user.username, email: user.email });
  });

  it('a name left reserved by a sign-up that never wrote its user - free again once it is a minute old', async () => {
    const user = uniqueUser('orphan');
    const at = new Date(Date.now() - 120_000);
    await identities().create({ _id: identityId('username', user.username.toLowerCase()), userId: new Types.ObjectId(), at });
    await signUp(t.agent(), user);
    expect((await login(user.username, user.password)).status).toBe(200);
  });

  it('a sign-up cut off by the database after reserving its names - they come free as soon as it answers again', async () => {
    const user = uniqueUser();
    const lost = new Error('connection lost');
    const userWrite = jest.spyOn(userModel(t), 'create').mockRejectedValueOnce(lost);
    const release = jest.spyOn(identities(), 'deleteOne').mockImplementationOnce(() => {
      throw lost;
    });
    try {
      expect((await t.agent().post('/auth/signup').send(user)).status).toBeGreaterThanOrEqual(500);
    } finally {
      userWrite.mockRestore();
      release.mockRestore();
    }
    // The background retry runs a second after the failure: far sooner than the minute an abandoned name waits.
    await sleep(3_000);
    expect((await t.agent().post('/auth/signup').send(user)).status).toBe(HttpStatus.CREATED);
  });

  it('a name reserved a moment ago by a sign-up still under way - taken (409)', async () => {
    const user = uniqueUser('pending');
    await identities().create({ _id: identityId('email', user.email), userId: new Types.ObjectId(), at: new Date() });
    await expect(users.create(user)).rejects.toMatchObject(emailTaken);
  });

  it('a database written before identities existed - every user gets theirs at start-up and can log in', async () => {
    const user = await signUp(t.agent());
    await identities().deleteMany({}).exec();
    expect((await login(user.username, user.password)).status).toBe(401);
    await users.onModuleInit();
    expect((await login(user.username, user.password)).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it('a user with many ended logins - the sessions list drops them and shows only the live ones', async () => {
    const user = await signUp(t.agent());
    const sessions = t.app.get(SessionsService);
    const id = (await users.findByUsername(user.username))!.id;
    for (let i = 0; i < 20; i++) await apiLogin(t.agent(), user);
    await sessions.revokeAll(id, 'revoked');
    const { access_token } = await apiLogin(t.agent(), user);
    const list = await sessionsJson(t, access_token);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const stored = await userSessionsModel().findById(new Types.ObjectId(id)).lean().exec();
    expect(stored!.entries).toHaveLength(1);
  });

  it('a user at the limit of live logins - a new login ends the oldest one, and the list stays bounded', async () => {
    const user = await signUp(t.agent());
    const id = (await users.findByUsername(user.username))!.id;
    await t.app.get(SessionsService).revokeAll(id, 'revoked');
    const first = await apiLogin(t.agent(), user);
    for (let i = 1; i < LIVE_SESSIONS_PER_USER; i++) await apiLogin(t.agent(), user);
    expect((await sessionsJson(t, first.access_token)).body).toHaveLength(LIVE_SESSIONS_PER_USER);

    const newest = await apiLogin(t.agent(), user);
    expect((await sessionsJson(t, newest.access_token)).body).toHaveLength(LIVE_SESSIONS_PER_USER);
    expect(await storedSession(t, familyOf(first.refresh_token))).toMatchObject({ revokedReason: 'limit' });
    expect((await t.agent().post('/auth/refresh').send({ refresh_token: first.refresh_token })).status).toBe(401);
    const list = await userSessionsModel().findById(new Types.ObjectId(id)).lean().exec();
    expect(list!.entries).toHaveLength(LIVE_SESSIONS_PER_USER);
  });
});
