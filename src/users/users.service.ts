import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../common/errors/app-error';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { CreateUserDto } from './dto/create-user.dto';
import { canonicalEmail, emailKey, identityId, loginLookup, usernameKey } from './identity';
import { PasswordHasher } from './password-hasher';
import { fitsBcrypt } from './password-policy';
import { Identity } from './schemas/identity.schema';
import { Role, User } from './schemas/user.schema';
import { toPublicUser, PublicUser } from './public-user';
import { UsersErrors } from './users.errors';

type Kind = 'username' | 'email';
type Keys = Record<Kind, string>;
type StoredUser = User & { _id: Types.ObjectId };

const KEY_FIELD = { username: 'usernameKey', email: 'emailKey' } as const;

const TAKEN = { username: UsersErrors.USERNAME_TAKEN, email: UsersErrors.EMAIL_TAKEN } as const;

/**
 * An identity whose user does not hold its name was left behind by a write
 * that never finished; only once it is this old, so a sign-up in progress
 * (name reserved, user not yet written) is never mistaken for one.
 */
const ABANDONED_IDENTITY_MS = 60_000;
const RELEASE_RETRY_MS = 1_000;
const BACKFILL_BATCH = 100;
/** An id no user has: the stand-in read for a name that names nobody. */
const NO_USER = new Types.ObjectId('000000000000000000000000');

/**
 * Users are read by `_id` only, on every hot path: a login or a sign-up goes
 * through the identity documents (schemas/identity.schema.ts), which are also
 * what makes a name unique. See docs/databases.md.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(Identity.name) private readonly identities: Model<Identity>,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Uniqueness lives in these indexes and identities, so nothing is served before they exist. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.users.createIndexes(), this.identities.createIndexes()]);
    await this.backfillIdentities();
  }

  async create(dto: CreateUserDto): Promise<PublicUser> {
    const keys: Keys = { username: usernameKey(dto.username), email: emailKey(dto.email) };
    // A friendly early answer that names every taken field, before any bcrypt
    // work; the identity inserts below are what decide a race.
    await this.assertAvailable(keys);
    const passwordHash = await this.hasher.hash(dto.password);
    const _id = new Types.ObjectId();
    // One after the other, always in this order: reserved at once, two
    // identical sign-ups could each take one name and both lose.
    for (const kind of ['username', 'email'] as const) {
      if (!(await this.reserve(kind, keys[kind], _id))) {
        await this.releaseAll(_id, keys);
        throw taken([kind]);
      }
    }
    try {
      const doc = await this.users.create({
        _id,
        username: dto.username,
        email: dto.email,
        passwordHash,
        usernameKey: keys.username,
        emailKey: keys.email,
      });
      return toPublicUser(doc);
    } catch (error) {
      await this.releaseAfterFailure(_id, keys);
      // Only users written before identities existed can clash here.
      if (isDuplicateKeyError(error)) throw taken(['username']);
      throw error;
    }
  }

  /**
   * Checks a login's password (changePassword and verifyPassword check one
   * too; all three go through PasswordHasher, the only code in src/ that runs
   * bcrypt). Unknown users cost the same bcrypt work as known ones, and a
   * disabled user is refused only after the comparison, so neither can be
   * told apart from a wrong password.
   * `admit` hears the id of the account the identifier names (or null)
   * before any bcrypt work, so a throttle can count per account, and refuse,
   * without reading the user a second time.
   */
  async authenticate<Admitted>(
    identifier: string,
    password: string,
    admit: (accountId: string | null) => Promise<Admitted>,
  ): Promise<{ user: PublicUser | null; admitted: Admitted }> {
    const doc = await this.findByIdentifier(identifier);
    const admitted = await admit(doc ? doc._id.toHexString() : null);
    // No stored password is longer than bcrypt's 72 bytes, and bcrypt would
    // compare only the first 72 of a longer one: refuse it, at equal cost.
    if (!doc || !fitsBcrypt(password)) return this.hasher.burn(password).then(() => ({ user: null, admitted }));
    const matches = await this.hasher.verify(password, doc.passwordHash);
    return { user: matches && !doc.disabled ? toPublicUser(doc) : null, admitted };
  }

  async findById(id: string): Promise<PublicUser | null> {
    const doc = await this.users.findById(id).lean<StoredUser>().exec();
    return doc ? toPublicUser(doc) : null;
  }

  /** The user, or null when the current password is wrong; the hash is replaced only after it matched. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<PublicUser | null> {
    const doc = await this.users.findById(userId).select('+passwordHash').exec();
    if (!doc || !fitsBcrypt(currentPassword) || !(await this.hasher.verify(currentPassword, doc.passwordHash))) return null;
    const passwordHash = await this.hasher.hash(newPassword);
    await this.users.updateOne({ _id: doc._id }, { $set: { passwordHash, passwordChangedAt: new Date() } }).exec();
    return toPublicUser(doc);
  }

  async findByUsername(username: string): Promise<PublicUser | null> {
    const doc = await this.findByKey('username', usernameKey(username));
    return doc ? toPublicUser(doc) : null;
  }

  /**
   * Moves a user to a confirmed new address: the address is reserved first
   * (so when two accounts race for it, the loser learns it here, at
   * confirmation), then the user changes, then the old address is freed.
   * The link that confirmed it proves the new address. Null when there is no
   * such user.
   */
  async changeEmail(userId: string, newEmail: string): Promise<PublicUser | 'taken' | null> {
    const user = await this.users.findById(userId).lean<StoredUser>().exec();
    if (!user) return null;
    const key = emailKey(newEmail);
    if (key !== user.emailKey && !(await this.reserve('email', key, user._id))) return 'taken';
    try {
      await this.users
        .updateOne({ _id: user._id }, { $set: { email: canonicalEmail(newEmail), emailKey: key, emailVerified: true } })
        .exec();
    } catch (error) {
      if (key !== user.emailKey) await this.release('email', key, user._id);
      if (isDuplicateKeyError(error)) return 'taken';
      throw error;
    }
    if (key !== user.emailKey) await this.release('email', user.emailKey, user._id);
    return this.findById(userId);
  }

  async findByEmail(email: string): Promise<PublicUser | null> {
    const doc = await this.findByKey('email', emailKey(email));
    return doc ? toPublicUser(doc) : null;
  }

  /** The user when the password is theirs, else null; a missing user costs the same bcrypt work. */
  async verifyPassword(userId: string, password: string): Promise<PublicUser | null> {
    const doc = await this.users.findById(userId).select('+passwordHash').lean<StoredUser>().exec();
    if (!doc || !fitsBcrypt(password)) return this.hasher.burn(password).then(() => null);
    return (await this.hasher.verify(password, doc.passwordHash)) ? toPublicUser(doc) : null;
  }

  /** When the password was last set (null: never since sign-up); a link mailed before then is dead. */
  async passwordChangedAt(userId: string): Promise<Date | null> {
    const doc = await this.users.findById(userId).select('passwordChangedAt').lean<StoredUser>().exec();
    return doc?.passwordChangedAt ?? null;
  }

  /** Sets a new password without the old one: only for a proven reset link. */
  async setPasswordById(userId: string, newPassword: string): Promise<boolean> {
    const passwordHash = await this.hasher.hash(newPassword);
    const { matchedCount } = await this.users.updateOne({ _id: userId }, { $set: { passwordHash, passwordChangedAt: new Date() } }).exec();
    return matchedCount === 1;
  }

  /** Marks the address verified only while it is still the one the link was sent to. */
  async markEmailVerified(userId: string, email: string): Promise<boolean> {
    const { matchedCount } = await this.users
      .updateOne({ _id: userId, emailKey: emailKey(email) }, { $set: { emailVerified: true } })
      .exec();
    return matchedCount === 1;
  }

  /** Whether another account holds this address: the friendly early answer (changeEmail decides). */
  async emailTaken(email: string, exceptUserId?: string): Promise<boolean> {
    const holder = await this.findByKey('email', emailKey(email));
    return holder !== null && holder._id.toHexString() !== exceptUserId;
  }

  /** A rare path (deleting an admin), so a scan is acceptable here. */
  countAdmins(): Promise<number> {
    return this.users.countDocuments({ roles: 'admin' }).exec();
  }

  /** Deletes the user and frees their username and email. false when there was no such user. */
  async deleteUser(userId: string): Promise<boolean> {
    const user = await this.users.findById(userId).lean<StoredUser>().exec();
    if (!user) return false;
    await this.users.deleteOne({ _id: user._id }).exec();
    await this.releaseAll(user._id, { username: user.usernameKey, email: user.emailKey });
    return true;
  }

  /** Adds a role; an atomic $addToSet, so promoting twice is harmless. */
  async grantRole(userId: string, role: Role): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $addToSet: { roles: role } }).exec();
  }

  /** updateOne then a read: FerretDB v1 has no projection on findAndModify, which select:false would add. */
  async setDisabled(userId: string, disabled: boolean): Promise<PublicUser | null> {
    const { matchedCount } = await this.users.updateOne({ _id: userId }, { $set: { disabled } }).exec();
    return matchedCount === 1 ? this.findById(userId) : null;
  }

  /**
   * Case-insensitive substring search on username and email. The query is
   * regex-escaped, so `.*` or `(a+)+` match literally and cannot be used
   * for a ReDoS or to list everyone. A substring match reads every user (an
   * index cannot serve it); the page size bounds what is returned.
   */
  async search(query: string, page: number, pageSize: number): Promise<{ users: PublicUser[]; total: number }> {
    const needle = query.normalize('NFKC').trim().toLowerCase();
    const pattern = trusted({ $regex: escapeRegExp(needle) });
    const filter = needle ? { $or: [{ usernameKey: pattern }, { emailKey: pattern }] } : {};
    const [docs, total] = await Promise.all([
      this.users
        .find(filter)
        .sort({ usernameKey: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<StoredUser[]>()
        .exec(),
      this.users.countDocuments(filter).exec(),
    ]);
    return { users: docs.map(toPublicUser), total };
  }

  /** Two reads by `_id`: the identity the identifier names, then its user, password hash included. */
  private findByIdentifier(identifier: string): Promise<StoredUser | null> {
    const lookup = loginLookup(identifier);
    return 'emailKey' in lookup ? this.findByKey('email', lookup.emailKey, true) : this.findByKey('username', lookup.usernameKey, true);
  }

  private async findByKey(kind: Kind, key: string, withPassword = false): Promise<StoredUser | null> {
    const identity = await this.identities.findById(identityId(kind, key)).lean().exec();
    // An unknown name costs the same two round trips as a known one, so the time of a login does not tell
    // whether the account exists (the timing test in test/security/enumeration.spec.ts).
    const query = this.users.findById(identity?.userId ?? NO_USER);
    const doc = await (withPassword ? query.select('+passwordHash') : query).lean<StoredUser>().exec();
    if (!identity) return null;
    // The user is the truth: an identity it no longer matches is left over.
    return doc && doc[KEY_FIELD[kind]] === key ? doc : null;
  }

  /** Inserts the identity; false when someone else holds the name. Takes over one left behind by a crash. */
  private async reserve(kind: Kind, key: string, userId: Types.ObjectId): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.identities.create({ _id: identityId(kind, key), userId, at: new Date() });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (!(await this.removeIfAbandoned(kind, key))) return false;
    }
    return false;
  }

  /** Whether the name is held by someone (or being reserved right now). */
  private async isHeld(kind: Kind, key: string): Promise<boolean> {
    const identity = await this.identities.findById(identityId(kind, key)).lean().exec();
    if (!identity) return false;
    if (Date.now() - identity.at.getTime() < ABANDONED_IDENTITY_MS) return true;
    const holder = await this.users.findById(identity.userId).select(KEY_FIELD[kind]).lean<StoredUser>().exec();
    return holder?.[KEY_FIELD[kind]] === key;
  }

  private async removeIfAbandoned(kind: Kind, key: string): Promise<boolean> {
    const identity = await this.identities.findById(identityId(kind, key)).lean().exec();
    if (!identity) return true;
    if (await this.isHeld(kind, key)) return false;
    await this.release(kind, key, identity.userId);
    return true;
  }

  /**
   * Frees a name, only if this user still holds it. Filtering on userId as
   * well reads more than the `_id` index on FerretDB SQLite; it runs only on
   * rare paths (a lost sign-up race, an email change, a deletion).
   */
  private async release(kind: Kind, key: string, userId: Types.ObjectId): Promise<void> {
    await this.identities.deleteOne({ _id: identityId(kind, key), userId }).exec();
  }

  private async releaseAll(userId: Types.ObjectId, keys: Keys): Promise<void> {
    await Promise.all([this.release('username', keys.username, userId), this.release('email', keys.email, userId)]);
  }

  /**
   * Frees the names of a sign-up that could not write its user. When the
   * database itself failed, the release fails too; it is then retried in the
   * background, so the names come free as soon as the database answers
   * again, not once they are presumed abandoned a minute later. The caller
   * still reports the original failure.
   */
  private async releaseAfterFailure(userId: Types.ObjectId, keys: Keys): Promise<void> {
    const tryRelease = () =>
      this.releaseAll(userId, keys).then(
        () => true,
        () => false,
      );
    if (await tryRelease()) return;
    void (async () => {
      const giveUpAt = Date.now() + ABANDONED_IDENTITY_MS;
      while (Date.now() < giveUpAt) {
        await sleep(RELEASE_RETRY_MS);
        if (await tryRelease()) return;
      }
    })();
  }

  private async assertAvailable(keys: Keys): Promise<void> {
    const held = await Promise.all((['username', 'email'] as const).map((kind) => this.isHeld(kind, keys[kind])));
    const lost = (['username', 'email'] as const).filter((_, i) => held[i]);
    if (lost.length > 0) throw taken(lost);
  }

  /**
   * A database written before identities existed gets them once, at start-up
   * (idempotent: an identity already there is left alone).
   */
  private async backfillIdentities(): Promise<void> {
    const [users, identities] = await Promise.all([this.users.estimatedDocumentCount(), this.identities.estimatedDocumentCount()]);
    if (identities >= 2 * users) return;
    this.logger.log(`Adding username and email identities for ${users} users`);
    let batch: Promise<unknown>[] = [];
    for await (const user of this.users.find().select('usernameKey emailKey createdAt').lean<StoredUser>().cursor()) {
      for (const kind of ['username', 'email'] as const) {
        const doc = { _id: identityId(kind, user[KEY_FIELD[kind]]), userId: user._id, at: user.createdAt ?? new Date(0) };
        batch.push(
          this.identities.create(doc).catch((error: unknown) => {
            if (!isDuplicateKeyError(error)) throw error;
          }),
        );
      }
      if (batch.length >= BACKFILL_BATCH) batch = await Promise.all(batch).then(() => []);
    }
    await Promise.all(batch);
  }
}

/** One 409 that names every taken field, as a sign-up form shows them. */
function taken(kinds: Kind[]): AppError {
  const specs = kinds.map((kind) => TAKEN[kind]);
  const message = specs.map((spec) => spec.message).join(' ');
  return new AppError({ ...specs[0], message }, Object.fromEntries(specs.map((spec) => [spec.field, spec.message])));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
