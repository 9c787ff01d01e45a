import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { durationText } from '../../common/views/copy';

/**
 * 429 in the app's own words ("Try again in 15 minutes"), with the wait in whole seconds for a plain
 * `Retry-After` header (RFC 9110 §10.2.3), which the thrower sets with
 * announce(): exception filters write only the body.
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

  announce(res: Response | undefined): this {
    res?.setHeader('Retry-After', String(this.retryAfterSeconds));
    return this;
  }
}
