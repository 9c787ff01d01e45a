import { Role } from '../users/schemas/user.schema';

/** Who is calling, as proved by a valid access token; no database read needed. */
export interface AuthUser {
  id: string;
  username: string;
  email: string;
  roles: Role[];
  /** From the token: a verification made in another browser shows after this one's next refresh. */
  emailVerified: boolean;
  /** The login (refresh-token family) this access token belongs to. */
  sessionId: string;
}

/** The claims of an access token. `typ` keeps other JWTs from passing as one. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  email: string;
  roles: Role[];
  sid: string;
  /** email_verified, as OpenID Connect names it. */
  email_verified?: boolean;
  typ: 'access';
  iat?: number;
  exp?: number;
}
