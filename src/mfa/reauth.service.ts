import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AppConfig } from '../config/env.validation';
import { SessionsService } from '../sessions/sessions.service';
import { ReauthProof } from './schemas/reauth-proof.schema';

/**
 * When each login last proved who its holder is. Sensitive changes need a
 * proof younger than REAUTH_WINDOW (ASVS 7.5.3), so a borrowed, unlocked
 * browser cannot turn off the second factor or add its own passkey.
 */
@Injectable()
export class ReauthService {
  private readonly windowMs: number;

  constructor(
    @InjectModel(ReauthProof.name) private readonly proofs: Model<ReauthProof>,
    private readonly sessions: SessionsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.windowMs = config.get('reauthWindowSeconds', { infer: true }) * 1000;
  }

  async record(sessionId: string, userId: string): Promise<void> {
    await this.proofs.updateOne({ _id: sessionId }, { $set: { userId, at: new Date() } }, { upsert: true }).exec();
  }

  /** The login itself is the first proof: a session signed in moments ago needs no second one. */
  async isRecent(sessionId: string, userId: string): Promise<boolean> {
    const proof = await this.proofs.findById(sessionId).lean().exec();
    const provedAt = proof?.userId === userId ? proof.at : await this.sessions.startedAt(sessionId, userId);
    return !!provedAt && Date.now() - provedAt.getTime() < this.windowMs;
  }
}
