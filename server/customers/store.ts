import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** What Shopify told us about a customer (customers/create, customers/update, orders). */
export interface CustomerProfile {
  shop: string;
  customerId: string;
  email?: string | null;
  /** Shopify's `verified_email`: the customer proved the address (program groups match accounts only by such emails). */
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

/** The admin's search: by id, or by email or name as plain text (case-insensitive), most recently updated first. */
export async function searchProfiles(
  connection: Connection,
  shop: string,
  text: string,
  limit: number,
  maxTimeMS: number,
): Promise<Array<Pick<CustomerProfile, 'customerId' | 'email' | 'firstName' | 'lastName' | 'redactedAt'>>> {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const filter = text === '' ? { shop } : { shop, $or: [{ customerId: text }, { email: pattern }, { firstName: pattern }, { lastName: pattern }] };
  return customerModel(connection)
    .find(filter, { _id: 0, customerId: 1, email: 1, firstName: 1, lastName: 1, redactedAt: 1 })
    .sort({ updatedAt: -1 })
    .limit(limit)
    .maxTimeMS(maxTimeMS)
    .lean();
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

/** Accounts in other shops with the same verified email, oldest shop name first. */
export async function verifiedEmailAccounts(
  connection: Connection,
  shops: string[],
  email: string,
): Promise<Array<Pick<CustomerProfile, 'shop' | 'customerId' | 'redactedAt'>>> {
  return customerModel(connection)
    .find({ shop: { $in: shops }, email, verifiedEmail: true }, { shop: 1, customerId: 1, redactedAt: 1 })
    .sort({ shop: 1, customerId: 1 })
    .lean();
}
