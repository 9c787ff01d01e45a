import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { UsersService } from '../users/users.service';
import { LinkToken, LinkTokenKind, LinkTokenUse } from './schemas/link-token.schema';

/** 256 random bits, twice OWASP's floor of 128 (Forgot Password Cheat Sheet, ASVS 6.4.1). */
const TOKEN_BYTES = 32;
/** base64url of 32 bytes; anything else is refused before a database read. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ValidLink {
  userId: string;
  email: string;
  kind: LinkTokenKind;
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Single-use tokens for links in mail. Only a hash is stored; the kind is
 * checked on every use, so a verification link never works as a reset link;
 * expiry is checked here in code (a TTL index, where the server has one,
 * only tidies up).
 */
@Injectable()
export class LinkTokens implements OnModuleInit {
  private readonly logger = new Logger(LinkTokens.name);

  constructor(
    @InjectModel(LinkToken.name) private readonly tokens: Model<LinkToken>,
    @InjectModel(LinkTokenUse.name) private readonly uses: Model<LinkTokenUse>,
    private readonly users: UsersService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.tokens.createIndexes();
    await this.tokens.collection
      .createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiresAt_ttl' })
      .catch((error: Error) => this.logger.log(`No TTL index for link tokens (${error.message}); expired ones stay until removed`));
  }

  /** A new token for a link; the caller mails it and forgets it. */
  async issue(kind: LinkTokenKind, userId: string, email: string, ttlSeconds: number): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = new Date();
    await this.tokens.create({
      _id: hashLinkToken(token),
      kind,
      userId: new Types.ObjectId(userId),
      email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    });
    return token;
  }

  /**
   * What a link would do, without using it: GET pages call this, so a mail
   * scanner changes nothing. A link mailed before the account's password was
   * last set is dead, whatever its kind: whoever asked for it may have been
   * the reason the owner changed the password. Every
   * link is also deleted at that moment (revokeAll); this check closes the
   * race with a link issued at the same time.
   */
  async peek(kinds: readonly LinkTokenKind[], token: unknown): Promise<ValidLink | null> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
    const doc = await this.tokens.findById(hashLinkToken(token)).lean().exec();
    if (!doc || !kinds.includes(doc.kind) || doc.expiresAt.getTime() <= Date.now()) return null;
    const userId = doc.userId.toHexString();
    const passwordChangedAt = await this.users.passwordChangedAt(userId);
    if (passwordChangedAt && doc.createdAt.getTime() <= passwordChangedAt.getTime()) return null;
    return { userId, email: doc.email, kind: doc.kind };
  }

  /**
   * Uses a link once. The claim insert is what makes it single use: of two
   * concurrent uses, exactly one insert succeeds. The token is then deleted.
   */
  async consume(kinds: readonly LinkTokenKind[], token: unknown): Promise<ValidLink | null> {
    const link = await this.peek(kinds, token);
    if (!link) return null;
    const id = hashLinkToken(token as string);
    try {
      await this.uses.create({ _id: id, at: new Date() });
    } catch (error) {
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
    await this.tokens.deleteOne({ _id: id }).exec();
    return link;
  }

  /** Ends every outstanding link of these kinds for the user, such as the other reset links after a reset. */
  async revokeAll(userId: string, kinds: readonly LinkTokenKind[]): Promise<void> {
    // trusted(): the app runs Mongoose with sanitizeFilter, which would strip a bare $in.
    await this.tokens.deleteMany({ userId: new Types.ObjectId(userId), kind: trusted({ $in: [...kinds] }) }).exec();
  }
}
