import { Schema, type Connection, type Model } from 'mongoose';
import { insertOnce } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';
import type { AdminGraphql } from '../shopify/admin-graphql.js';
import { SEGMENT_CREATE, SEGMENTS_BY_NAME } from '../shopify/operations.js';

/*
 * The customer segment that limits the friend's code to first orders on Shopify's side: customers
 * with no order yet (ShopifyQL `number_of_orders = 0`). One per shop: Shopify keeps segment names
 * unique, so the segment is found by its name before it is created, and a crash between the
 * creation and the record below finds it next time instead of creating another.
 */

export const FIRST_ORDER_SEGMENT_NAME = 'Tally referrals: first-time customers';
export const FIRST_ORDER_SEGMENT_QUERY = 'number_of_orders = 0';

interface ReferralSegment {
  shop: string;
  segmentId: string;
  recordedAt: Date;
}
const segmentSchema = new Schema<ReferralSegment>(
  {
    shop: { type: String, required: true },
    segmentId: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'referral_segments', versionKey: false },
);
segmentSchema.index({ shop: 1 }, { unique: true });
export const referralSegmentModel = (connection: Connection): Model<ReferralSegment> => modelOn(connection, 'ReferralSegment', segmentSchema);

interface SegmentNode {
  id: string;
  name: string;
  query: string;
}
interface SegmentsByNameData {
  segments: { nodes: SegmentNode[] };
}
interface SegmentCreateData {
  segmentCreate: { segment: SegmentNode | null; userErrors: Array<{ field: string[] | null; message: string }> };
}

/** Shopify's search syntax: a quoted value, its quotes and backslashes escaped. */
const nameQuery = (name: string) => `name:'${name.replace(/[\\']/g, (char) => `\\${char}`)}'`;

async function segmentNamed(admin: AdminGraphql, shop: string, name: string): Promise<string | null> {
  const data = await admin<SegmentsByNameData>(shop, SEGMENTS_BY_NAME, { query: nameQuery(name) });
  // The search is by words; only the exact name is ours.
  return data.segments.nodes.find((segment) => segment.name === name)?.id ?? null;
}

/**
 * The shop's first-time-customer segment: the recorded one, else the one Shopify has under our name,
 * else a new one; recorded by a unique insert, so concurrent callers agree on the first recorded.
 * Null when Shopify refuses to create it (the friend's code is then not created either).
 */
export async function firstOrderSegmentOf(connection: Connection, admin: AdminGraphql, shop: string, now: Date): Promise<string | null> {
  const records = referralSegmentModel(connection);
  const recorded = await records.findOne({ shop }).lean<ReferralSegment>();
  if (recorded) return recorded.segmentId;
  let segmentId = await segmentNamed(admin, shop, FIRST_ORDER_SEGMENT_NAME);
  if (!segmentId) {
    const created = await admin<SegmentCreateData>(shop, SEGMENT_CREATE, { name: FIRST_ORDER_SEGMENT_NAME, query: FIRST_ORDER_SEGMENT_QUERY });
    // A refusal may be a concurrent caller's segment taking the name: look it up once more.
    segmentId = created.segmentCreate.segment?.id ?? (await segmentNamed(admin, shop, FIRST_ORDER_SEGMENT_NAME));
  }
  if (!segmentId) return null;
  if (await insertOnce(records, { shop, segmentId, recordedAt: now })) return segmentId;
  return (await records.findOne({ shop }).lean<ReferralSegment>())?.segmentId ?? segmentId;
}
