import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createPublicKey, KeyObject } from 'node:crypto';
import { AppConfig, ConfigError } from '../config/env.validation';
import { SigningKey } from './signing-key.schema';
import { currentOf, published, PublishedJwk, RELOAD_INTERVAL_MS, replacedAtOf, SigningKeyStore } from './signing-key-store';

/**
 * An unknown kid (a key another instance just created) or a JWKS request
 * rereads at once, but at most this often, so a flood of forged kids costs the
 * database one small query per gap.
 */
export const ON_DEMAND_RELOAD_GAP_MS = 5_000;

export interface Signer {
  kid: string;
  privateKey: KeyObject;
}

export interface VerificationKey {
  alg: SigningKey['alg'];
  publicKey: KeyObject;
}

interface Loaded {
  verification: Map<string, VerificationKey>;
  jwks: PublishedJwk[];
}

@Injectable()
export class SigningKeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SigningKeys');
  private loaded: Loaded = { verification: new Map(), jwks: [] };
  private current?: Signer;
  /** Where the signing key came from at start-up, for the start-up line. */
  private origin = '';
  private lastLoadStarted = 0;
  private loading?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    let keys = await this.store.list();
    this.origin = 'loaded from the database';
    if (keys.length === 0) {
      await this.store.create();
      keys = await this.store.list();
      this.origin = 'created in the database (first start)';
    } else if (!this.store.unseal(currentOf(keys)!)) {
      // A development DATA_ENCRYPTION_KEY is random per process, so the key of
      // the last run cannot be opened: start a new one and keep the old public
      // keys, so tokens issued before the restart stay valid until they expire.
      if (this.config.get('isProduction', { infer: true })) {
        throw new ConfigError(
          'the signing keys in the database were sealed with another DATA_ENCRYPTION_KEY: start with the one they were made with',
        );
      }
      await this.store.create();
      keys = await this.store.list();
      this.origin = 'created in the database (the stored ones were sealed with another DATA_ENCRYPTION_KEY)';
    }
    this.apply(keys);
    if (!this.current) throw new ConfigError('the current signing key cannot be opened with this DATA_ENCRYPTION_KEY');
    this.lastLoadStarted = Date.now();
    this.timer = setInterval(
      () => void this.reload().catch((e: Error) => this.logger.error(`reload failed: ${e.message}`)),
      RELOAD_INTERVAL_MS,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** For the start-up line. */
  describe(): string {
    return `Access tokens: signed ${this.loaded.verification.get(this.signer().kid)!.alg} with key ${this.signer().kid}, ${this.origin}`;
  }

  signer(): Signer {
    return this.current!;
  }

  /** The public key a token's `kid` names, with the algorithm it alone may be used with, if this instance has it loaded. */
  knownKey(kid: unknown): VerificationKey | undefined {
    return typeof kid === 'string' ? this.loaded.verification.get(kid) : undefined;
  }

  /** As knownKey, but an unknown kid first rereads the keys (rate-limited): another instance may have just made it. */
  async verificationKey(kid: unknown): Promise<VerificationKey | undefined> {
    if (typeof kid !== 'string') return undefined;
    if (!this.loaded.verification.has(kid)) await this.reloadSoon();
    return this.knownKey(kid);
  }

  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    // A key made by keys:rotate is published at once (within the gap), not only at the next reload.
    await this.reloadSoon();
    return { keys: this.loaded.jwks };
  }

  /** Rereads the keys now; with SIGNING_KEY_ROTATION, also rotates and removes keys whose last token has expired. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async reloadSoon(): Promise<void> {
    if (Date.now() - this.lastLoadStarted < ON_DEMAND_RELOAD_GAP_MS) return this.loading;
    // A failed reload (the database is away) leaves the keys as they were; the token is judged with those.
    await this.reload().catch((e: Error) => this.logger.warn(`reload failed: ${e.message}`));
  }

  private async load(): Promise<void> {
    this.lastLoadStarted = Date.now();
    let keys = await this.store.list();
    const rotation = this.config.get('signingKeyRotationSeconds', { infer: true });
    if (rotation !== undefined && (await this.rotateAutomatically(keys, rotation * 1000))) keys = await this.store.list();
    this.apply(keys);
  }

  /** True when it changed the keys. */
  private async rotateAutomatically(keys: SigningKey[], rotationMs: number): Promise<boolean> {
    const now = Date.now();
    let changed = false;
    if (now - currentOf(keys)!.createdAt.getTime() >= rotationMs) {
      await this.store.create();
      changed = true;
    }
    // Its last token was signed at most one reload after it was replaced, and lives ACCESS_TOKEN_TTL.
    const lastTokenExpires = RELOAD_INTERVAL_MS + this.config.get('accessTokenTtlSeconds', { infer: true }) * 1000;
    for (const key of keys) {
      const replacedAt = replacedAtOf(keys, key);
      if (replacedAt && now - replacedAt.getTime() > lastTokenExpires + ON_DEMAND_RELOAD_GAP_MS) {
        await this.store.remove(key._id);
        changed = true;
      }
    }
    return changed;
  }

  private apply(keys: SigningKey[]): void {
    this.loaded = {
      verification: new Map(keys.map((k) => [k._id, { alg: k.alg, publicKey: createPublicKey({ key: k.publicJwk, format: 'jwk' }) }])),
      jwks: keys.map(published),
    };
    const newest = currentOf(keys);
    if (!newest || newest._id === this.current?.kid) return;
    const privateKey = this.store.unseal(newest);
    // Keep signing with the key it has (still valid everywhere) rather than stop signing.
    if (!privateKey) this.logger.error(`signing key ${newest._id} cannot be opened with this DATA_ENCRYPTION_KEY`);
    else this.current = { kid: newest._id, privateKey };
  }
}
