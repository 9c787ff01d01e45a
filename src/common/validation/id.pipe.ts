import { NotFoundException, PipeTransform } from '@nestjs/common';

/**
 * A malformed id in a path names nothing: 404 at the edge, rather than a
 * CastError deep in Mongoose or a query that cannot match.
 */
export class IdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly pattern: RegExp,
    private readonly notFound: string,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) throw new NotFoundException(this.notFound);
    return value;
  }
}

/** MongoDB ObjectIds: 24 hex digits. */
export const UserIdPipe = new IdPipe(/^[a-f0-9]{24}$/i, 'No such user.');
/** Session ids: 16 random bytes in base64url (see sessions/refresh-token.ts). */
export const SessionIdPipe = new IdPipe(/^[A-Za-z0-9_-]{22}$/, 'No such session.');
