import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { FieldErrors, FieldErrorsException } from '../common/http/field-errors.exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { CreateUserDto } from './dto/create-user.dto';
import { fitsBcrypt } from './password-policy';
import { emailKey, loginLookup, usernameKey } from './identity';
import { PasswordHasher } from './password-hasher';
import { Role, User } from './schemas/user.schema';
import { toUserView, UserView } from './user.view';

const TAKEN: Record<'usernameKey' | 'emailKey', FieldErrors> = {
  usernameKey: { username: 'That username is taken.' },
  emailKey: { email: 'An account with that email already exists.' },
};

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Uniqueness lives in these indexes, so nothing is served before they exist. */
  async onModuleInit(): Promise<void> {
    await this.users.createIndexes();
  }

  async create(dto: CreateUserDto): Promise<UserView> {
    const keys = { usernameKey: usernameKey(dto.username), emailKey: emailKey(dto.email) };
    // A friendly early answer that names every taken field; the unique
    // indexes below are what actually decide a race between two sign-ups.
    await this.assertAvailable(keys);
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const doc = await this.users.create({ username: dto.username, email: dto.email, passwordHash, ...keys });
      return toUserView(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) await this.assertAvailable(keys, true);
      throw error;
    }
  }

  /**
   * The one place a password is compared. Unknown users cost the same bcrypt
   * work as known ones, and a disabled user is refused only after the
   * comparison, so neither can be told apart from a wrong password.
   */
  async authenticate(identifier: string, password: string): Promise<UserView | null> {
    const doc = await this.users.findOne(loginLookup(identifier)).select('+passwordHash').lean().exec();
    // No stored password is longer than bcrypt's 72 bytes, and bcrypt would
    // compare only the first 72 of a longer one: refuse it, at equal cost.
    if (!doc || !fitsBcrypt(password)) return this.hasher.burn(password).then(() => null);
    const matches = await this.hasher.verify(password, doc.passwordHash);
    return matches && !doc.disabled ? toUserView(doc) : null;
  }

  /**
   * The id of the account a login identifier (username or email) names, or
   * null. Reads the id only, by the same unique key that authenticate() uses,
   * so throttling can count per account before any password work.
   */
  async accountIdFor(identifier: string): Promise<string | null> {
    const doc = await this.users.findOne(loginLookup(identifier)).select('_id').lean().exec();
    return doc ? String(doc._id) : null;
  }

  async findById(id: string): Promise<UserView | null> {
    const doc = await this.users.findById(id).exec();
    return doc ? toUserView(doc) : null;
  }

  /** false when the current password is wrong; the hash is replaced only after it matched. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<boolean> {
    const doc = await this.users.findById(userId).select('+passwordHash').exec();
    if (!doc || !fitsBcrypt(currentPassword) || !(await this.hasher.verify(currentPassword, doc.passwordHash))) return false;
    const passwordHash = await this.hasher.hash(newPassword);
    await this.users.updateOne({ _id: doc._id }, { $set: { passwordHash } }).exec();
    return true;
  }

  async findByUsername(username: string): Promise<UserView | null> {
    const doc = await this.users.findOne({ usernameKey: usernameKey(username) }).exec();
    return doc ? toUserView(doc) : null;
  }

  /** Adds a role; an atomic $addToSet, so promoting twice is harmless. */
  async grantRole(userId: string, role: Role): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $addToSet: { roles: role } }).exec();
  }

  /** updateOne then a read: FerretDB v1 has no projection on findAndModify, which select:false would add. */
  async setDisabled(userId: string, disabled: boolean): Promise<UserView | null> {
    const { matchedCount } = await this.users.updateOne({ _id: userId }, { $set: { disabled } }).exec();
    return matchedCount === 1 ? this.findById(userId) : null;
  }

  /**
   * Case-insensitive substring search on username and email. The query is
   * regex-escaped, so `.*` or `(a+)+` match literally and cannot be used
   * for a ReDoS or to list everyone.
   */
  async search(query: string, page: number, pageSize: number): Promise<{ users: UserView[]; total: number }> {
    const needle = query.normalize('NFKC').trim().toLowerCase();
    const pattern = trusted({ $regex: escapeRegExp(needle) });
    const filter = needle ? { $or: [{ usernameKey: pattern }, { emailKey: pattern }] } : {};
    const [docs, total] = await Promise.all([
      this.users.find(filter).sort({ usernameKey: 1 }).skip((page - 1) * pageSize).limit(pageSize).exec(),
      this.users.countDocuments(filter).exec(),
    ]);
    return { users: docs.map(toUserView), total };
  }

  // ---- Account recovery and verified email (src/recovery/) -------------------------------

  async findByEmail(email: string): Promise<UserView | null> {
    const doc = await this.users.findOne({ emailKey: emailKey(email) }).lean().exec();
    return doc ? toUserView(doc) : null;
  }

  /** The user when the password is theirs, else null; a missing user costs the same bcrypt work. */
  async verifyPassword(userId: string, password: string): Promise<UserView | null> {
    const doc = await this.users.findById(userId).select('+passwordHash').lean().exec();
    if (!doc || !fitsBcrypt(password)) return this.hasher.burn(password).then(() => null);
    return (await this.hasher.verify(password, doc.passwordHash)) ? toUserView(doc) : null;
  }

  /** Sets a new password without the old one: only for a proven reset link. */
  async setPasswordById(userId: string, newPassword: string): Promise<boolean> {
    const passwordHash = await this.hasher.hash(newPassword);
    const { matchedCount } = await this.users.updateOne({ _id: userId }, { $set: { passwordHash } }).exec();
    return matchedCount === 1;
  }

  /** Marks the address verified only while it is still the one the link was sent to. */
  async markEmailVerified(userId: string, email: string): Promise<boolean> {
    const { matchedCount } = await this.users
      .updateOne({ _id: userId, emailKey: emailKey(email) }, { $set: { emailVerified: true } })
      .exec();
    return matchedCount === 1;
  }

  /** Whether another account holds this address (the friendly early answer; see changeEmail). */
  async emailTaken(email: string, exceptUserId?: string): Promise<boolean> {
    const doc = await this.users.findOne({ emailKey: emailKey(email) }).select('_id').lean().exec();
    return doc !== null && doc._id.toHexString() !== exceptUserId;
  }

  /**
   * Moves the account to a confirmed new address. The unique index on
   * emailKey decides when two accounts race for one address: the loser
   * gets 'taken' here, at confirmation, not only when asking.
   */
  async changeEmail(userId: string, newEmail: string): Promise<UserView | 'taken' | null> {
    try {
      const { matchedCount } = await this.users
        .updateOne({ _id: userId }, { $set: { email: newEmail, emailKey: emailKey(newEmail), emailVerified: true } })
        .exec();
      return matchedCount === 1 ? this.findById(userId) : null;
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'taken';
      throw error;
    }
  }

  async deleteUser(userId: string): Promise<boolean> {
    const { deletedCount } = await this.users.deleteOne({ _id: userId }).exec();
    return deletedCount === 1;
  }

  async countAdmins(): Promise<number> {
    return this.users.countDocuments({ roles: 'admin' }).exec();
  }

  // -----------------------------------------------------------------------------------------

  private async assertAvailable(keys: { usernameKey: string; emailKey: string }, raced = false): Promise<void> {
    const clashes = await this.users
      .find({ $or: [{ usernameKey: keys.usernameKey }, { emailKey: keys.emailKey }] })
      .select('usernameKey emailKey')
      .lean()
      .exec();
    const errors: FieldErrors = {};
    for (const clash of clashes) {
      if (clash.usernameKey === keys.usernameKey) Object.assign(errors, TAKEN.usernameKey);
      if (clash.emailKey === keys.emailKey) Object.assign(errors, TAKEN.emailKey);
    }
    // After a lost race the winner may not be visible yet; the index said no.
    if (raced && Object.keys(errors).length === 0) Object.assign(errors, TAKEN.usernameKey);
    if (Object.keys(errors).length > 0) throw new FieldErrorsException(HttpStatus.CONFLICT, errors);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
