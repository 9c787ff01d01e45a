import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { JsonWebKey } from 'node:crypto';

/**
 * One access-token signing key. `_id` is the key id (`kid`) that tokens name
 * in their header. Every instance reads the same documents, so they all sign
 * with the same current key (the newest) and verify every key listed here.
 * Retiring a key deletes its document.
 */
@Schema({ collection: 'signing_keys', versionKey: false })
export class SigningKey {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  alg: 'ES256';

  /** What the JWKS publishes: kty, crv, x, y. */
  @Prop({ type: SchemaTypes.Mixed, required: true })
  publicJwk: JsonWebKey;

  /** PKCS #8 PEM, sealed with DATA_ENCRYPTION_KEY's signing-key sub-key, the kid bound as associated data. */
  @Prop({ type: String, required: true })
  sealedPrivateKey: string;

  @Prop({ required: true })
  createdAt: Date;
}

export const SigningKeySchema = SchemaFactory.createForClass(SigningKey);
