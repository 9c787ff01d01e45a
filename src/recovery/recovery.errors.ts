import { defineErrors } from '../common/errors/app-error';

/** Every way a recovery, verification, address change or deletion can be refused. */
export const RecoveryErrors = defineErrors({
  /** One message for unknown, used, expired and wrong-kind links: none is told apart. */
  TOKEN_INVALID: { status: 400, message: 'This link is invalid, already used or expired. Ask for a new one.' },
  WRONG_PASSWORD: { status: 401, message: 'Your current password is not correct.', field: 'currentPassword' },
  PASSWORD_IS_USERNAME: { status: 422, message: 'Password must not be the same as your username.', field: 'newPassword' },
  SAME_EMAIL: { status: 422, message: 'That is already your email address.', field: 'newEmail' },
  EMAIL_TAKEN: { status: 409, message: 'An account with that email already exists.', field: 'newEmail' },
  LAST_ADMIN: { status: 409, message: 'You are the only admin: make someone else an admin before you delete your account.' },
  TOO_MANY_MAILS: { status: 429, message: 'Too many mails were asked for this address. Try again in 15 minutes.' },
});
