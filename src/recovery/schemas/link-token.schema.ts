import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const LINK_TOKEN_KINDS = ['reset', 'verify', 'email_change', 'email_change_cancel'] as const;
export type LinkTokenKind = (typeof LINK_TOKEN_KINDS)[number];

/**
 * One outstanding link sent by mail. `_id` is the SHA-256 of the token, so
 * the token itself is never stored and a look-up is by `_id`, the only
 * index FerretDB v1 uses. `email` is the address the link was sent to: a
 * link dies when the account's address is no longer that one (for an
 * address change, it is the new address).
 */
@Schema({ collection: 'link_tokens', versionKey: false })
export class LinkToken {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, enum: LINK_TOKEN_KINDS, required: true })
  kind: LinkTokenKind;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  userId: Types.ObjectId;

  @Prop({ required: true })
  email: string;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  expiresAt: Date;
}

export const LinkTokenSchema = SchemaFactory.createForClass(LinkToken);

/**
 * The right to use one link: only one insert of an `_id` can succeed, on
 * MongoDB and FerretDB alike, so two clicks at the same moment cannot both
 * reset a password (the same reasoning as session claims, docs/architecture.md).
 */
@Schema({ collection: 'link_token_uses', versionKey: false })
export class LinkTokenUse {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  at: Date;
}

export const LinkTokenUseSchema = SchemaFactory.createForClass(LinkTokenUse);
