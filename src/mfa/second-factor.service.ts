import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { AppError } from '../common/errors/app-error';
import { SecurityEvents } from '../security/security-events';
import { SessionsService } from '../sessions/sessions.service';
import { DataKeys } from './data-keys';
import { FactorClaims } from './factor-claims';
import { FactorNotices } from './factor-notices';
import { MfaErrors } from './mfa.errors';
import { PasskeysService } from './passkeys.service';
import { newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes';
import { SecondFactor } from './schemas/second-factor.schema';
import { looksLikeTotp, matchingStep, newTotpSecret, TOTP_PERIOD_SECONDS, totpUri } from './totp';

/** A set-up page left open longer than this must be started again. */
const SETUP_TTL_MS = 15 * 60_000;
/**
 * A spent time step must be remembered while its code could still be
 * accepted (one step of drift each way), and then some.
 */
const SPENT_STEP_TTL_MS = 4 * TOTP_PERIOD_SECONDS * 1000;

export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export interface TotpSetup {
  secret: string;
  uri: string;
  /** A PNG as a data: URL, so the strict CSP (img-src 'self' data:) holds. */
  qrDataUrl: string;
}

export type CodeKind = 'totp' | 'recovery';

/** The login asking: a pending set-up belongs to the one that started it. */
export interface SetupLogin {
  id: string;
  sessionId: string;
}

export interface TotpEnabled {
  recoveryCodes: string[];
  /** How many other logins of the account were ended. */
  endedSessions: number;
}

/** TOTP (RFC 6238) and recovery codes: set-up, checking, turning off. See docs/security.md. */
@Injectable()
export class SecondFactorService {
  constructor(
    @InjectModel(SecondFactor.name) private readonly factors: Model<SecondFactor>,
    private readonly claims: FactorClaims,
    private readonly keys: DataKeys,
    private readonly events: SecurityEvents,
    private readonly notices: FactorNotices,
    private readonly passkeys: PasskeysService,
    private readonly sessions: SessionsService,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    const doc = await this.factors.findById(userId).select('totpSecret').lean().exec();
    return !!doc?.totpSecret;
  }

  /** Which of these users have two-factor authentication on (for the admin list). */
  async enabledAmong(userIds: string[]): Promise<Set<string>> {
    const docs = await this.factors
      .find({ _id: trusted({ $in: userIds }), totpSecret: trusted({ $ne: null }) })
      .select('_id')
      .lean()
      .exec();
    return new Set(docs.map((d) => d._id));
  }

  async status(userId: string): Promise<SecondFactorStatus> {
    const doc = await this.factors.findById(userId).lean().exec();
    if (!doc?.totpSecret) return { enabled: false, enabledAt: null, recoveryCodesLeft: 0 };
    const spent = doc.recoverySetId ? await this.claims.count(userId, `recovery:${doc.recoverySetId}`) : 0;
    return { enabled: true, enabledAt: doc.enabledAt, recoveryCodesLeft: Math.max(0, doc.recoveryCodeHashes.length - spent) };
  }

  /**
   * A new secret to scan, or the one already on the page when this login
   * reloads it soon after (a phone may have scanned it already). Another
   * login of the account never sees that secret: it gets a new one, which
   * replaces the first, so the first login's confirmation then fails with
   * SETUP_NOT_STARTED. One pending set-up per account keeps the rule simple;
   * two logins setting up at once is not a case worth keeping both for.
   */
  async beginTotpSetup(login: SetupLogin, accountLabel: string): Promise<TotpSetup> {
    const userId = login.id;
    const doc = await this.factors.findById(userId).lean().exec();
    if (doc?.totpSecret) throw new AppError(MfaErrors.ALREADY_ENABLED);
    let secret = this.pendingSecretOf(doc, login);
    if (!secret) {
      secret = newTotpSecret();
      await this.factors
        .updateOne(
          { _id: userId },
          { $set: { pendingSecret: this.keys.encrypt(secret, userId), pendingSince: new Date(), pendingSessionId: login.sessionId } },
          { upsert: true },
        )
        .exec();
    }
    const uri = totpUri(secret, accountLabel);
    return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
  }

  /**
   * The first right code, from the login that started the set-up, turns
   * two-factor authentication on. Every other login of the account ends, as
   * after a password change (ASVS 7.4.3): one made with the password alone
   * must not outlive the rule that a password alone is no longer enough.
   * Returns the recovery codes, shown once.
   */
  async confirmTotpSetup(login: SetupLogin, code: string): Promise<TotpEnabled> {
    const userId = login.id;
    const doc = await this.factors.findById(userId).lean().exec();
    if (doc?.totpSecret) throw new AppError(MfaErrors.ALREADY_ENABLED);
    const secret = this.pendingSecretOf(doc, login);
    if (!secret) throw new AppError(MfaErrors.SETUP_NOT_STARTED);
    if (!(await this.spendTotp(userId, secret, code))) throw new AppError(MfaErrors.SETUP_CODE_INVALID);
    const { codes, hashes, setId } = this.newRecoverySet(userId);
    // Only the set-up that was read: one cancelled or replaced meanwhile stays unconfirmed.
    const { matchedCount } = await this.factors
      .updateOne(
        { _id: userId, pendingSecret: doc!.pendingSecret },
        {
          $set: {
            totpSecret: this.keys.encrypt(secret, userId),
            enabledAt: new Date(),
            pendingSecret: null,
            pendingSince: null,
            pendingSessionId: null,
            recoveryCodeHashes: hashes,
            recoverySetId: setId,
          },
        },
      )
      .exec();
    if (matchedCount === 0) throw new AppError(MfaErrors.SETUP_NOT_STARTED);
    this.events.record('mfa.enabled', { userId });
    const endedSessions = await this.sessions.revokeAll(userId, 'mfa_enabled', login.sessionId);
    this.events.record('session.revoked', { userId, reason: `mfa_enabled (${endedSessions})` });
    await this.notices.send(userId, 'two-factor authentication was turned on');
    return { recoveryCodes: codes, endedSessions };
  }

  /**
   * Drops a TOTP set-up not yet confirmed and every unanswered passkey
   * registration, so one started before a password change or reset (perhaps
   * by whoever knew the old password) cannot be finished after it.
   */
  async cancelPendingSetup(userId: string): Promise<void> {
    await this.factors.updateOne({ _id: userId }, { $set: { pendingSecret: null, pendingSince: null, pendingSessionId: null } }).exec();
    await this.passkeys.cancelRegistrations(userId);
  }

  /**
   * Checks a TOTP code or a recovery code and spends it. Returns which kind
   * matched, or null. Each code works once (ASVS 6.5.1).
   */
  async verify(userId: string, input: string): Promise<CodeKind | null> {
    const doc = await this.factors.findById(userId).lean().exec();
    const secret = doc?.totpSecret ? this.keys.decrypt(doc.totpSecret, userId) : null;
    if (!doc || !secret) return null;
    if (looksLikeTotp(input)) return (await this.spendTotp(userId, secret, input.replace(/[\s-]/g, ''))) ? 'totp' : null;

    const hash = this.keys.mac('recovery-code', `${userId}:${normalizeRecoveryCode(input)}`);
    if (!doc.recoverySetId || !doc.recoveryCodeHashes.includes(hash)) return null;
    const group = `recovery:${doc.recoverySetId}`;
    if (!(await this.claims.claim(`${userId}:${group}:${hash}`, { userId, group }))) return null;
    this.events.record('mfa.recovery_code_used', { userId });
    return 'recovery';
  }

  /** A new set of ten; the old set stops working at once. */
  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    if (!(await this.isEnabled(userId))) throw new AppError(MfaErrors.NOT_ENABLED);
    const { codes, hashes, setId } = this.newRecoverySet(userId);
    await this.factors.updateOne({ _id: userId }, { $set: { recoveryCodeHashes: hashes, recoverySetId: setId } }).exec();
    this.events.record('mfa.recovery_codes_regenerated', { userId });
    await this.notices.send(userId, 'a new set of recovery codes was made, and the old codes stopped working');
    return codes;
  }

  /** Turns it off: the secret and every recovery code are gone. */
  async disable(userId: string, reason: 'user' | 'admin', actorId?: string): Promise<boolean> {
    const { deletedCount } = await this.factors.deleteOne({ _id: userId }).exec();
    await this.claims.forgetUser(userId);
    if (deletedCount > 0) {
      this.events.record(reason === 'admin' ? 'mfa.reset_by_admin' : 'mfa.disabled', {
        userId,
        reason: actorId ? `by ${actorId}` : undefined,
      });
      await this.notices.send(
        userId,
        reason === 'admin' ? 'an administrator turned off your two-factor authentication' : 'two-factor authentication was turned off',
      );
    }
    return deletedCount > 0;
  }

  /** A deleted account leaves nothing behind: its TOTP, recovery codes, passkeys and spent-code claims. */
  async forgetUser(userId: string): Promise<void> {
    await this.factors.deleteOne({ _id: userId }).exec();
    await this.passkeys.deleteAll(userId);
    await this.claims.forgetUser(userId);
  }

  /**
   * A TOTP time step is spent by claiming `<userId>:totp:<step>`, which only
   * one request can do: two logins racing with one code cannot both pass.
   * A code from a step older than one already spent is refused too, so the
   * last used step only ever moves forward.
   */
  private async spendTotp(userId: string, secret: string, code: string): Promise<boolean> {
    const step = matchingStep(secret, code, Date.now());
    if (step === null) return false;
    if (!(await this.claims.claim(`${userId}:totp:${step}`, { userId, ttlMs: SPENT_STEP_TTL_MS }))) return false;
    const later = await Promise.all([1, 2].map((n) => this.claims.exists(`${userId}:totp:${step + n}`)));
    return !later.some(Boolean);
  }

  private pendingSecretOf(doc: SecondFactor | null, login: SetupLogin): string | null {
    if (!doc?.pendingSecret || !doc.pendingSince || Date.now() - doc.pendingSince.getTime() > SETUP_TTL_MS) return null;
    if (doc.pendingSessionId !== login.sessionId) return null;
    return this.keys.decrypt(doc.pendingSecret, login.id);
  }

  private newRecoverySet(userId: string) {
    const codes = newRecoveryCodes();
    const hashes = codes.map((code) => this.keys.mac('recovery-code', `${userId}:${normalizeRecoveryCode(code)}`));
    return { codes, hashes, setId: randomBytes(9).toString('base64url') };
  }
}
