import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { ClientInfo } from '../common/http/request-kind';
import { AppConfig } from '../config/env.validation';
import { SecurityEvents } from '../security/security-events.service';
import { newFamilyId, newRefreshToken, parseRefreshToken } from './refresh-token';
import { rotate } from './refresh-rotation';
import { RevocationReason, Session } from './schemas/session.schema';

export interface IssuedRefreshToken {
  token: string;
  sessionId: string;
  userId: string;
  persistent: boolean;
  expiresAt: Date;
}

export type RefreshFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'reuse';

export class RefreshRejected extends Error {
  constructor(readonly reason: RefreshFailure) {
    super(`refresh token rejected: ${reason}`);
  }
}

export interface ActiveSession {
  id: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
}

type Lifetime = Pick<Session, 'revokedAt' | 'expiresAt' | 'idleExpiresAt'>;

function isLive(session: Lifetime, now: Date): boolean {
  return !session.revokedAt && now < session.expiresAt && now < session.idleExpiresAt;
}

/** Optimistic-concurrency retries before giving up; each loser re-reads a newer state. */
const MAX_ATTEMPTS = 8;

@Injectable()
export class SessionsService implements OnModuleInit {
  private readonly logger = new Logger(SessionsService.name);
  private readonly absoluteTtlMs: number;
  private readonly idleTtlMs: number;

  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    private readonly events: SecurityEvents,
    config: ConfigService<AppConfig, true>,
  ) {
    this.absoluteTtlMs = config.get('refreshTokenTtlSeconds', { infer: true }) * 1000;
    this.idleTtlMs = config.get('sessionIdleTtlSeconds', { infer: true }) * 1000;
  }

  async onModuleInit(): Promise<void> {
    await this.sessions.createIndexes();
    // Clean-up only: correctness comes from the expiry checks in code, so a
    // server without TTL indexes (FerretDB v1) merely keeps old records.
    await this.sessions.collection
      .createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiresAt_ttl' })
      .catch((error: Error) => this.logger.log(`No TTL index for sessions (${error.message}); expired ones stay until removed`));
  }

  async create(userId: string, client: ClientInfo, persistent: boolean): Promise<IssuedRefreshToken> {
    const now = new Date();
    const familyId = newFamilyId();
    const { token, secretHash } = newRefreshToken(familyId);
    const expiresAt = new Date(now.getTime() + this.absoluteTtlMs);
    await this.sessions.create({
      _id: familyId,
      userId: new Types.ObjectId(userId),
      parentHash: null,
      childHashes: [secretHash],
      generation: 0,
      persistent,
      userAgent: client.userAgent.slice(0, 512),
      ip: client.ip,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      idleExpiresAt: this.idleExpiry(now, expiresAt),
    });
    return { token, sessionId: familyId, userId, persistent, expiresAt };
  }

  /** Exchanges a refresh token for its successor, or says exactly why not. */
  async refresh(presented: unknown, client: ClientInfo): Promise<IssuedRefreshToken> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) throw new RefreshRejected('malformed');

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const session = await this.sessions.findById(parsed.familyId).lean().exec();
      if (!session) throw new RefreshRejected('unknown');
      if (session.revokedAt) throw new RefreshRejected('revoked');
      const now = new Date();
      if (!isLive(session, now)) throw new RefreshRejected('expired');

      const { token, secretHash } = newRefreshToken(session._id);
      const outcome = rotate(session, parsed.secretHash, secretHash);
      if (outcome.kind === 'reused') {
        await this.revoke(session._id, 'reuse');
        this.events.record('refresh.reuse_detected', {
          userId: session.userId.toHexString(),
          sessionId: session._id,
          ip: client.ip,
        });
        throw new RefreshRejected('reuse');
      }

      const { matchedCount } = await this.sessions
        .updateOne(
          { _id: session._id, generation: session.generation, revokedAt: null },
          {
            $set: {
              ...outcome.next,
              generation: session.generation + 1,
              lastUsedAt: now,
              idleExpiresAt: this.idleExpiry(now, session.expiresAt),
              ip: client.ip,
            },
          },
        )
        .exec();
      if (matchedCount === 1) {
        return {
          token,
          sessionId: session._id,
          userId: session.userId.toHexString(),
          persistent: session.persistent,
          expiresAt: session.expiresAt,
        };
      }
    }
    // Only a storm of concurrent refreshes on one family gets here; the
    // client may simply try again.
    throw new RefreshRejected('unknown');
  }

  /** Ends one login. Returns false when it was already over. */
  async revoke(sessionId: string, reason: RevocationReason): Promise<boolean> {
    const { modifiedCount } = await this.sessions
      .updateOne({ _id: sessionId, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } })
      .exec();
    return modifiedCount === 1;
  }

  /** Ends one of this user's logins; another user's id is treated as unknown. */
  async revokeOwn(userId: string, sessionId: string, reason: RevocationReason): Promise<boolean> {
    const { modifiedCount } = await this.sessions
      .updateOne(
        { _id: sessionId, userId: new Types.ObjectId(userId), revokedAt: null },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      )
      .exec();
    return modifiedCount === 1;
  }

  /** Ends every login of a user, except `keep` when given. Returns how many ended. */
  async revokeAll(userId: string, reason: RevocationReason, keep?: string): Promise<number> {
    // trusted(): the $ne is ours, so sanitizeFilter must not neutralise it.
    const filter = { userId: new Types.ObjectId(userId), revokedAt: null, ...(keep ? { _id: trusted({ $ne: keep }) } : {}) };
    const { modifiedCount } = await this.sessions
      .updateMany(filter, { $set: { revokedAt: new Date(), revokedReason: reason } })
      .exec();
    return modifiedCount;
  }

  /**
   * For pages where a stateless access token is not enough (sessions,
   * password, admin): an ended login stops working there at once.
   */
  async isActive(sessionId: string): Promise<boolean> {
    const session = await this.sessions.findById(sessionId).select('revokedAt expiresAt idleExpiresAt').lean().exec();
    return !!session && isLive(session, new Date());
  }

  /** The user's live logins, most recently used first. */
  async listActive(userId: string): Promise<ActiveSession[]> {
    const now = new Date();
    const sessions = await this.sessions
      .find({ userId: new Types.ObjectId(userId), revokedAt: null })
      .select('userAgent ip createdAt lastUsedAt expiresAt idleExpiresAt revokedAt')
      .sort({ lastUsedAt: -1 })
      .lean()
      .exec();
    return sessions
      .filter((s) => isLive(s, now))
      .map((s) => ({ id: s._id, userAgent: s.userAgent, ip: s.ip, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt }));
  }

  private idleExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.idleTtlMs, absolute.getTime()));
  }
}
