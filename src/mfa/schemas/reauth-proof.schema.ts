import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** When the holder of one login last proved who they are (password or passkey). */
@Schema({ collection: 'reauth_proofs', versionKey: false })
export class ReauthProof {
  /** The session (login) id. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ required: true })
  at: Date;
}

export const ReauthProofSchema = SchemaFactory.createForClass(ReauthProof);
