import { verifiedProfiles } from '../customers/index.js';
import { customersWithLedger, availableSums } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { loadProgram, pointValueOf, valueOf } from '../program/index.js';
import { groupLinkModel, groupMemberModel } from './store.js';
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
  /** Accounts here that their customer linked with an account in another shop of the group. */
  linkedAccounts: number;
  /**
   * Accounts here that share a verified email with an account in another shop of the group and are
   * not linked: before links needed the customer's consent, these shared one balance; now they
   * wait for the customer to link them from the storefront.
   */
  awaitingConfirmation: number;
}

export interface GroupReport {
  id: string;
  name: string;
  /** The shop that started the group; null once it is gone (shop/redact). */
  ownerShop: string | null;
  shops: ShopShare[];
}

type Standing = Pick<ShopShare, 'linkedAccounts' | 'awaitingConfirmation'>;

/**
 * Per shop: accounts linked by their customer, and accounts that an email alone would have linked
 * before (the same verified email in two member shops) and that are not linked. Reads every member
 * shop's verified profiles once: the cost of the report grows with the group's customers.
 */
async function linkStanding(ctx: AppContext, membership: Membership): Promise<Map<string, Standing>> {
  const [profiles, links] = await Promise.all([
    Promise.all(membership.shops.map((shop) => verifiedProfiles(ctx.connection, shop))),
    groupLinkModel(ctx.connection).find({ groupId: membership.groupId }, { shop: 1, customerId: 1, redactedAt: 1 }).lean(),
  ]);
  const linked = new Set(links.filter((link) => !link.redactedAt).map((link) => `${link.shop}|${link.customerId}`));
  const verified = profiles.flat().filter((profile) => profile.email && !profile.redactedAt);
  const shopsOfEmail = new Map<string, Set<string>>();
  for (const profile of verified) shopsOfEmail.set(profile.email!, (shopsOfEmail.get(profile.email!) ?? new Set()).add(profile.shop));
  const standing = new Map<string, Standing>(membership.shops.map((shop) => [shop, { linkedAccounts: 0, awaitingConfirmation: 0 }]));
  for (const link of links) if (!link.redactedAt) standing.get(link.shop)!.linkedAccounts++;
  for (const profile of verified)
    if (shopsOfEmail.get(profile.email!)!.size > 1 && !linked.has(`${profile.shop}|${profile.customerId}`))
      standing.get(profile.shop)!.awaitingConfirmation++;
  return standing;
}

async function shareOf(ctx: AppContext, shop: string, joinedAt: Date, standing: Standing): Promise<ShopShare> {
  const [program, customers, sums] = await Promise.all([
    loadProgram(ctx.connection, shop),
    customersWithLedger(ctx.connection, shop),
    availableSums(ctx.connection, shop, ['group in', 'group out']),
  ]);
  const outstandingPoints = sums.total;
  const moved = (source: string) => Math.abs(sums.bySource.get(source) ?? 0);
  return {
    shop,
    joinedAt,
    accounts: customers.length,
    outstandingPoints,
    liabilityMinor: program ? valueOf(outstandingPoints, pointValueOf(program).perThousand) : 0,
    currency: program?.currency ?? 'USD',
    movedInPoints: moved('group in'),
    movedOutPoints: moved('group out'),
    ...standing,
  };
}

/** Each member shop's liability: its ledger is its own, so the group's is the sum of theirs. */
export async function groupReport(ctx: AppContext, membership: Membership): Promise<GroupReport> {
  const [members, standing] = await Promise.all([
    groupMemberModel(ctx.connection).find({ groupId: membership.groupId }).sort({ _id: 1 }).lean(),
    linkStanding(ctx, membership),
  ]);
  const none: Standing = { linkedAccounts: 0, awaitingConfirmation: 0 };
  return {
    id: membership.groupId,
    name: membership.name,
    ownerShop: membership.ownerShop,
    shops: await Promise.all(members.map((member) => shareOf(ctx, member.shop, member.joinedAt, standing.get(member.shop) ?? none))),
  };
}
