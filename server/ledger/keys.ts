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
  staffAdjustment: (customerId: string, requestKey: string) => `adjust:${customerId}:${requestKey}`,
  holdPlaced: (holdId: string) => `hold:${holdId}`,
  holdReleased: (holdId: string) => `release:hold:${holdId}`,
} as const;
