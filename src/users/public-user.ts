import { Types } from 'mongoose';
import { Role, User } from './schemas/user.schema';

/** What the rest of the app may know about a user: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
  email: string;
  roles: Role[];
  disabled: boolean;
  emailVerified: boolean;
  createdAt: Date;
}

/** Accepts a hydrated document or a lean one: only plain fields are read. */
export function toPublicUser(doc: User & { _id: Types.ObjectId }): PublicUser {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    email: doc.email,
    roles: [...doc.roles],
    disabled: doc.disabled,
    // Accounts created before verification existed have no field: unverified.
    emailVerified: doc.emailVerified === true,
    createdAt: doc.createdAt,
  };
}
