import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The right to write one generation of one session: `_id` is
 * `<sessionId>:<generation>`, and only one insert of an _id can succeed.
 *
 * Why it exists: FerretDB v1 applies an update as read, modify, write the
 * whole document, so two concurrent conditional updates of one document can
 * both "match" and one is lost (seen in test/integration/refresh.spec.ts).
 * An insert with a duplicate _id is refused atomically by every server, so
 * claiming the next generation first serialises all writers of a session
 * on MongoDB and FerretDB alike.
 */
@Schema({ collection: 'session_claims', versionKey: false })
export class SessionClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  at: Date;
}

export const SessionClaimSchema = SchemaFactory.createForClass(SessionClaim);
