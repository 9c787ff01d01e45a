import { NotFoundException, PipeTransform } from '@nestjs/common';

/**
 * A malformed id in a path names nothing: 404 at the edge, rather than a
 * CastError deep in Mongoose or a query that cannot match. A well-formed one
 * comes out in its one canonical spelling, so handlers may compare ids as
 * strings ("is this the admin's own id?") while the database, which matches
 * an ObjectId in either case, would not tell the spellings apart.
 */
export class IdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly pattern: RegExp,
    private readonly notFound: string,
    private readonly canonical: (id: string) => string = (id) => id,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) throw new NotFoundException(this.notFound);
    return this.canonical(value);
  }
}

/** MongoDB ObjectIds: 24 hex digits, written in lower case as ObjectId#toHexString() does. */
export const UserIdPipe = new IdPipe(/^[a-f0-9]{24}$/i, 'No such user.', (id) => id.toLowerCase());
/** Session ids: 16 random bytes in base64url (see sessions/refresh-token.ts). */
export const SessionIdPipe = new IdPipe(/^[A-Za-z0-9_-]{22}$/, 'No such session.');
