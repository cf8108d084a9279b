import { findProfile, verifiedEmailAccounts } from '../customers/index.js';
import { balanceOf } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { membershipOf } from './membership.js';

/** One of a customer's accounts: the customer as one shop knows them. */
export interface Account {
  shop: string;
  customerId: string;
}

/**
 * The customer's accounts in the other shops of this shop's group: the customers there with the
 * same email, verified in both shops (Shopify's `verified_email`), not redacted. Empty when the
 * shop is in no group, or this customer's email is unknown or unverified.
 */
export async function linkedAccounts(ctx: AppContext, shop: string, customerId: string): Promise<Account[]> {
  const membership = await membershipOf(ctx, shop);
  if (!membership || membership.shops.length < 2) return [];
  const me = await findProfile(ctx.connection, shop, customerId);
  if (!me?.email || me.verifiedEmail !== true || me.redactedAt) return [];
  const others = membership.shops.filter((other) => other !== shop);
  const found = await verifiedEmailAccounts(ctx.connection, others, me.email);
  const byShop = new Map<string, Account>();
  for (const account of found)
    if (!account.redactedAt && !byShop.has(account.shop)) byShop.set(account.shop, { shop: account.shop, customerId: account.customerId });
  return [...byShop.values()];
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

/**
 * What the customer may spend in this shop: their available points here plus those of their
 * linked accounts in the group. `here` is this shop's available balance, which callers have read.
 */
export async function sharedAvailable(
  ctx: AppContext,
  shop: string,
  customerId: string,
  here: number,
): Promise<{ available: number; shops: number }> {
  const linked = await linkedAccounts(ctx, shop, customerId);
  if (linked.length === 0) return { available: here, shops: 1 };
  const balances = await balancesOf(ctx, linked);
  return { available: here + balances.reduce((sum, account) => sum + Math.max(0, account.available), 0), shops: linked.length + 1 };
}
