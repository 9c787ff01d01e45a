import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class User {
  /** As the person typed it (NFKC-normalised), for display. */
  @Prop({ required: true })
  username: string;

  /** Case-folded copy that carries the uniqueness; see identity.ts. */
  @Prop({ required: true, unique: true })
  usernameKey: string;

  @Prop({ required: true })
  email: string;

  @Prop({ required: true, unique: true })
  emailKey: string;

  /** Never selected unless asked for, so it cannot leak through a plain find. */
  @Prop({ required: true, select: false })
  passwordHash: string;

  @Prop({ type: [String], enum: ROLES, default: ['user'] })
  roles: Role[];

  @Prop({ default: false })
  disabled: boolean;

  /** The owner proved they read mail at `email` (a verification or reset link); false again when it changes. */
  @Prop({ default: false })
  emailVerified: boolean;

  /** When the password was last set: a link mailed before then no longer works (link-tokens.ts). */
  @Prop({ type: Date, default: null })
  passwordChangedAt: Date | null;

  createdAt: Date;
  updatedAt: Date;
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
