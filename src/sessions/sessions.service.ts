import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientInfo } from '../common/http/request-kind';
import { AppConfig } from '../config/env.validation';
import { BackgroundSweep } from '../database/background-sweep';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { SecurityEvents } from '../security/security-events';
import { newFamilyId, newRefreshToken, parseRefreshToken } from './refresh-token';
import { isCurrent, rotate } from './refresh-rotation';
import { SessionClaim } from './schemas/session-claim.schema';
import { RevocationReason, Session } from './schemas/session.schema';
import { UserSessionEntry, UserSessions } from './schemas/user-sessions.schema';

export interface IssuedRefreshToken {
  token: string;
  sessionId: string;
  userId: string;
  persistent: boolean;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
}

export type RefreshFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'reuse' | 'busy';

export class RefreshRejected extends Error {
  constructor(readonly reason: RefreshFailure) {
    super(`refresh token rejected: ${reason}`);
  }
}

type StoredSession = Session & { _id: string };
type StoredUserSessions = UserSessions & { _id: Types.ObjectId };
type Lifetime = Pick<Session, 'revokedAt' | 'expiresAt' | 'idleExpiresAt'>;

/** A document written through generation claims (see write). */
interface Versioned {
  _id: string | Types.ObjectId;
  generation: number;
}

function isLive(session: Lifetime, now: Date): boolean {
  return !session.revokedAt && now < session.expiresAt && now < session.idleExpiresAt;
}

/**
 * How long a writer keeps trying when others write the same session at the
 * same moment; each loser re-reads the newer state and decides again.
 */
const CONTENTION_BUDGET_MS = 5_000;

/** Exponential with full jitter (AWS Architecture Blog), so losers do not collide again in step. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
}
/** Far longer than any write takes; see releaseIfAbandoned. */
const ABANDONED_CLAIM_MS = 10_000;
/** A decision older than this is not written: see write. */
const STALE_READ_MS = ABANDONED_CLAIM_MS / 2;
/**
 * Live logins one user may hold; the next ends the oldest. Generous for a
 * person's browsers and devices, and it bounds what a login reads.
 */
export const LIVE_SESSIONS_PER_USER = 16;
/** An entry whose session is not written yet is kept this long (a login in progress). */
const PENDING_ENTRY_MS = 60_000;

@Injectable()
export class SessionsService implements OnModuleInit {
  private readonly logger = new Logger(SessionsService.name);
  private readonly absoluteTtlMs: number;
  private readonly idleTtlMs: number;
  /**
   * Spent claims are only ever contested for a moment, so those older than
   * ABANDONED_CLAIM_MS go in one batch a minute: cheaper than a delete per
   * write (the benchmark's refresh scenario), and the collection stays small.
   */
  private readonly claimSweep = new BackgroundSweep((now) =>
    this.claims.deleteMany({ at: trusted({ $lt: new Date(now.getTime() - ABANDONED_CLAIM_MS) }) }).exec(),
  );

  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    @InjectModel(SessionClaim.name) private readonly claims: Model<SessionClaim>,
    @InjectModel(UserSessions.name) private readonly userSessions: Model<UserSessions>,
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
    // Listed first: a session that exists is always in its user's list, so
    // "end all my sessions" cannot miss it, even after a crash in between.
    await this.addToUserList(new Types.ObjectId(userId), familyId, now);
    await this.sessions.create({
      _id: familyId,
      userId: new Types.ObjectId(userId),
      parentHash: null,
      childHashes: [secretHash],
      siblingHashes: [],
      siblingsValidUntil: null,
      retiredHashes: [],
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

  /**
   * Exchanges a refresh token for its successor, or says exactly why not.
   * `loadOwner` reads what the caller needs about the session's user; it runs
   * beside the write rather than after it, which saves a refresh one round
   * trip (docs/performance.md).
   */
  async refresh<Owner>(
    presented: unknown,
    client: ClientInfo,
    loadOwner: (userId: string) => Promise<Owner>,
  ): Promise<{ issued: IssuedRefreshToken; owner: Owner }> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) throw new RefreshRejected('malformed');

    let owner: Promise<Owner> | undefined;
    const deadline = Date.now() + CONTENTION_BUDGET_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const readAt = Date.now();
      const session = await this.read(parsed.familyId);
      if (!session) throw new RefreshRejected('unknown');
      if (session.revokedAt) throw new RefreshRejected('revoked');
      const now = new Date();
      if (!isLive(session, now)) throw new RefreshRejected('expired');

      const { token, secretHash } = newRefreshToken(session._id);
      const outcome = rotate(session, parsed.secretHash, secretHash, now);
      if (outcome.kind === 'saturated') throw new RefreshRejected('busy');
      // Knowing the session id proves nothing: only a secret this family issued counts.
      if (outcome.kind === 'unknown') throw new RefreshRejected('unknown');
      if (outcome.kind === 'reused') {
        await this.revoke(session._id, 'reuse');
        this.events.record('refresh.reuse_detected', {
          userId: session.userId.toHexString(),
          sessionId: session._id,
          ip: client.ip,
        });
        throw new RefreshRejected('reuse');
      }

      const userId = session.userId.toHexString();
      if (!owner) {
        owner = loadOwner(userId);
        // Awaited below; this only keeps a failure from counting as unhandled if a retry throws first.
        owner.catch(() => undefined);
      }
      const [written, loaded] = await Promise.all([
        this.write(this.sessions, session._id, session, readAt, {
          ...outcome.next,
          lastUsedAt: now,
          idleExpiresAt: this.idleExpiry(now, session.expiresAt),
          ip: client.ip,
        }),
        owner,
      ]);
      if (written) {
        const issued = { token, sessionId: session._id, userId, persistent: session.persistent, expiresAt: session.expiresAt };
        return { issued, owner: loaded };
      }
      await backOff(attempt);
    }
    // Only a storm of concurrent refreshes on one session gets here; the
    // client may simply try again.
    throw new RefreshRejected('busy');
  }

  /** Ends one login. Returns false when it was already over (or never was). */
  async revoke(sessionId: string, reason: RevocationReason, ownerId?: string): Promise<boolean> {
    return this.revokeIf(sessionId, reason, (session) => !ownerId || session.userId.toHexString() === ownerId);
  }

  /**
   * Ends the login a refresh token belongs to, for a logout that presents
   * only that token: the secret must be one the login can still use, since
   * its session id alone is no secret. Null when nothing was ended.
   */
  async revokeWithToken(presented: unknown, reason: RevocationReason): Promise<{ sessionId: string } | null> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) return null;
    const ended = await this.revokeIf(parsed.familyId, reason, (session) => isCurrent(session, parsed.secretHash, new Date()));
    return ended ? { sessionId: parsed.familyId } : null;
  }

  /** Ends every login of a user, except `keep` when given. Returns how many ended. */
  async revokeAll(userId: string, reason: RevocationReason, keep?: string): Promise<number> {
    const list = await this.userSessions.findById(new Types.ObjectId(userId)).lean<StoredUserSessions>().exec();
    const ids = (list?.entries ?? []).map((entry) => entry.id).filter((id) => id !== keep);
    const ended = await Promise.all(ids.map((id) => this.revoke(id, reason)));
    return ended.filter(Boolean).length;
  }

  /**
   * Removes every login of a deleted account, not only ends it: nothing
   * about a deleted person (IPs, browsers) is kept. A refresh with one of
   * its tokens then finds no session and is refused.
   */
  async deleteAllOfUser(userId: string): Promise<number> {
    const { deletedCount } = await this.sessions.deleteMany({ userId: new Types.ObjectId(userId) }).exec();
    return deletedCount;
  }

  /**
   * For pages where a stateless access token is not enough (sessions,
   * password, admin): an ended login stops working there at once.
   */
  async isActive(sessionId: string): Promise<boolean> {
    const session = await this.sessions.findById(sessionId).select('revokedAt expiresAt idleExpiresAt').lean().exec();
    return !!session && isLive(session, new Date());
  }

  /** When this live login of this user began; null when it is not one. One read by `_id`. */
  async startedAt(sessionId: string, userId: string): Promise<Date | null> {
    const session = await this.sessions
      .findById(sessionId)
      .select('userId createdAt revokedAt expiresAt idleExpiresAt')
      .lean<StoredSession>()
      .exec();
    return session && session.userId.toHexString() === userId && isLive(session, new Date()) ? session.createdAt : null;
  }

  /** The user's live logins, most recently used first. */
  async listActive(userId: string): Promise<ActiveSession[]> {
    const now = new Date();
    const list = await this.userSessions.findById(new Types.ObjectId(userId)).lean<StoredUserSessions>().exec();
    const sessions = await this.readAll(list?.entries ?? [], 'userAgent ip createdAt lastUsedAt expiresAt idleExpiresAt revokedAt');
    return sessions
      .filter((s): s is StoredSession => !!s && isLive(s, now))
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
      .map((s) => ({ id: s._id, userAgent: s.userAgent, ip: s.ip, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt }));
  }

  private async revokeIf(sessionId: string, reason: RevocationReason, allowed: (session: StoredSession) => boolean): Promise<boolean> {
    const deadline = Date.now() + CONTENTION_BUDGET_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const readAt = Date.now();
      const session = await this.read(sessionId);
      if (!session || session.revokedAt || !allowed(session)) return false;
      if (await this.write(this.sessions, session._id, session, readAt, { revokedAt: new Date(), revokedReason: reason })) return true;
      await backOff(attempt);
    }
    throw new Error(`could not revoke session ${sessionId}: too much contention`);
  }

  /**
   * Adds a session to its user's list. A full list is first cleaned of ended
   * logins; if it is still full, the oldest logins end to make room. So every
   * login costs the same however often a client logs in without logging out.
   */
  private async addToUserList(userId: Types.ObjectId, sessionId: string, now: Date): Promise<void> {
    const entry: UserSessionEntry = { id: sessionId, at: now };
    const deadline = Date.now() + CONTENTION_BUDGET_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const readAt = Date.now();
      const list = await this.userSessions.findById(userId).lean<StoredUserSessions>().exec();
      if (!list) {
        try {
          await this.userSessions.create({ _id: userId, entries: [entry], generation: 0 });
          return;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue;
        }
      }
      let kept = list.entries;
      if (kept.length >= LIVE_SESSIONS_PER_USER) {
        kept = await this.withoutEnded(kept);
        const surplus = kept.slice(0, Math.max(0, kept.length - LIVE_SESSIONS_PER_USER + 1));
        // Ended before the list forgets them, so a listed session is the only kind that can be live.
        await Promise.all(surplus.map((old) => this.endForRoom(userId, old.id)));
        kept = kept.slice(surplus.length);
      }
      if (await this.write(this.userSessions, `u-${userId.toHexString()}`, list, readAt, { entries: [...kept, entry] })) return;
      await backOff(attempt);
    }
    throw new Error(`could not list session for user ${userId.toHexString()}: too much contention`);
  }

  private async endForRoom(userId: Types.ObjectId, sessionId: string): Promise<void> {
    if (await this.revoke(sessionId, 'limit')) {
      this.events.record('session.revoked', { userId: userId.toHexString(), sessionId, reason: 'limit' });
    }
  }

  /** Entries whose session is live, or not written yet but only just listed. */
  private async withoutEnded(entries: UserSessionEntry[]): Promise<UserSessionEntry[]> {
    const now = new Date();
    const sessions = await this.readAll(entries, 'revokedAt expiresAt idleExpiresAt');
    return entries.filter((entry, i) => {
      const session = sessions[i];
      return session ? isLive(session, now) : now.getTime() - entry.at.getTime() < PENDING_ENTRY_MS;
    });
  }

  /** One read by `_id` per entry, in parallel; null where the session is missing. */
  private readAll(entries: UserSessionEntry[], fields: string): Promise<Array<StoredSession | null>> {
    return Promise.all(entries.map((entry) => this.sessions.findById(entry.id).select(fields).lean<StoredSession>().exec()));
  }

  private read(sessionId: string): Promise<StoredSession | null> {
    return this.sessions.findById(sessionId).lean<StoredSession>().exec();
  }

  /**
   * Writes the next generation of a document, or returns false when another
   * writer got there first. The claim `<key>:<generation>` makes this atomic
   * on every server (see SessionClaim), so the update itself filters on `_id`
   * alone: the one filter FerretDB v1 on SQLite serves from an index (any
   * other field makes it read the whole collection; docs/databases.md).
   *
   * A claim only serialises writers while it exists, and abandoned or spent
   * claims are removed after ABANDONED_CLAIM_MS. So a decision based on a read
   * older than half of that is never written: the writer reads again.
   */
  private async write<T extends Versioned>(
    model: Model<T>,
    claimKey: string,
    doc: T,
    readAt: number,
    changes: Partial<T>,
  ): Promise<boolean> {
    if (Date.now() - readAt > STALE_READ_MS) return false;
    const generation = doc.generation + 1;
    const claimId = `${claimKey}:${generation}`;
    try {
      // lean: a claim is two fields set here, so it skips building and validating a mongoose document.
      await this.claims.insertMany([{ _id: claimId, at: new Date() }], { lean: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.releaseIfAbandoned(claimId);
      return false;
    }
    const { matchedCount } = await model.updateOne({ _id: doc._id }, { $set: { ...changes, generation } }).exec();
    this.claimSweep.poke();
    return matchedCount === 1;
  }

  /**
   * A claim whose writer crashed before writing would block the session for
   * good; after a while it is presumed abandoned and removed (by its own
   * timestamp, so a fresh claim made meanwhile is left alone).
   */
  private async releaseIfAbandoned(claimId: string): Promise<void> {
    const claim = await this.claims.findById(claimId).lean().exec();
    if (claim && Date.now() - claim.at.getTime() > ABANDONED_CLAIM_MS) {
      await this.claims.deleteOne({ _id: claimId, at: claim.at }).exec();
    }
  }

  private idleExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.idleTtlMs, absolute.getTime()));
  }
}
