import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export type RevocationReason = 'logout' | 'revoked' | 'revoked_others' | 'password_changed' | 'mfa_enabled' | 'admin' | 'reuse' | 'limit';

/** One login: a refresh-token family. See refresh-rotation.ts for the token fields. */
@Schema({ collection: 'sessions', versionKey: false })
export class Session {
  /** Random, not an ObjectId: it is half of the refresh token and must not be guessable. */
  @Prop({ type: String, required: true })
  _id: string;

  /** Not indexed: a user's sessions are found through their UserSessions document. */
  @Prop({ type: Types.ObjectId, required: true })
  userId: Types.ObjectId;

  @Prop({ type: String, default: null })
  parentHash: string | null;

  @Prop({ type: [String], required: true })
  childHashes: string[];

  @Prop({ type: [String], default: [] })
  siblingHashes: string[];

  @Prop({ type: Date, default: null })
  siblingsValidUntil: Date | null;

  /** Used-up tokens of this family, kept so that replaying one is recognised as reuse. */
  @Prop({ type: [String], default: [] })
  retiredHashes: string[];

  /** Bumped on every change; a writer claims the next one first (SessionClaim). */
  @Prop({ required: true, default: 0 })
  generation: number;

  /** A "remember me" login keeps its cookie after the browser closes. */
  @Prop({ required: true })
  persistent: boolean;

  @Prop({ default: '' })
  userAgent: string;

  @Prop({ default: '' })
  ip: string;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  lastUsedAt: Date;

  /** Absolute end of the login (REFRESH_TOKEN_TTL), whatever happens. */
  @Prop({ required: true })
  expiresAt: Date;

  /** End of the login if it is not used again (SESSION_IDLE_TTL). */
  @Prop({ required: true })
  idleExpiresAt: Date;

  @Prop({ type: Date, default: null })
  revokedAt: Date | null;

  @Prop({ type: String, default: null })
  revokedReason: RevocationReason | null;
}

export type SessionDocument = HydratedDocument<Session>;
export const SessionSchema = SchemaFactory.createForClass(Session);
