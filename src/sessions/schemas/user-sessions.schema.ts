import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, Types } from 'mongoose';

@Schema({ _id: false, versionKey: false })
export class UserSessionEntry {
  @Prop({ type: String, required: true })
  id: string;

  /** When it was listed: the session itself is written just after, see SessionsService.create. */
  @Prop({ required: true })
  at: Date;
}

/**
 * The sessions of one user, keyed by the user's id: listing them, or ending
 * them all, starts with one read by `_id` (the one filter that FerretDB v1 on
 * SQLite serves from an index) instead of a query on `sessions.userId`.
 * Written like a session, through a generation claim, so two logins at the
 * same moment cannot lose one another's entry. See docs/databases.md.
 */
@Schema({ collection: 'user_sessions', versionKey: false })
export class UserSessions {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  _id: Types.ObjectId;

  @Prop({ type: [SchemaFactory.createForClass(UserSessionEntry)], default: [] })
  entries: UserSessionEntry[];

  @Prop({ required: true, default: 0 })
  generation: number;
}

export const UserSessionsSchema = SchemaFactory.createForClass(UserSessions);
