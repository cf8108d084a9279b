import { createHash } from 'node:crypto';

const digest = (...parts: Array<string | number>) => createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22);

/**
 * Every business key the ledger accepts, built in one place. A key takes effect once per shop:
 * whatever retries, duplicates or crashes happen, the entry under a key is written at most once.
 */
export const ledgerKeys = {
  orderEarned: (orderId: string) => `earn:order:${orderId}`,
  refundReversed: (refundId: string) => `reverse:refund:${refundId}`,
  orderCancelled: (orderId: string) => `cancel:order:${orderId}`,
  /** Each Shopify update of an order (its `updated_at`, or the event id) is its own edit. */
  orderEdited: (orderId: string, version: string) => `edit:order:${orderId}:${version}`,
  pendingReleased: (orderId: string) => `release:order:${orderId}`,
  /** Expiry runs at most once per customer per day. */
  pointsExpired: (customerId: string, day: string) => `expire:${customerId}:${day}`,
  rewardRedeemed: (redemptionId: string) => `redeem:${redemptionId}`,
  /** Shopify could not issue the reward: the points go back. */
  rewardNotIssued: (redemptionId: string) => `redeem_refund:${redemptionId}`,
  /** The order that used the reward was refunded and the merchant returns redeemed points. */
  rewardReturnedOnRefund: (redemptionId: string) => `redeem_return:${redemptionId}`,
  rewardExpiredUnused: (redemptionId: string) => `redeem_expired:${redemptionId}`,
  rewardUsedAfterExpiry: (redemptionId: string) => `redeem_used_after_expiry:${redemptionId}`,
  /** A reward given back before payment (removed from a POS sale): its points return once. */
  rewardCancelled: (redemptionId: string) => `redeem_cancel:${redemptionId}`,
  /** A cancelled code that an order used after all: the returned points are taken again. */
  rewardUsedAfterCancel: (redemptionId: string) => `redeem_used_after_cancel:${redemptionId}`,
  staffAdjustment: (customerId: string, requestKey: string) => `adjust:${customerId}:${requestKey}`,
  /**
   * An adjustment sent without a request key is named by the session token that sent it and what it
   * asks (points, reason): the same request sent again (a retry, a double click) counts once, never
   * by chance. Shopify issues a new token at least every minute, and the admin sends a request key.
   */
  unkeyedStaffAdjustment: (customerId: string, sessionToken: string, points: number, reason: string) =>
    `adjust:${customerId}:session-${digest(sessionToken, points, reason)}`,
  /** A tier's entry reward: once per customer and tier, whatever happens later. */
  tierEntered: (customerId: string, tierId: string) => `tier_entry:${customerId}:${tierId}`,
  /** A tier's birthday bonus: once per customer and year, whatever tier paid it. */
  tierBirthdayBonus: (customerId: string, year: string) => `tier_birthday:${customerId}:${year}`,
  holdPlaced: (holdId: string) => `hold:${holdId}`,
  holdReleased: (holdId: string) => `release:hold:${holdId}`,
  /** Every key an import writes for a customer starts so: what imports credited is their sum. */
  importedPrefix: (customerId: string) => `import:${customerId}:`,
  /** One history line of an imported file, by its content and its place among identical lines. */
  importedHistory: (customerId: string, lineHash: string) => `import:${customerId}:history:${lineHash}`,
  /** The step of what imports credited a customer from `from` to a file's balance `to`; `step` counts earlier steps. */
  importedBalance: (customerId: string, step: number, from: number, to: number) => `import:${customerId}:balance:${step}:${from}:${to}`,
  /** An imported balance set once per customer and value: the same file again sets nothing. */
  importedBalanceSet: (customerId: string, to: number) => `import:${customerId}:set:${to}`,
  /** An action (sign-up, birthday, newsletter, a social follow, a review) rewarded once in its period. */
  actionRewarded: (customerId: string, action: string, period: string) => `action:${customerId}:${action}:${period}`,
  surveyAnswered: (customerId: string, survey: string, period: string) => `survey:${customerId}:${survey}:${period}`,
  /** A referral is keyed by its friend: one referral credit per friend, whoever referred them. */
  referralCredited: (friendId: string) => `referral:${friendId}`,
  referralReversed: (friendId: string) => `referral_reverse:${friendId}`,
  badgeAwarded: (customerId: string, badgeId: string) => `badge:${customerId}:${badgeId}`,
  challengeCompleted: (customerId: string, challengeId: string) => `challenge:${customerId}:${challengeId}`,
  pointsDonated: (customerId: string, requestKey: string) => `donate:${customerId}:${requestKey}`,
  /** A transfer's two entries, both named by the sender's request key: the debit first, then the credit. */
  transferSent: (senderId: string, requestKey: string) => `transfer_out:${senderId}:${requestKey}`,
  transferReceived: (senderId: string, requestKey: string) => `transfer_in:${senderId}:${requestKey}`,
  /**
   * A program group's move between one customer's accounts in two shops, named by the spending
   * shop's request: the debit in the giving shop first, then the credit in the spending shop.
   */
  groupMovedOut: (toShop: string, toCustomerId: string, requestKey: string) => `group_out:${toShop}:${toCustomerId}:${requestKey}`,
  groupMovedIn: (fromShop: string, fromCustomerId: string, requestKey: string) => `group_in:${fromShop}:${fromCustomerId}:${requestKey}`,
} as const;
