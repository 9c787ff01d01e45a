import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One registered WebAuthn credential. */
@Schema({ collection: 'passkeys', versionKey: false })
export class Passkey {
  /** The credential id (base64url), as the authenticator reports it on every sign-in. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true, index: true })
  userId: string;

  @Prop({ required: true })
  name: string;

  /** COSE public key, base64url. Public, so stored as is. */
  @Prop({ required: true })
  publicKey: string;

  /** The authenticator's signature counter; one that goes backwards means a clone (WebAuthn §6.1.1). */
  @Prop({ required: true, default: 0 })
  counter: number;

  @Prop({ type: [String], default: [] })
  transports: string[];

  @Prop({ default: false })
  backedUp: boolean;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ type: Date, default: null })
  lastUsedAt: Date | null;
}

export const PasskeySchema = SchemaFactory.createForClass(Passkey);
