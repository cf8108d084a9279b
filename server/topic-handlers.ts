import type { HandlerOutcome, TopicHandler } from './inbox/index.js';
import { recordGuestOrder } from './analytics/index.js';
import { complianceTopicHandlers } from './compliance/index.js';
import { customerTopicHandlers } from './customers/index.js';
import { orderTopicHandlers } from './earning/index.js';
import { signUpOnCustomerCreate } from './engagement/index.js';
import { forgetCancelledGuestSale, recordGuestSale } from './pos/index.js';
import { shopTopicHandlers } from './shops/index.js';

/** Runs two capabilities' handlers for one topic, in order; the delivery's outcome names both. */
function inTurn(first: TopicHandler, second: TopicHandler): TopicHandler {
  return async (delivery, ctx, now) => {
    const outcomes = [await first(delivery, ctx, now), await second(delivery, ctx, now)];
    const words = (outcome: HandlerOutcome) => (outcome.status === 'processed' ? (outcome.detail ?? 'processed') : outcome.reason);
    return outcomes.some((outcome) => outcome.status === 'processed')
      ? { status: 'processed', detail: outcomes.map(words).join('; ') }
      : { status: 'skipped', reason: outcomes.map(words).join('; ') };
  };
}

/** Every webhook topic the app acts on; a topic without a handler is recorded as skipped. */
export const topicHandlers: Record<string, TopicHandler> = {
  ...shopTopicHandlers,
  ...customerTopicHandlers,
  'customers/create': inTurn(customerTopicHandlers['customers/create']!, signUpOnCustomerCreate),
  ...complianceTopicHandlers,
  ...orderTopicHandlers,
  'orders/paid': inTurn(inTurn(orderTopicHandlers['orders/paid']!, recordGuestOrder), recordGuestSale),
  'orders/cancelled': inTurn(orderTopicHandlers['orders/cancelled']!, forgetCancelledGuestSale),
};
