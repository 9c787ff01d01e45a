import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A user's TOTP and recovery codes, in a collection of its own keyed by the
 * user's id, so the login path reads it with one `_id` look-up and the user
 * document stays untouched. Secrets are sealed with AES-256-GCM (DataKeys).
 */
@Schema({ collection: 'second_factors', versionKey: false })
export class SecondFactor {
  /** The user's id. */
  @Prop({ type: String, required: true })
  _id: string;

  /** The confirmed TOTP secret, sealed; null while two-factor authentication is off. */
  @Prop({ type: String, default: null })
  totpSecret: string | null;

  @Prop({ type: Date, default: null })
  enabledAt: Date | null;

  /** A secret shown on the set-up page and not yet confirmed with a code. */
  @Prop({ type: String, default: null })
  pendingSecret: string | null;

  @Prop({ type: Date, default: null })
  pendingSince: Date | null;

  /** The login that started the set-up: only it may read the pending secret or confirm it. */
  @Prop({ type: String, default: null })
  pendingSessionId: string | null;

  /** Keyed hashes of the current recovery codes. */
  @Prop({ type: [String], default: [] })
  recoveryCodeHashes: string[];

  /** Changes with every new set, so spent-code claims of an old set never count against a new one. */
  @Prop({ type: String, default: null })
  recoverySetId: string | null;
}

export const SecondFactorSchema = SchemaFactory.createForClass(SecondFactor);
