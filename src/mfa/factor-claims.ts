import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { BackgroundSweep } from '../database/background-sweep';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { FactorClaim } from './schemas/factor-claim.schema';

export interface ClaimOptions {
  userId?: string;
  group?: string;
  /** How long the claim must be remembered; omitted: for good. */
  ttlMs?: number;
}

/** Single use, atomically, on every server: see FactorClaim. */
@Injectable()
export class FactorClaims {
  /** Expired claims guard nothing. */
  private readonly sweep = new BackgroundSweep((now) => this.claims.deleteMany({ expiresAt: trusted({ $ne: null, $lt: now }) }).exec());

  constructor(@InjectModel(FactorClaim.name) private readonly claims: Model<FactorClaim>) {}

  /** true for the one caller that claimed `id` first; false for everyone after. */
  async claim(id: string, options: ClaimOptions = {}): Promise<boolean> {
    const now = new Date();
    this.sweep.poke(now);
    try {
      await this.claims.create({
        _id: id,
        userId: options.userId ?? null,
        group: options.group ?? null,
        at: now,
        expiresAt: options.ttlMs === undefined ? null : new Date(now.getTime() + options.ttlMs),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async exists(id: string): Promise<boolean> {
    return (await this.claims.countDocuments({ _id: id }).exec()) > 0;
  }

  count(userId: string, group: string): Promise<number> {
    return this.claims.countDocuments({ userId, group }).exec();
  }

  async forgetUser(userId: string): Promise<void> {
    await this.claims.deleteMany({ userId }).exec();
  }
}
