/**
 * Helpers for the attack suites in test/security/: addresses for throttling
 * tests, database look-ups, admins, header parsing and a throw-away Redis.
 */
import { getModelToken } from '@nestjs/mongoose';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from 'mongoose';
import request from 'supertest';
import type { Response } from 'supertest';
import { usernameKey } from '../../src/users/identity';
import { User } from '../../src/users/schemas/user.schema';
import { UsersService } from '../../src/users/users.service';
import type { TestApp } from './test-app';
import { apiLogin, metaCsrf, signUp, submitForm, TestUser, uniqueUser } from './users';
import { freePort } from './processes';

type Agent = ReturnType<typeof request.agent>;

/**
 * A client address of its own for X-Forwarded-For (apps started with
 * TRUST_PROXY=true), from the IPv6 documentation prefix 2001:db8::/32: only a
 * header value, never an address anything is sent to. The random bits are in
 * the network half, because the throttler counts a whole IPv6 /64 as one client.
 */
export function uniqueIp(): string {
  const [a, b] = [randomBytes(2), randomBytes(2)].map((x) => x.toString('hex'));
  return `2001:db8:${a}:${b}::1`;
}

/** Another address in the same /64 as `ip` (from uniqueIp). */
export function sameSubnet(ip: string): string {
  return ip.replace(/::1$/, `:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}:2`);
}

/** The users collection, read directly, to check what an attack did or did not create. */
export function userModel(t: TestApp): Model<User> {
  return t.app.get<Model<User>>(getModelToken(User.name));
}

/** How many accounts exist under this username (compared the way the app compares them). */
export function countAccounts(t: TestApp, username: string): Promise<number> {
  return userModel(t)
    .countDocuments({ usernameKey: usernameKey(username) })
    .exec();
}

/** Signs a user up, makes them an admin, and logs this browser in again so its token carries the role. */
export async function signUpAdmin(t: TestApp, agent: Agent, user: TestUser = uniqueUser('admin')): Promise<TestUser> {
  await signUp(agent, user);
  const users = t.app.get(UsersService);
  const view = await users.findByUsername(user.username);
  await users.grantRole(view!.id, 'admin');
  const res = await submitForm(agent, '/auth/login', { username: user.username, password: user.password });
  if (res.status !== 303) throw new Error(`admin login failed with ${res.status}`);
  return user;
}

/** An access token (JSON login) for a new admin. */
export async function adminAccessToken(t: TestApp): Promise<string> {
  const user = await signUp(t.agent(), uniqueUser('admin'));
  const users = t.app.get(UsersService);
  await users.grantRole((await users.findByUsername(user.username))!.id, 'admin');
  return (await apiLogin(t.agent(), user)).access_token;
}

/** A Content-Security-Policy header as directive -> sources. */
export function parseCsp(header: string | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) result[name.toLowerCase()] = sources;
  }
  return result;
}

/** Every Set-Cookie line of a response. */
export function setCookieLines(res: Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}

/** `name=value` of the named cookie as the response set it, ready for a Cookie header. */
export function cookiePair(res: Response, namePart: string): string | undefined {
  const line = setCookieLines(res).find((l) => l.split('=')[0].includes(namePart));
  return line?.split(';')[0];
}

// ---------------------------------------------------------------- Redis

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

/** Why redis-server cannot be run here, or undefined when it can. Checked once, synchronously, so suites can skip. */
export function redisUnavailableReason(binary = process.env.REDIS_SERVER ?? 'redis-server'): string | undefined {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error) return `${binary} cannot be run (${probe.error.message}); install it with "apt-get install -y redis-server"`;
  if (probe.status !== 0) return `${binary} --version exited with ${probe.status}: ${probe.stderr.trim()}`;
  return undefined;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A redis-server on a free loopback port (or `port`, to bring one back), no persistence, its own temp directory. */
export async function startRedis(binary = process.env.REDIS_SERVER ?? 'redis-server', port?: number): Promise<RunningRedis> {
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-redis-'));
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** A JSON sign-up as a page script sends it: the page's CSRF token in X-CSRF-Token (fetched first, so the cookie is in the jar). */
export async function jsonSignUp(agent: Agent, body: Record<string, unknown>): Promise<Response> {
  const token = await csrfTokenOf(agent, '/auth/signup');
  return agent.post('/auth/signup').set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
}

async function csrfTokenOf(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path).set('Accept', 'text/html');
  return metaCsrf(page.text);
}
