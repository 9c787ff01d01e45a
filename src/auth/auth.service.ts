import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../common/http/request-kind';
import { EmailVerificationService } from '../recovery/email-verification.service';
import { SecurityEvents } from '../security/security-events';
import { LoginThrottle } from '../security/throttling/login-throttle';
import { IssuedRefreshToken, RefreshRejected, SessionsService } from '../sessions/sessions.service';
import { CreateUserDto } from '../users/dto/create-user.dto';
import { PublicUser } from '../users/public-user';
import { UsersService } from '../users/users.service';
import { TokenPair } from './token-response';
import { TokensService } from './tokens.service';

/** What a login proved, as its `login.succeeded` event says. */
export type LoginProof = 'password' | 'second factor' | 'passkey' | 'sign-up';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly events: SecurityEvents,
    private readonly verification: EmailVerificationService,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * The password half of a login; `login.succeeded` is recorded only once a
   * session starts (see login). `admit` is UsersService.authenticate's.
   */
  async validateUser<Admitted>(
    identifier: string,
    password: string,
    client: ClientInfo,
    admit: (accountId: string | null) => Promise<Admitted>,
  ): Promise<{ user: PublicUser | null; admitted: Admitted }> {
    const result = await this.users.authenticate(identifier, password, admit);
    if (!result.user) this.events.record('login.failed', { username: identifier.slice(0, 64), ip: client.ip });
    return result;
  }

  async signup(dto: CreateUserDto, client: ClientInfo): Promise<TokenPair> {
    const user = await this.users.create(dto);
    this.verification.sendAfterSignup(user);
    return this.login(user, client, false, 'sign-up');
  }

  /**
   * Starts a session for a user who has proved everything owed: the one
   * place `login.succeeded` is recorded, so a right password alone, with a
   * second factor still owed, never counts as a login in the security log.
   * It earns an API client its device token, as AuthCookies gives a browser
   * its device cookie.
   */
  async login(user: PublicUser, client: ClientInfo, persistent: boolean, proof: LoginProof): Promise<TokenPair> {
    const pair = await this.pair(user, await this.sessions.create(user.id, client, persistent));
    this.events.record('login.succeeded', { userId: user.id, ip: client.ip, reason: proof });
    return { ...pair, deviceToken: this.throttle.newDeviceToken(user.id) };
  }

  /**
   * Rotates the refresh token and re-reads the user, so roles and a disabled
   * flag take effect at the next refresh at the latest.
   */
  async refresh(refreshToken: unknown, client: ClientInfo): Promise<TokenPair> {
    const { issued, owner: user } = await this.sessions.refresh(refreshToken, client, (userId) => this.users.findById(userId));
    if (!user || user.disabled) {
      await this.sessions.revoke(issued.sessionId, 'admin');
      throw new RefreshRejected('revoked');
    }
    return this.pair(user, issued);
  }

  /**
   * Ends the login named by the access token, or else the one whose refresh
   * token is presented: that one must be a token the login can still use, as
   * its session id alone is no secret.
   */
  async logout(sessionId: string | undefined, refreshToken: string | undefined): Promise<void> {
    const ended = sessionId
      ? (await this.sessions.revoke(sessionId, 'logout')) && { sessionId }
      : await this.sessions.revokeWithToken(refreshToken, 'logout');
    if (ended) this.events.record('session.revoked', { sessionId: ended.sessionId, reason: 'logout' });
  }

  private async pair(user: PublicUser, issued: IssuedRefreshToken): Promise<TokenPair> {
    return {
      userId: user.id,
      accessToken: await this.tokens.signAccess(user, issued.sessionId),
      refreshToken: issued.token,
      expiresIn: this.tokens.accessTtlSeconds,
      persistent: issued.persistent,
      refreshExpiresAt: issued.expiresAt,
    };
  }
}
