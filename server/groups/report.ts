import { customersWithLedger, ledgerEntryModel } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { loadProgram, pointValueOf, valueOf } from '../program/index.js';
import { groupMemberModel } from './store.js';
import type { Membership } from './membership.js';

/** One shop's share of the group: what it owes in points and money, and what moved in and out. */
export interface ShopShare {
  shop: string;
  joinedAt: Date;
  /** Customers with a ledger in this shop. */
  accounts: number;
  outstandingPoints: number;
  /** The outstanding points at this shop's point value, in its currency's minor units. */
  liabilityMinor: number;
  currency: string;
  /** Points other shops' accounts gave to redemptions here. */
  movedInPoints: number;
  /** Points this shop's accounts gave to redemptions in other shops. */
  movedOutPoints: number;
}

export interface GroupReport {
  id: string;
  name: string;
  /** The shop that started the group; null once it is gone (shop/redact). */
  ownerShop: string | null;
  shops: ShopShare[];
}

async function shareOf(ctx: AppContext, shop: string, joinedAt: Date): Promise<ShopShare> {
  const entries = ledgerEntryModel(ctx.connection);
  const [program, customers, totals, moves] = await Promise.all([
    loadProgram(ctx.connection, shop),
    customersWithLedger(ctx.connection, shop),
    entries.aggregate<{ _id: null; points: number }>([{ $match: { shop } }, { $group: { _id: null, points: { $sum: '$available' } } }]),
    entries.aggregate<{ _id: string; points: number }>([
      { $match: { shop, source: { $in: ['group in', 'group out'] } } },
      { $group: { _id: '$source', points: { $sum: '$available' } } },
    ]),
  ]);
  const outstandingPoints = totals[0]?.points ?? 0;
  const moved = (source: string) => Math.abs(moves.find((group) => group._id === source)?.points ?? 0);
  return {
    shop,
    joinedAt,
    accounts: customers.length,
    outstandingPoints,
    liabilityMinor: program ? valueOf(outstandingPoints, pointValueOf(program).perThousand) : 0,
    currency: program?.currency ?? 'USD',
    movedInPoints: moved('group in'),
    movedOutPoints: moved('group out'),
  };
}

/** Each member shop's liability: its ledger is its own, so the group's is the sum of theirs. */
export async function groupReport(ctx: AppContext, membership: Membership): Promise<GroupReport> {
  const members = await groupMemberModel(ctx.connection).find({ groupId: membership.groupId }).sort({ _id: 1 }).lean();
  return {
    id: membership.groupId,
    name: membership.name,
    ownerShop: membership.ownerShop,
    shops: await Promise.all(members.map((member) => shareOf(ctx, member.shop, member.joinedAt))),
  };
}
