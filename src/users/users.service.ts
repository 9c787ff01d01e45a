import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { FieldErrors, FieldErrorsException } from '../common/http/field-errors.exception';
import { CreateUserDto } from './dto/create-user.dto';
import { emailKey, loginLookup, usernameKey } from './identity';
import { PasswordHasher } from './password-hasher';
import { User } from './schemas/user.schema';
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
    const doc = await this.users.findOne(loginLookup(identifier)).select('+passwordHash').exec();
    if (!doc) return this.hasher.burn(password).then(() => null);
    const matches = await this.hasher.verify(password, doc.passwordHash);
    return matches && !doc.disabled ? toUserView(doc) : null;
  }

  async findById(id: string): Promise<UserView | null> {
    const doc = await this.users.findById(id).exec();
    return doc ? toUserView(doc) : null;
  }

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

/**
 * MongoDB reports E11000 (code 11000); FerretDB v1 does the same on insert but
 * reports some violations as InternalError with the text only, so both count.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 11000 || (typeof e?.message === 'string' && /duplicate key|E11000/i.test(e.message));
}
