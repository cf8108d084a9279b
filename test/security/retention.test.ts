import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceTopicHandlers, dataExportModel, expireExports, expireWebhookLog, writeExport } from '../../server/compliance/index.js';
import { dataExportChunkModel } from '../../server/compliance/store.js';
import { inboxModel, webhookLogModel, type InboxEntry } from '../../server/inbox/index.js';
import type { AppContext } from '../../server/platform/context.js';
import { scheduledJobs } from '../../server/boot.js';
import { registerModels } from '../../server/indexes.js';
import { testContext } from '../support/context.js';

const DAY = 86_400_000;
const shop = 'retention.myshopify.com';
const start = new Date('2026-03-01T00:00:00Z');

function delivery(eventId: string, receivedAt: Date, body: string, status: InboxEntry['status'], customerId = '5'): InboxEntry {
  return {
    shop,
    eventId,
    webhookId: eventId,
    topic: 'orders/paid',
    apiVersion: '2026-10',
    triggeredAt: receivedAt,
    receivedAt,
    customerId,
    body,
    status,
    attempts: 1,
    availableAt: receivedAt,
  };
}

describe('retention: webhook bodies, the webhook log and exports expire; redaction reaches pending deliveries', () => {
  let ctx: AppContext;
  const now = start;
  beforeAll(async () => {
    ctx = await testContext('retention', () => now);
    registerModels(ctx.connection);
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  it("the daily jobs are scheduled with the app's jobs", () => {
    expect(scheduledJobs.map((job) => [job.name, job.period])).toEqual(
      expect.arrayContaining([
        ['retention-webhook-log', 'day'],
        ['retention-exports', 'day'],
      ]),
    );
  });

  it('clears bodies of finished deliveries after 30 days and deletes them after 90; the recent ones stay whole', async () => {
    const order = '{"id":820982911946154508,"email":"jon@example.com","shipping_address":{"address1":"1 Main St"}}';
    await webhookLogModel(ctx.connection).insertMany([
      delivery('fresh', new Date(start.getTime() - 29 * DAY), order, 'processed'),
      delivery('old', new Date(start.getTime() - 31 * DAY), order, 'processed'),
      delivery('old-failed', new Date(start.getTime() - 45 * DAY), order, 'failed'),
      delivery('ancient', new Date(start.getTime() - 91 * DAY), order, 'processed'),
    ]);
    const job = scheduledJobs.find((candidate) => candidate.name === 'retention-webhook-log')!;
    await job.run(ctx, shop, start);
    const left = await webhookLogModel(ctx.connection).find({ shop }).sort({ receivedAt: -1 }).lean();
    expect(left.map((entry) => [entry.eventId, entry.body.includes('jon@example.com')])).toEqual([
      ['fresh', true],
      ['old', false],
      ['old-failed', false],
    ]);
    expect(left[1]).toMatchObject({ status: 'processed', topic: 'orders/paid', body: '{"expired":true}' });
    expect(await expireWebhookLog(ctx.connection, shop, start)).toEqual({ cleared: 0, deleted: 0 });
  });

  it('an export is downloadable for 30 days, then the job deletes it with its chunks', async () => {
    await ctx.connection.collection('customers').insertOne({ shop, customerId: '6', email: 'six@example.com', updatedAt: start });
    const written = await writeExport(
      ctx.connection,
      { shop, customerId: '6', exportId: 'request-6', requestId: '6', collections: ['CustomerProfile'] },
      start,
    );
    expect(written.expiresAt).toEqual(new Date(start.getTime() + 30 * DAY));
    expect(await expireExports(ctx.connection, shop, new Date(start.getTime() + 29 * DAY))).toBe(0);
    const job = scheduledJobs.find((candidate) => candidate.name === 'retention-exports')!;
    await job.run(ctx, shop, new Date(start.getTime() + 30 * DAY));
    expect(await dataExportModel(ctx.connection).countDocuments({ shop })).toBe(0);
    await expireExports(ctx.connection, shop, new Date(start.getTime() + 32 * DAY));
    expect(await dataExportChunkModel(ctx.connection).countDocuments({ shop })).toBe(0);
  });

  it('customers/redact strips personal fields from deliveries still waiting in the inbox, keeping ids exact', async () => {
    const body =
      '{"id":820982911946154508,"email":"ada@example.com","phone":"+15550001","customer":{"id":115310627314723954,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},"billing_address":{"name":"Ada Lovelace"},"current_subtotal_price":"12.30","note_attributes":[]}';
    await inboxModel(ctx.connection).insertMany([
      delivery('waiting', start, body, 'pending', '115310627314723954'),
      delivery('other-customer', start, body.replace(/115310627314723954/g, '1'), 'pending', '1'),
    ]);
    await complianceTopicHandlers['customers/redact']!(
      {
        shop,
        topic: 'customers/redact',
        eventId: 'redact-1',
        webhookId: 'redact-1',
        apiVersion: '2026-10',
        triggeredAt: start,
        receivedAt: start,
        payload: { shop_domain: shop, customer: { id: '115310627314723954' } },
      },
      ctx,
      start,
    );
    const waiting = await inboxModel(ctx.connection).findOne({ shop, eventId: 'waiting' }).lean();
    expect(waiting?.status).toBe('pending');
    expect(waiting?.body).toBe(
      '{"id":820982911946154508,"customer":{"id":115310627314723954},"current_subtotal_price":"12.30","note_attributes":[]}',
    );
    expect((await inboxModel(ctx.connection).findOne({ shop, eventId: 'other-customer' }).lean())?.body).toContain('ada@example.com');
  });
});
