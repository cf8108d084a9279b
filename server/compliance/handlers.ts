import type { Connection } from 'mongoose';
import { z } from 'zod';
import { PERSONAL_FIELDS } from '../customers/index.js';
import { inboxModel, webhookLogModel } from '../inbox/index.js';
import { dataExportModel } from './store.js';
import { PermanentFailure, type TopicHandler } from '../inbox/index.js';

const customerRequest = z.object({
  customer: z.object({ id: z.union([z.number(), z.string()]).transform(String) }),
  data_request: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).optional(),
});

function parseRequest(payload: unknown): z.infer<typeof customerRequest> {
  const parsed = customerRequest.safeParse(payload);
  if (!parsed.success) throw new PermanentFailure(`compliance payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Collections that hold documents about a customer: those with a `customerId` path. */
function customerCollections(connection: Connection): string[] {
  return Object.keys(connection.models).filter((name) => connection.models[name]?.schema.path('customerId') && name !== 'DataExport');
}

/** customers/data_request: everything stored about the customer, as one downloadable export. */
const dataRequest: TopicHandler = async (delivery, ctx, now) => {
  const request = parseRequest(delivery.payload);
  const customerId = request.customer.id;
  const requestId = request.data_request?.id ?? delivery.eventId;
  const content: Record<string, unknown[]> = {};
  for (const name of customerCollections(ctx.connection)) {
    content[name] = await ctx.connection.models[name]!.find({ shop: delivery.shop, customerId }, { _id: 0 }).lean();
  }
  const exports = dataExportModel(ctx.connection);
  await exports.updateOne(
    { shop: delivery.shop, exportId: `request-${requestId}` },
    { $setOnInsert: { customerId, requestId, requestedAt: now, content: JSON.stringify({ shop: delivery.shop, customerId, generatedAt: now, data: content }) } },
    { upsert: true },
  );
  return { status: 'processed', detail: `export request-${requestId} ready (${Object.values(content).reduce((sum, docs) => sum + docs.length, 0)} documents)` };
};

/**
 * customers/redact: erase the customer's personal fields everywhere (profile, webhook bodies that
 * named them, exports) while ledger entries and totals stay, anonymous, for the shop's accounts.
 */
const customerRedact: TopicHandler = async (delivery, ctx, now) => {
  const { customer } = parseRequest(delivery.payload);
  const unset = Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, 1]));
  for (const name of customerCollections(ctx.connection)) {
    const model = ctx.connection.models[name]!;
    const personal = PERSONAL_FIELDS.filter((field) => model.schema.path(field));
    const update: Record<string, unknown> = personal.length > 0 ? { $unset: Object.fromEntries(personal.map((field) => [field, unset[field]])) } : {};
    if (model.schema.path('redactedAt')) update.$set = { redactedAt: now };
    if (Object.keys(update).length > 0) await model.updateMany({ shop: delivery.shop, customerId: customer.id }, update);
  }
  const redactedBody = { $set: { body: '{"redacted":true}' } };
  await webhookLogModel(ctx.connection).updateMany({ shop: delivery.shop, customerId: customer.id }, redactedBody);
  await inboxModel(ctx.connection).updateMany({ shop: delivery.shop, customerId: customer.id, $or: [{ status: 'failed' }, { eventId: delivery.eventId }] }, redactedBody);
  await dataExportModel(ctx.connection).deleteMany({ shop: delivery.shop, customerId: customer.id });
  return { status: 'processed', detail: `customer ${customer.id} redacted` };
};

/** shop/redact: every document of the shop, in every collection, is deleted. */
const shopRedact: TopicHandler = async (delivery, ctx) => {
  let deleted = 0;
  for (const model of Object.values(ctx.connection.models)) {
    if (model.modelName === 'InboxEntry') continue;
    deleted += (await model.deleteMany({ shop: delivery.shop })).deletedCount;
  }
  // The inbox goes last but for this delivery itself, whose outcome the worker still records.
  await ctx.connection.models.InboxEntry?.deleteMany({ shop: delivery.shop, eventId: { $ne: delivery.eventId } });
  return { status: 'processed', detail: `${deleted} documents of ${delivery.shop} deleted` };
};

export const complianceTopicHandlers: Record<string, TopicHandler> = {
  'customers/data_request': dataRequest,
  'customers/redact': customerRedact,
  'shop/redact': shopRedact,
};
