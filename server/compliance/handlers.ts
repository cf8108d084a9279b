import type { Connection } from 'mongoose';
import { z } from 'zod';
import { PERSONAL_FIELDS } from '../customers/index.js';
import { inboxModel, webhookLogModel } from '../inbox/index.js';
import { dataExportChunkModel, dataExportModel } from './store.js';
import { PermanentFailure, type TopicHandler } from '../platform/topic-handlers.js';
import { writeExport } from './export.js';
import { withoutPersonalFields } from './scrub.js';

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
  return Object.keys(connection.models)
    .filter((name) => connection.models[name]?.schema.path('customerId') && name !== 'DataExport')
    .sort();
}

/** customers/data_request: everything stored about the customer, as a downloadable export written in chunks. */
const dataRequest: TopicHandler = async (delivery, ctx, now) => {
  const request = parseRequest(delivery.payload);
  const requestId = request.data_request?.id ?? delivery.eventId;
  const written = await writeExport(
    ctx.connection,
    {
      shop: delivery.shop,
      customerId: request.customer.id,
      exportId: `request-${requestId}`,
      requestId,
      collections: customerCollections(ctx.connection),
    },
    now,
  );
  return { status: 'processed', detail: `export ${written.exportId} ready (${written.documents} documents in ${written.chunks} chunks)` };
};

/**
 * customers/redact: erase the customer's personal fields everywhere (profile, webhook bodies that
 * named them, deliveries still waiting in the inbox, exports) while ledger entries and totals stay, anonymous, for the shop's accounts.
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
  const inbox = inboxModel(ctx.connection);
  // Finished deliveries (wherever the worker keeps them) need no body any more.
  await inbox.updateMany(
    { shop: delivery.shop, customerId: customer.id, $or: [{ status: { $nin: ['pending', 'processing'] } }, { eventId: delivery.eventId }] },
    redactedBody,
  );
  // Deliveries still to process keep what their handler needs (ids, amounts), nothing personal.
  const waiting = await inbox
    .find(
      { shop: delivery.shop, customerId: customer.id, status: { $in: ['pending', 'processing'] }, eventId: { $ne: delivery.eventId } },
      { body: 1 },
    )
    .lean();
  for (const entry of waiting) {
    const scrubbed = withoutPersonalFields(entry.body);
    if (scrubbed !== entry.body) await inbox.updateOne({ _id: entry._id }, { $set: { body: scrubbed } });
  }
  await removeExportsOf(ctx.connection, delivery.shop, customer.id);
  return { status: 'processed', detail: `customer ${customer.id} redacted` };
};

/** shop/redact: every document of the shop, in every collection, is deleted. */
const shopRedact: TopicHandler = async (delivery, ctx) => {
  // Every model must be registered to be found below; chunks are written only when an export is.
  dataExportChunkModel(ctx.connection);
  let deleted = 0;
  for (const model of Object.values(ctx.connection.models)) {
    if (model.modelName === 'InboxEntry') continue;
    deleted += (await model.deleteMany({ shop: delivery.shop })).deletedCount;
  }
  // The inbox goes last but for this delivery itself, whose outcome the worker still records.
  await ctx.connection.models.InboxEntry?.deleteMany({ shop: delivery.shop, eventId: { $ne: delivery.eventId } });
  return { status: 'processed', detail: `${deleted} documents of ${delivery.shop} deleted` };
};

async function removeExportsOf(connection: Connection, shop: string, customerId: string): Promise<void> {
  const exports = dataExportModel(connection);
  for (const found of await exports.find({ shop, customerId }, { exportId: 1 }).lean()) {
    await exports.deleteOne({ _id: found._id });
    await dataExportChunkModel(connection).deleteMany({ shop, exportId: found.exportId });
  }
}

export const complianceTopicHandlers: Record<string, TopicHandler> = {
  'customers/data_request': dataRequest,
  'customers/redact': customerRedact,
  'shop/redact': shopRedact,
};
