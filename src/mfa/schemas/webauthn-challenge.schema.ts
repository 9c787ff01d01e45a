import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type ChallengePurpose = 'register' | 'login' | 'reauth';

/**
 * A WebAuthn challenge the server handed out. The browser returns it inside
 * the signed clientDataJSON, so it needs no cookie; it is spent with a claim.
 */
@Schema({ collection: 'webauthn_challenges', versionKey: false })
export class WebauthnChallenge {
  /** The challenge itself, base64url. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  purpose: ChallengePurpose;

  /** Who asked (registration and re-authentication); null for a sign-in. */
  @Prop({ type: String, default: null })
  userId: string | null;

  @Prop({ required: true })
  expiresAt: Date;
}

export const WebauthnChallengeSchema = SchemaFactory.createForClass(WebauthnChallenge);
