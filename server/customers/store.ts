import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** What Shopify told us about a customer (customers/create, customers/update, orders). */
export interface CustomerProfile {
  shop: string;
  customerId: string;
  email?: string | null;
  /** Shopify's `verified_email`: the customer proved the address (a program group's report counts such emails; they link nothing). */
  verifiedEmail?: boolean;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  birthday?: string | null;
  addresses?: unknown[];
  tags: string[];
  /** Each tag's last tags_added/removed event (customers/tags.ts); tags are the present ones. */
  tagMarks?: Record<string, { present: boolean; at: string }>;
  /** When the app last learnt the customer's tags (an event or a read from Shopify). */
  tagsKnownAt?: Date;
  updatedAt: Date;
  /** The profile's `updated_at` in Shopify when it was stored; an update older than this is ignored. */
  shopifyUpdatedAt?: Date | null;
  redactedAt?: Date;
}

const customerSchema = new Schema<CustomerProfile>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    email: String,
    verifiedEmail: Boolean,
    firstName: String,
    lastName: String,
    phone: String,
    birthday: String,
    addresses: { type: [Schema.Types.Mixed], default: undefined },
    tags: { type: [String], default: [] },
    tagMarks: { type: Schema.Types.Mixed },
    tagsKnownAt: Date,
    updatedAt: { type: Date, required: true },
    shopifyUpdatedAt: { type: Date, default: undefined },
    redactedAt: Date,
  },
  { collection: 'customers', versionKey: false },
);
customerSchema.index({ shop: 1, customerId: 1 }, { unique: true });
customerSchema.index({ shop: 1, email: 1 });

export function customerModel(connection: Connection): Model<CustomerProfile> {
  return modelOn(connection, 'CustomerProfile', customerSchema);
}

/** The fields customers/redact erases. */
export const PERSONAL_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'birthday', 'addresses'] as const;

/** A customer's profile as Shopify last sent it, or null. */
export async function findProfile(connection: Connection, shop: string, customerId: string): Promise<CustomerProfile | null> {
  return customerModel(connection).findOne({ shop, customerId }).lean<CustomerProfile>();
}

/** Whether Shopify ever sent this customer's profile. */
export async function hasProfile(connection: Connection, shop: string, customerId: string): Promise<boolean> {
  return (await customerModel(connection).exists({ shop, customerId })) !== null;
}

/** The customers of a shop with one of these emails (as stored). */
export async function profilesWithEmails(
  connection: Connection,
  shop: string,
  emails: string[],
): Promise<Array<{ customerId: string; email: string }>> {
  return customerModel(connection)
    .find({ shop, email: { $in: emails } }, { _id: 0, customerId: 1, email: 1 })
    .lean<Array<{ customerId: string; email: string }>>();
}

/** Every customer id of a shop that has a profile. */
export async function profileIds(connection: Connection, shop: string): Promise<string[]> {
  return (await customerModel(connection).find({ shop }, { _id: 0, customerId: 1 }).lean()).map((profile) => profile.customerId);
}

/** A shop's customers whose email Shopify marks verified (program groups count who could link). */
export async function verifiedProfiles(
  connection: Connection,
  shop: string,
): Promise<Array<Pick<CustomerProfile, 'shop' | 'customerId' | 'email' | 'redactedAt'>>> {
  return customerModel(connection).find({ shop, verifiedEmail: true }, { _id: 0, shop: 1, customerId: 1, email: 1, redactedAt: 1 }).lean();
}

/** A customer as a search lists them: who they are, without their addresses. */
export interface CustomerMatch {
  customerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  redacted: boolean;
}

/**
 * Customers whose id, email, name or phone contains `text` (case-insensitive, as plain text, not
 * a pattern), most recently updated first; every customer when `text` is empty.
 */
export async function searchCustomers(
  connection: Connection,
  shop: string,
  text: string,
  options: { limit: number; maxTimeMS?: number },
): Promise<CustomerMatch[]> {
  const trimmed = text.trim();
  const pattern = new RegExp(trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const filter =
    trimmed === ''
      ? { shop }
      : { shop, $or: [{ customerId: trimmed }, { email: pattern }, { firstName: pattern }, { lastName: pattern }, { phone: pattern }] };
  const profiles = await customerModel(connection)
    .find(filter, { _id: 0, customerId: 1, email: 1, firstName: 1, lastName: 1, phone: 1, redactedAt: 1 })
    .sort({ updatedAt: -1 })
    .limit(options.limit)
    .maxTimeMS(options.maxTimeMS ?? 5_000)
    .lean();
  return profiles.map((profile) => ({
    customerId: profile.customerId,
    name: [profile.firstName, profile.lastName].filter(Boolean).join(' ') || null,
    email: profile.email ?? null,
    phone: profile.phone ?? null,
    redacted: Boolean(profile.redactedAt),
  }));
}

/** One customer's name and email, or null when Shopify never told us about them. */
export async function customerProfileOf(connection: Connection, shop: string, customerId: string): Promise<CustomerMatch | null> {
  const profile = await customerModel(connection)
    .findOne({ shop, customerId }, { _id: 0, customerId: 1, email: 1, firstName: 1, lastName: 1, phone: 1, redactedAt: 1 })
    .lean();
  return profile
    ? {
        customerId: profile.customerId,
        name: [profile.firstName, profile.lastName].filter(Boolean).join(' ') || null,
        email: profile.email ?? null,
        phone: profile.phone ?? null,
        redacted: Boolean(profile.redactedAt),
      }
    : null;
}
