import type { TopicHandler } from '../platform/topic-handlers.js';
import { loadProgram } from '../program/index.js';
import { creditSignUp } from './actions.js';

/** customers/create: the sign-up bonus, once per customer (off unless the merchant turns it on). */
export const signUpOnCustomerCreate: TopicHandler = async (delivery, ctx, now) => {
  const id = (delivery.payload as { id?: unknown } | null)?.id;
  const customerId = typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  const program = await loadProgram(ctx.connection, delivery.shop);
  if (!customerId || !program) return { status: 'skipped', reason: 'no customer id or no program' };
  const points = await creditSignUp(ctx, program, delivery.shop, customerId, now);
  return points > 0 ? { status: 'processed', detail: `sign-up bonus: ${points} points` } : { status: 'skipped', reason: 'no sign-up bonus' };
};
