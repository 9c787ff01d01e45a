import { UnauthorizedException } from '@nestjs/common';
import { COPY } from '../views/copy';

/**
 * The caller has no valid login (no access token, an expired one, or a login
 * that has ended), as opposed to any other 401 such as a wrong current
 * password. Pages answer it by sending the browser to renew or log in, and a
 * form that was being sent comes back afterwards (docs/architecture.md).
 */
export class SignInRequired extends UnauthorizedException {
  constructor(message: string = COPY.errors.sessionEnded) {
    super(message);
  }
}
