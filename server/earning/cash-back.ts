import { abandonEffect, claimEffect, completeEffect, listStaleEffects, takeOverEffect, type Effect } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { formatAmount, parseAmount } from '../platform/money.js';
import { adminClientFor } from '../shops/index.js';
import {
  STORE_CREDIT_ACCOUNT_CREDIT,
  STORE_CREDIT_RECENT,
  type StoreCreditAccountCreditData,
  type StoreCreditRecentData,
} from '../shopify/operations.js';
import { cashBackEffectModel, setCashBackState, type OrderPoints } from './store.js';

const cashBackKey = (orderId: string) => `cash_back:order:${orderId}`;
/** A claim older than this whose holder never recorded an outcome is presumed crashed. */
export const CASH_BACK_STALE_MS = 10 * 60_000;

class StoreCreditRefused extends Error {
  override readonly name = 'StoreCreditRefused';
}

async function creditStoreCredit(ctx: AppContext, shop: string, effect: Effect): Promise<void> {
  const { customerId, amount, currency } = effect.intent;
  const data = await adminClientFor(ctx)<StoreCreditAccountCreditData>(shop, STORE_CREDIT_ACCOUNT_CREDIT, {
    id: `gid://shopify/Customer/${String(customerId)}`,
    creditInput: { creditAmount: { amount: formatAmount({ amount: Number(amount), currency: String(currency) }), currencyCode: String(currency) } },
  });
  const errors = data.storeCreditAccountCredit.userErrors;
  if (errors.length > 0) throw new StoreCreditRefused(`store credit refused: ${errors.map((error) => error.message).join('; ')}`);
}

/**
 * Pays an order's cash back as Shopify store credit once. The intent is claimed under the order's
 * key before Shopify is called (a unique insert: one caller wins), completed after. A refusal
 * withdraws the claim so the delivery's retry claims it again; any other failure leaves the outcome
 * unknown (Shopify may have credited before the connection dropped), so the claim stays for
 * `reconcileCashBack`, never for a blind second credit.
 */
export async function issueCashBack(ctx: AppContext, record: OrderPoints, now: Date): Promise<void> {
  const effects = cashBackEffectModel(ctx.connection);
  const claim = await claimEffect(effects, {
    shop: record.shop,
    key: cashBackKey(record.orderId),
    intent: {
      customerId: record.customerId,
      amount: record.cashBack,
      currency: record.currency,
      orderId: record.orderId,
      firstClaimedAt: now.toISOString(),
    },
    now,
  });
  if (!claim) return;
  await setCashBackState(ctx.connection, record._id, 'issuing');
  try {
    await creditStoreCredit(ctx, record.shop, claim);
  } catch (error) {
    if (error instanceof StoreCreditRefused) await abandonEffect(effects, claim);
    throw error;
  }
  await completeEffect(effects, claim, ctx.clock(), { credited: true });
  await setCashBackState(ctx.connection, record._id, 'issued');
}

/**
 * Claims whose holder died between the claim and its outcome. Store credit has no idempotency key
 * on Shopify's side, so the reconciler looks for a credit of the same amount on the customer's
 * account since the claim was made before crediting again (see docs/ledger.md).
 */
/**
 * Whether Shopify holds a credit of the claim's amount made since the claim: the trace a credit
 * that succeeded before a crash leaves (store credit takes no idempotency key). Two equal cash
 * backs to one customer within the same minutes would look alike; docs/ledger.md says so.
 */
export async function creditSinceClaim(ctx: AppContext, shop: string, effect: Effect): Promise<boolean> {
  const { customerId, amount, currency, firstClaimedAt } = effect.intent;
  const data = await adminClientFor(ctx)<StoreCreditRecentData>(
    shop,
    STORE_CREDIT_RECENT,
    { id: `gid://shopify/Customer/${String(customerId)}` },
    60,
  );
  // Since the first claim: a takeover's own claim time is later than a credit its crashed holder made.
  const since = Date.parse(typeof firstClaimedAt === 'string' ? firstClaimedAt : effect.claimedAt.toISOString()) - 60_000;
  return (data.customer?.storeCreditAccounts.nodes ?? []).some((account) =>
    account.transactions.nodes.some(
      (credit) =>
        credit.amount.currencyCode === currency &&
        parseAmount(credit.amount.amount, String(currency)).amount === Number(amount) &&
        Date.parse(credit.createdAt) >= since,
    ),
  );
}

export async function reconcileCashBack(
  ctx: AppContext,
  shop: string,
  now: Date,
  alreadyCredited: (effect: Effect) => Promise<boolean> = (effect) => creditSinceClaim(ctx, shop, effect),
): Promise<number> {
  const effects = cashBackEffectModel(ctx.connection);
  let settled = 0;
  for (const stale of await listStaleEffects(effects, shop, new Date(now.getTime() - CASH_BACK_STALE_MS))) {
    const claim = await takeOverEffect(effects, stale, now);
    if (!claim) continue;
    try {
      if (!(await alreadyCredited(claim))) await creditStoreCredit(ctx, shop, claim);
    } catch (error) {
      if (error instanceof StoreCreditRefused) await abandonEffect(effects, claim);
      ctx.logger.warn({ shop, key: claim.key, err: error }, 'cash back reconciliation failed; it is tried again on the next run');
      continue;
    }
    await completeEffect(effects, claim, ctx.clock(), { credited: true, reconciled: true });
    settled++;
  }
  return settled;
}
