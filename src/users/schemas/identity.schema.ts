import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, Types } from 'mongoose';

/**
 * A name that is taken: `_id` is `username:<usernameKey>` or
 * `email:<emailKey>` (see identity.ts), pointing at the user who holds it.
 *
 * Why these exist beside the users' own unique keys: a lookup by `_id` is the
 * one query every engine serves from an index (FerretDB v1 on SQLite scans
 * the collection for any other filter), and an insert of an existing `_id`
 * is refused atomically everywhere, so reserving a name is race-safe without
 * transactions. See docs/databases.md.
 *
 * The user document is the source of truth: an identity counts only while its
 * user exists and still carries that key, so one left behind by a crash
 * between two writes is ignored at login and reclaimed by the next sign-up.
 */
@Schema({ collection: 'user_identities', versionKey: false })
export class Identity {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  userId: Types.ObjectId;

  /** When the name was reserved: a fresh identity whose user is not written yet is not left behind. */
  @Prop({ required: true })
  at: Date;
}

export const IdentitySchema = SchemaFactory.createForClass(Identity);
