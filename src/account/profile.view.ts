import { Types } from 'mongoose';
import { AuthUser } from '../auth/auth-user';

export interface ProfileJson {
  id: string;
  username: string;
  email: string;
  roles: string[];
  emailVerified: boolean;
  memberSince: string;
}

/**
 * Built from the access token alone, so reading the profile costs no
 * database round-trip. The sign-up date is the creation time that MongoDB
 * writes into every ObjectId, so it needs no claim of its own.
 */
export function toProfile(user: AuthUser): ProfileJson {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    roles: user.roles,
    emailVerified: user.emailVerified,
    memberSince: new Types.ObjectId(user.id).getTimestamp().toISOString(),
  };
}

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

export function profilePage(profile: ProfileJson) {
  return { title: 'Your profile', profile, memberSinceText: DATE.format(new Date(profile.memberSince)), rolesText: profile.roles.join(', ') };
}
