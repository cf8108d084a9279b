import type { HandlerOutcome, TopicHandler } from './platform/topic-handlers.js';
import { recordGuestOrder } from './analytics/index.js';
import { complianceTopicHandlers } from './compliance/index.js';
import { customerTopicHandlers } from './customers/index.js';
import { orderTopicHandlers } from './earning/index.js';
import { signUpOnCustomerCreate } from './engagement/index.js';
import { forgetCancelledGuestSale, recordGuestSale } from './pos/index.js';
import { shopTopicHandlers } from './shops/index.js';

/**
 * Runs two capabilities' handlers for one topic, in order. The delivery's outcome is the first
 * one's, which speaks for the delivery; the second's words are added only when it did something
 * (a guest order recorded for analytics), never its reasons for leaving a delivery alone.
 */
function inTurn(first: TopicHandler, second: TopicHandler): TopicHandler {
  return async (delivery, ctx, now) => {
    const main = await first(delivery, ctx, now);
    const extra = await second(delivery, ctx, now);
    if (extra.status !== 'processed') return main;
    const words = (outcome: HandlerOutcome) => (outcome.status === 'processed' ? (outcome.detail ?? 'processed') : outcome.reason);
    return { status: 'processed', detail: [words(main), words(extra)].filter(Boolean).join('; ') };
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
