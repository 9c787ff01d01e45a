import { HttpException, HttpStatus } from '@nestjs/common';
import { durationText } from '../../common/views/copy';

/**
 * 429 in the app's own words ("Try again in 15 minutes"), with the wait in
 * whole seconds, which the error filters send as `Retry-After` (setRetryAfter).
 */
export class TooManyAttempts extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(seconds: number) {
    const wait = Math.max(1, Math.ceil(seconds));
    super(
      { statusCode: HttpStatus.TOO_MANY_REQUESTS, message: `Too many attempts. Try again in ${durationText(wait)}.` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.retryAfterSeconds = wait;
  }
}
