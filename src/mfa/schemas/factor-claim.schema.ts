import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * "This was used": a TOTP time step (`<userId>:totp:<step>`), a recovery code
 * (`<userId>:recovery:<setId>:<hash>`), a finished pending login
 * (`pending:<id>`), a WebAuthn challenge or signature counter. Only one
 * insert of an `_id` can succeed on MongoDB and FerretDB alike, so two
 * requests racing with one code cannot both get in (docs/architecture.md, for
 * why a conditional update would not do on FerretDB v1).
 */
@Schema({ collection: 'factor_claims', versionKey: false })
export class FactorClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, default: null, index: true })
  userId: string | null;

  /** `recovery:<setId>` for recovery codes, so the ones left can be counted. */
  @Prop({ type: String, default: null })
  group: string | null;

  @Prop({ required: true })
  at: Date;

  /** After this the claim guards nothing any more and may be swept; null: kept. */
  @Prop({ type: Date, default: null })
  expiresAt: Date | null;
}

export const FactorClaimSchema = SchemaFactory.createForClass(FactorClaim);
