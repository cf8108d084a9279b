import { balanceOf } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { membershipOf, type Membership } from './membership.js';
import { groupLinkModel, type GroupLink } from './store.js';

/** One of a customer's accounts: the customer as one shop knows them. */
export interface Account {
  shop: string;
  customerId: string;
}

/** The customer's confirmed links in the other shops of `membership`: their link here, and the set's other accounts still in the group. */
async function linksOf(ctx: AppContext, membership: Membership, shop: string, customerId: string): Promise<Account[]> {
  const links = groupLinkModel(ctx.connection);
  const mine = await links.findOne({ shop, customerId, groupId: membership.groupId }).lean<GroupLink>();
  if (!mine || mine.redactedAt) return [];
  const set = await links.find({ groupId: membership.groupId, personId: mine.personId }).sort({ shop: 1 }).lean<GroupLink[]>();
  return set
    .filter((link) => link.shop !== shop && membership.shops.includes(link.shop) && !link.redactedAt)
    .map((link) => ({ shop: link.shop, customerId: link.customerId }));
}

/**
 * The customer's accounts in the other shops of this shop's group: only those the customer linked
 * by proving both ends (links.ts); an email, verified or not, links nothing. Empty when the shop is
 * in no group or the customer has linked nothing.
 */
export async function linkedAccounts(ctx: AppContext, shop: string, customerId: string): Promise<Account[]> {
  const membership = await membershipOf(ctx, shop);
  if (!membership || membership.shops.length < 2) return [];
  return linksOf(ctx, membership, shop, customerId);
}

/** An account with what it holds now. */
export interface AccountBalance extends Account {
  available: number;
}

export async function balancesOf(ctx: AppContext, accounts: Account[]): Promise<AccountBalance[]> {
  return Promise.all(
    accounts.map(async (account) => ({ ...account, available: (await balanceOf(ctx.connection, account.shop, account.customerId)).available })),
  );
}

/** What the storefront shows a signed-in customer of a group: every other shop, and whether this account is linked there. */
export interface ShopperGroup {
  name: string;
  shops: Array<{ shop: string; linked: boolean }>;
}

/**
 * What the customer may spend in this shop: their available points here plus those of their
 * linked accounts in the group, how many shops that spans, and the group's other shops to link
 * (null outside a group). `here` is this shop's available balance, which callers have read.
 */
export async function sharedBalance(
  ctx: AppContext,
  shop: string,
  customerId: string,
  here: number,
): Promise<{ available: number; shops: number; group: ShopperGroup | null }> {
  const membership = await membershipOf(ctx, shop);
  if (!membership || membership.shops.length < 2) return { available: here, shops: 1, group: null };
  const linked = await linksOf(ctx, membership, shop, customerId);
  const balances = await balancesOf(ctx, linked);
  const others = membership.shops.filter((other) => other !== shop);
  return {
    available: here + balances.reduce((sum, account) => sum + Math.max(0, account.available), 0),
    shops: linked.length + 1,
    group: { name: membership.name, shops: others.map((other) => ({ shop: other, linked: linked.some((account) => account.shop === other) })) },
  };
}

export async function sharedAvailable(
  ctx: AppContext,
  shop: string,
  customerId: string,
  here: number,
): Promise<{ available: number; shops: number }> {
  const { available, shops } = await sharedBalance(ctx, shop, customerId, here);
  return { available, shops };
}
