import { Role, UserDocument } from './schemas/user.schema';

/** What the rest of the app may know about a user: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  email: string;
  roles: Role[];
  disabled: boolean;
  createdAt: Date;
}

export function toUserView(doc: UserDocument): UserView {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    email: doc.email,
    roles: [...doc.roles],
    disabled: doc.disabled,
    createdAt: doc.createdAt,
  };
}
