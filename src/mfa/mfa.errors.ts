import { defineErrors } from '../common/errors/app-error';

export const MfaErrors = defineErrors({
  /** The same answer for a wrong, expired or already used code: none of them says more than the others. */
  CODE_INVALID: { status: 401, message: 'That code is not right, or it has been used already.', field: 'code' },
  SETUP_CODE_INVALID: {
    status: 422,
    message: 'That code is not right. Check the time on your phone and try the newest code.',
    field: 'code',
  },
  SETUP_NOT_STARTED: { status: 409, message: 'The set-up has expired. Start it again.' },
  /** An unverified address may be someone else's: a factor added to it would outlive the owner's reset (pre-hijacking). */
  EMAIL_UNVERIFIED: { status: 403, message: 'Confirm your email address before adding a second factor.' },
  ALREADY_ENABLED: { status: 409, message: 'Two-factor authentication is already on.' },
  NOT_ENABLED: { status: 409, message: 'Two-factor authentication is not on.' },
  PENDING_LOGIN_INVALID: { status: 401, message: 'This sign-in has expired or was already used. Log in again.' },
  TOO_MANY_CODES: { status: 429, message: 'Too many wrong codes. Wait a few minutes and try again.' },
  /** Answered by ReauthRequiredFilter: a 303 to /auth/reauth for pages, `error: reauth_required` for JSON. */
  REAUTH_REQUIRED: { status: 401, message: 'Confirm it is you: enter your password again.' },
  PASSWORD_INVALID: { status: 401, message: 'That password is not correct.', field: 'password' },
  CURRENT_PASSWORD_INVALID: { status: 401, message: 'Your current password is not correct.', field: 'currentPassword' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  PASSKEY_NOT_FOUND: { status: 404, message: 'No such passkey.' },
  PASSKEY_REFUSED: { status: 401, message: 'That passkey could not be verified. Try again, or log in with your password.' },
  PASSKEY_REGISTRATION_FAILED: { status: 422, message: 'The passkey could not be registered. Try again.' },
});
