import { Schema, Types, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** Shops that share one points account per customer; `shop` is the shop that created it. */
export interface ProgramGroup {
  _id: string;
  shop: string;
  name: string;
  createdAt: Date;
}

/**
 * A shop's place in a group: _id is the shop, so a shop is in one group at most (a unique insert).
 * It carries the group's name, so the group outlives the shop that started it (shop/redact deletes
 * that shop's documents, the group's own included).
 */
export interface GroupMember {
  _id: string;
  shop: string;
  groupId: string;
  groupName: string;
  joinedAt: Date;
}

/** A single-use code another shop joins with; _id is the code's SHA-256, so the code is never stored. */
export interface GroupInvite {
  _id: string;
  shop: string;
  groupId: string;
  groupName: string;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * Points on their way from the customer's account in `fromShop` to their account in `shop`, for
 * the redemption or hold `requestKey` there. Written before the debit and deleted once the credit
 * is in, so what is left is exactly the work a crash interrupted.
 */
export interface GroupMove {
  _id: Types.ObjectId;
  shop: string;
  customerId: string;
  fromShop: string;
  fromCustomerId: string;
  requestKey: string;
  points: number;
  createdAt: Date;
}

/**
 * One of a customer's accounts in a group, linked because the customer proved both ends (links.ts):
 * the accounts with the same `personId` are one customer's. An account is in one set per group, and a
 * set holds one account per shop (two unique indexes, so one insert decides both). `_id` is new for
 * every link, so a delete never removes a later link of the same account.
 */
export interface GroupLink {
  _id: Types.ObjectId;
  groupId: string;
  shop: string;
  customerId: string;
  personId: string;
  linkedAt: Date;
  /** Set by customers/redact: a redacted account links nothing. */
  redactedAt?: Date;
}

/**
 * A one-time code shown to the customer signed in at `shop`, for the customer signed in at `forShop`
 * to enter there. `_id` is the SHA-256 of `forShop|code`: the code itself is never stored, and it is
 * spent by the one delete that removes it.
 */
export interface GroupLinkCode {
  _id: string;
  shop: string;
  customerId: string;
  forShop: string;
  groupId: string;
  expiresAt: Date;
  createdAt: Date;
}

/** One try at entering a code, by the customer signed in at `shop`: a numbered slot per hour, claimed by a unique insert. */
export interface GroupLinkAttempt {
  _id: string;
  shop: string;
  customerId: string;
  createdAt: Date;
}

const groupSchema = new Schema<ProgramGroup>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'program_groups', versionKey: false },
);

const memberSchema = new Schema<GroupMember>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    groupId: { type: String, required: true },
    groupName: { type: String, required: true },
    joinedAt: { type: Date, required: true },
  },
  { collection: 'program_group_members', versionKey: false },
);
memberSchema.index({ groupId: 1 });

const inviteSchema = new Schema<GroupInvite>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    groupId: { type: String, required: true },
    groupName: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'program_group_invites', versionKey: false },
);
inviteSchema.index({ shop: 1 });

const moveSchema = new Schema<GroupMove>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    fromShop: { type: String, required: true },
    fromCustomerId: { type: String, required: true },
    requestKey: { type: String, required: true },
    points: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'program_group_moves', versionKey: false },
);
moveSchema.index({ shop: 1, customerId: 1, requestKey: 1, fromShop: 1 }, { unique: true });
moveSchema.index({ shop: 1, createdAt: 1 });

const linkSchema = new Schema<GroupLink>(
  {
    groupId: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    personId: { type: String, required: true },
    linkedAt: { type: Date, required: true },
    redactedAt: Date,
  },
  { collection: 'program_group_links', versionKey: false },
);
linkSchema.index({ shop: 1, customerId: 1, groupId: 1 }, { unique: true });
linkSchema.index({ groupId: 1, personId: 1, shop: 1 }, { unique: true });

const linkCodeSchema = new Schema<GroupLinkCode>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    forShop: { type: String, required: true },
    groupId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'program_group_link_codes', versionKey: false },
);
linkCodeSchema.index({ shop: 1, customerId: 1, forShop: 1 });
linkCodeSchema.index({ shop: 1, expiresAt: 1 });

const linkAttemptSchema = new Schema<GroupLinkAttempt>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'program_group_link_attempts', versionKey: false },
);
linkAttemptSchema.index({ shop: 1, createdAt: 1 });

export function programGroupModel(connection: Connection): Model<ProgramGroup> {
  return modelOn(connection, 'ProgramGroup', groupSchema);
}

export function groupMemberModel(connection: Connection): Model<GroupMember> {
  return modelOn(connection, 'ProgramGroupMember', memberSchema);
}

export function groupInviteModel(connection: Connection): Model<GroupInvite> {
  return modelOn(connection, 'ProgramGroupInvite', inviteSchema);
}

export function groupMoveModel(connection: Connection): Model<GroupMove> {
  return modelOn(connection, 'ProgramGroupMove', moveSchema);
}

export function groupLinkModel(connection: Connection): Model<GroupLink> {
  return modelOn(connection, 'ProgramGroupLink', linkSchema);
}

export function groupLinkCodeModel(connection: Connection): Model<GroupLinkCode> {
  return modelOn(connection, 'ProgramGroupLinkCode', linkCodeSchema);
}

export function groupLinkAttemptModel(connection: Connection): Model<GroupLinkAttempt> {
  return modelOn(connection, 'ProgramGroupLinkAttempt', linkAttemptSchema);
}

export const groupModels = [
  programGroupModel,
  groupMemberModel,
  groupInviteModel,
  groupMoveModel,
  groupLinkModel,
  groupLinkCodeModel,
  groupLinkAttemptModel,
];
