import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import {
  AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { Model, trusted } from 'mongoose';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/env.validation';
import { BackgroundSweep } from '../database/background-sweep';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { SecurityEvents } from '../security/security-events';
import { FactorClaims } from './factor-claims';
import { FactorNotices } from './factor-notices';
import { MfaErrors } from './mfa.errors';
import { Passkey } from './schemas/passkey.schema';
import { ChallengePurpose, WebauthnChallenge } from './schemas/webauthn-challenge.schema';

const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = 'Latchkey';

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * WebAuthn with @simplewebauthn/server. The relying party is APP_URL: its
 * origin is the only accepted origin and its host the RP ID. User
 * verification is required, so a passkey sign-in is a full, two-factor
 * login (something you have, unlocked by something you know or are).
 */
@Injectable()
export class PasskeysService {
  private readonly origin: string;
  private readonly rpId: string;

  /** Unanswered challenges are only clutter once expired (the login page asks for one at every view). */
  private readonly challengeSweep = new BackgroundSweep((now) => this.challenges.deleteMany({ expiresAt: trusted({ $lt: now }) }).exec());

  constructor(
    @InjectModel(Passkey.name) private readonly passkeys: Model<Passkey>,
    @InjectModel(WebauthnChallenge.name) private readonly challenges: Model<WebauthnChallenge>,
    private readonly claims: FactorClaims,
    private readonly events: SecurityEvents,
    private readonly notices: FactorNotices,
    config: ConfigService<AppConfig, true>,
  ) {
    const appUrl = new URL(config.get('appUrl', { infer: true }));
    this.origin = appUrl.origin;
    this.rpId = appUrl.hostname;
  }

  async list(userId: string): Promise<PasskeySummary[]> {
    const docs = await this.passkeys.find({ userId }).sort({ createdAt: 1 }).lean().exec();
    return docs.map((d) => ({ id: d._id, name: d.name, createdAt: d.createdAt, lastUsedAt: d.lastUsedAt }));
  }

  async registrationOptions(user: { id: string; username: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.passkeys.find({ userId: user.id }).select('_id transports').lean().exec();
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: this.rpId,
      userName: user.username,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p._id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    await this.saveChallenge(options.challenge, 'register', user.id);
    return options;
  }

  async register(userId: string, name: string, response: RegistrationResponseJSON): Promise<PasskeySummary> {
    const challenge = await this.spendChallenge(response, 'register', userId, MfaErrors.PASSKEY_REGISTRATION_FAILED);
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified) throw new AppError(MfaErrors.PASSKEY_REGISTRATION_FAILED);
    const { credential, credentialBackedUp } = verification.registrationInfo;
    const now = new Date();
    try {
      await this.passkeys.create({
        _id: credential.id,
        userId,
        name,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        createdAt: now,
        lastUsedAt: null,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new AppError(MfaErrors.PASSKEY_REGISTRATION_FAILED);
      throw error;
    }
    this.events.record('passkey.added', { userId });
    await this.notices.send(userId, `a passkey named "${name}" was added`);
    return { id: credential.id, name, createdAt: now, lastUsedAt: null };
  }

  /**
   * Options for a sign-in (any discoverable passkey of this site, for the
   * button and for autofill) or a re-authentication (this user's passkeys).
   */
  async authenticationOptions(
    purpose: Exclude<ChallengePurpose, 'register'>,
    userId?: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const own = userId ? await this.passkeys.find({ userId }).select('_id transports').lean().exec() : [];
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      userVerification: 'required',
      allowCredentials: own.map((p) => ({ id: p._id, transports: p.transports as never })),
    });
    await this.saveChallenge(options.challenge, purpose, userId ?? null);
    return options;
  }

  /** The id of the user whose passkey signed the challenge; refuses clones and unknown keys. */
  async authenticate(
    response: AuthenticationResponseJSON,
    purpose: Exclude<ChallengePurpose, 'register'>,
    userId?: string,
  ): Promise<string> {
    const challenge = await this.spendChallenge(response, purpose, userId ?? null, MfaErrors.PASSKEY_REFUSED);
    const passkey = typeof response?.id === 'string' ? await this.passkeys.findById(response.id).lean().exec() : null;
    if (!passkey || (userId && passkey.userId !== userId)) throw new AppError(MfaErrors.PASSKEY_REFUSED);

    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: true,
        credential: {
          id: passkey._id,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: passkey.counter,
          transports: passkey.transports,
        },
      });
    } catch (error) {
      if (/counter/i.test((error as Error).message)) this.cloneDetected(passkey);
      throw new AppError(MfaErrors.PASSKEY_REFUSED);
    }
    if (!verification.verified) throw new AppError(MfaErrors.PASSKEY_REFUSED);
    const { newCounter } = verification.authenticationInfo;
    // Two sign-ins presenting the same counter value at once: only one is the
    // authenticator, the other a copy of its signature or of the key.
    if (newCounter > 0 && !(await this.claims.claim(`${passkey._id}:counter:${newCounter}`, { userId: passkey.userId }))) {
      this.cloneDetected(passkey);
      throw new AppError(MfaErrors.PASSKEY_REFUSED);
    }
    await this.passkeys.updateOne({ _id: passkey._id }, { $set: { counter: newCounter, lastUsedAt: new Date() } }).exec();
    return passkey.userId;
  }

  async rename(userId: string, id: string, name: string): Promise<void> {
    const { matchedCount } = await this.passkeys.updateOne({ _id: id, userId }, { $set: { name } }).exec();
    if (matchedCount === 0) throw new AppError(MfaErrors.PASSKEY_NOT_FOUND);
  }

  async remove(userId: string, id: string): Promise<void> {
    const passkey = await this.passkeys.findOne({ _id: id, userId }).select('name').lean().exec();
    const { deletedCount } = await this.passkeys.deleteOne({ _id: id, userId }).exec();
    if (!passkey || deletedCount === 0) throw new AppError(MfaErrors.PASSKEY_NOT_FOUND);
    this.events.record('passkey.removed', { userId });
    await this.notices.send(userId, `the passkey named "${passkey.name}" was removed`);
  }

  async deleteAll(userId: string): Promise<void> {
    await this.passkeys.deleteMany({ userId }).exec();
  }

  /** Unanswered registration challenges of this user stop working: no passkey can be added with them. */
  async cancelRegistrations(userId: string): Promise<void> {
    await this.challenges.deleteMany({ userId, purpose: 'register' }).exec();
  }

  private cloneDetected(passkey: Passkey): void {
    this.events.record('passkey.clone_detected', { userId: passkey.userId, reason: `credential ${passkey._id.slice(0, 16)}` });
  }

  private async saveChallenge(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
    this.challengeSweep.poke();
    await this.challenges.create({ _id: challenge, purpose, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) });
  }

  /**
   * The challenge is read back from the signed clientDataJSON; it must be one
   * this server issued, for this purpose and user, unexpired and unspent.
   */
  private async spendChallenge(
    response: { response?: { clientDataJSON?: unknown } } | undefined,
    purpose: ChallengePurpose,
    userId: string | null,
    failure: (typeof MfaErrors)[keyof typeof MfaErrors],
  ): Promise<string> {
    const challenge = challengeOf(response?.response?.clientDataJSON);
    const stored = challenge ? await this.challenges.findById(challenge).lean().exec() : null;
    const usable =
      !!stored &&
      stored.purpose === purpose &&
      stored.userId === userId &&
      stored.expiresAt.getTime() > Date.now() &&
      (await this.claims.claim(`challenge:${challenge}`, { ttlMs: CHALLENGE_TTL_MS }));
    if (!usable) throw new AppError(failure);
    void this.challenges
      .deleteOne({ _id: challenge })
      .exec()
      .catch(() => undefined);
    return challenge!;
  }
}

function challengeOf(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null;
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof challenge === 'string' && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}
