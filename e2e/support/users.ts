import { randomBytes } from 'node:crypto';

export interface TestUser {
  username: string;
  email: string;
  password: string;
}

/**
 * Every test gets its own user, so tests never depend on each other's data
 * or on the order they run in. The username stays within the 3-32 rule.
 */
export function uniqueUser(prefix = 'pw'): TestUser {
  const id = randomBytes(5).toString('hex');
  return { username: `${prefix}_${id}`, email: `${prefix}_${id}@example.com`, password: `pw-${id}-Secret!` };
}
