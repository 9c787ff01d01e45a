import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Role } from './schemas/user.schema';
import { UsersService } from './users.service';

interface DemoAccount {
  username: string;
  password: string;
  role: Role;
}

export interface DemoAccountStatus extends DemoAccount {
  /** false once someone changed the password through the app: the saved one no longer works. */
  passwordWorks: boolean;
}

const DEMO: Array<Omit<DemoAccount, 'password'>> = [
  { username: 'demo', role: 'user' },
  { username: 'admin', role: 'admin' },
];

/**
 * The seed tutorial's data initializer, made safe: it only adds the demo
 * accounts that are missing, never changes or deletes anything, and main.ts
 * calls it only for the embedded development database. Passwords are random
 * per machine and kept beside the data (.data/demo-accounts.json, mode 600)
 * so every start can print them.
 */
@Injectable()
export class DemoAccounts {
  constructor(private readonly users: UsersService) {}

  async ensure(file: string): Promise<DemoAccountStatus[]> {
    const known = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[]) : [];
    const accounts: DemoAccountStatus[] = [];
    for (const { username, role } of DEMO) {
      const saved = known.find((a) => a.username === username);
      if (await this.users.findByUsername(username)) {
        if (saved)
          accounts.push({
            ...saved,
            passwordWorks: !!(await this.users.authenticate(username, saved.password, () => Promise.resolve())).user,
          });
        continue;
      }
      const password = saved?.password ?? randomBytes(9).toString('base64url');
      const user = await this.users.create({ username, email: `${username}@latchkey.test`, password });
      // Nobody can open a link mailed to a .test address, and an unverified account cannot try TOTP or passkeys.
      await this.users.markEmailVerified(user.id, user.email);
      if (role !== 'user') await this.users.grantRole(user.id, role);
      accounts.push({ username, password, role, passwordWorks: true });
    }
    mkdirSync(dirname(file), { recursive: true });
    const toSave: DemoAccount[] = accounts.map(({ username, password, role }) => ({ username, password, role }));
    writeFileSync(file, JSON.stringify(toSave, null, 2), { mode: 0o600 });
    return accounts;
  }
}
