import { defineErrors } from '../common/errors/app-error';

export const AuthErrors = defineErrors({
  /** One message for every failure, so it never tells which half was wrong. */
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid username or password.' },
  REFRESH_REJECTED: { status: 401, message: 'The refresh token is invalid, expired or revoked. Log in again.' },
  /** Contention is not the client's fault: it keeps its cookies and may retry. */
  REFRESH_BUSY: { status: 503, message: 'Too many refreshes at once. Try again.' },
});
