import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { deleteOnce, insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { groupInviteModel, groupLinkCodeModel, groupLinkModel, groupMemberModel, programGroupModel, type ProgramGroup } from './store.js';

export const INVITE_TTL_MS = 7 * 86_400_000;
/** How long a process trusts what it read of a shop's group: the storefront asks on every view. */
const MEMBERSHIP_CACHE_MS = 5_000;

export type GroupRefusalCode =
  'already_grouped' | 'not_grouped' | 'unknown_invite' | 'unknown_shop' | 'already_linked' | 'not_linked' | 'invalid_code' | 'too_many_attempts';

export class GroupRefused extends Error {
  constructor(
    readonly code: GroupRefusalCode,
    message: string,
    /** What the answer adds for the client (a code's attempts left). */
    readonly details: Record<string, number> = {},
  ) {
    super(message);
  }
}

/** A shop's group and the shops in it (the shop itself included); `ownerShop` is null once the shop that started it is gone. */
export interface Membership {
  groupId: string;
  name: string;
  ownerShop: string | null;
  shops: string[];
}

const cache = new WeakMap<Connection, Map<string, { membership: Membership | null; readAt: number }>>();

function cacheOf(connection: Connection) {
  let shops = cache.get(connection);
  if (!shops) {
    shops = new Map();
    cache.set(connection, shops);
  }
  return shops;
}

async function readMembership(connection: Connection, shop: string): Promise<Membership | null> {
  const member = await groupMemberModel(connection).findById(shop).lean();
  if (!member) return null;
  const [group, members] = await Promise.all([
    programGroupModel(connection).findById(member.groupId).lean(),
    groupMemberModel(connection).find({ groupId: member.groupId }, { _id: 1 }).lean(),
  ]);
  return { groupId: member.groupId, name: member.groupName, ownerShop: group?.shop ?? null, shops: members.map((found) => found._id).sort() };
}

/** The shop's group, read at most every few seconds per process; `fresh` reads it now. */
export async function membershipOf(ctx: AppContext, shop: string, fresh = false): Promise<Membership | null> {
  const shops = cacheOf(ctx.connection);
  const cached = shops.get(shop);
  if (!fresh && cached && Date.now() - cached.readAt < MEMBERSHIP_CACHE_MS) return cached.membership;
  const membership = await readMembership(ctx.connection, shop);
  shops.set(shop, { membership, readAt: Date.now() });
  return membership;
}

function forget(ctx: AppContext, shops: string[]): void {
  for (const shop of shops) cacheOf(ctx.connection).delete(shop);
}

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** Starts a group with this shop in it. */
export async function createGroup(ctx: AppContext, shop: string, name: string, now: Date): Promise<Membership> {
  if (await groupMemberModel(ctx.connection).exists({ _id: shop })) throw new GroupRefused('already_grouped', 'This shop is already in a group');
  const group: ProgramGroup = { _id: randomUUID(), shop, name, createdAt: now };
  await programGroupModel(ctx.connection).create(group);
  if (!(await insertOnce(groupMemberModel(ctx.connection), { _id: shop, shop, groupId: group._id, groupName: name, joinedAt: now }))) {
    await programGroupModel(ctx.connection).deleteOne({ _id: group._id });
    throw new GroupRefused('already_grouped', 'This shop is already in a group');
  }
  forget(ctx, [shop]);
  return { groupId: group._id, name, ownerShop: shop, shops: [shop] };
}

/** A code another of the merchant's shops joins with: shown once, stored only as its hash. */
export async function createInvite(ctx: AppContext, shop: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const membership = await membershipOf(ctx, shop, true);
  if (!membership) throw new GroupRefused('not_grouped', 'This shop is not in a group');
  const code = `TALLY-${randomBytes(12).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  await groupInviteModel(ctx.connection).create({
    _id: hashOf(code),
    shop,
    groupId: membership.groupId,
    groupName: membership.name,
    expiresAt,
    createdAt: now,
  });
  return { code, expiresAt };
}

/** Joins the group an invite names; the invite is spent by the one delete that removes it. */
export async function joinGroup(ctx: AppContext, shop: string, code: string, now: Date): Promise<Membership> {
  if (await groupMemberModel(ctx.connection).exists({ _id: shop })) throw new GroupRefused('already_grouped', 'This shop is already in a group');
  const unknown = new GroupRefused('unknown_invite', 'This invite code is unknown, used or expired');
  const invite = await groupInviteModel(ctx.connection).findById(hashOf(code)).lean();
  // The inviting shop left or was deleted since: its codes are void.
  if (!invite || invite.expiresAt <= now || !(await groupMemberModel(ctx.connection).exists({ _id: invite.shop, groupId: invite.groupId })))
    throw unknown;
  if (!(await deleteOnce(groupInviteModel(ctx.connection), { _id: invite._id }))) throw unknown;
  if (!(await insertOnce(groupMemberModel(ctx.connection), { _id: shop, shop, groupId: invite.groupId, groupName: invite.groupName, joinedAt: now })))
    throw new GroupRefused('already_grouped', 'This shop is already in a group');
  const membership = await membershipOf(ctx, shop, true);
  if (!membership) throw unknown;
  forget(ctx, membership.shops);
  return membership;
}

/**
 * Leaves the group: each shop keeps the points its ledger holds; balances are no longer combined,
 * and the shop's customers' links go (joining again, they link again).
 */
export async function leaveGroup(ctx: AppContext, shop: string): Promise<void> {
  const membership = await membershipOf(ctx, shop, true);
  if (!membership || !(await deleteOnce(groupMemberModel(ctx.connection), { _id: shop })))
    throw new GroupRefused('not_grouped', 'This shop is not in a group');
  await groupInviteModel(ctx.connection).deleteMany({ shop });
  await groupLinkModel(ctx.connection).deleteMany({ shop, groupId: membership.groupId });
  await groupLinkCodeModel(ctx.connection).deleteMany({ shop });
  forget(ctx, membership.shops);
}
