import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '../config/env.validation';

@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  /** A real hash at the configured cost, compared against when the user does not exist. */
  private dummyHash?: Promise<string>;

  constructor(config: ConfigService<AppConfig, true>) {
    this.cost = config.get('bcryptCost', { infer: true });
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /**
   * Spends the same bcrypt work as a real comparison, so an unknown username
   * takes as long as a wrong password and cannot be told apart by timing.
   */
  async burn(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash('latchkey-timing-equaliser', this.cost);
    await bcrypt.compare(password, await this.dummyHash);
    return false;
  }
}
