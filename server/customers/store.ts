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
