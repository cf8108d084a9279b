import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';

/** An expiry reminder due to a customer: recorded once per expiry date, for emails or flows to send. */
export interface ExpiryReminder {
  shop: string;
  customerId: string;
  expiresOn: string;
  points: number;
  createdAt: Date;
}

const reminderSchema = new Schema<ExpiryReminder>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    expiresOn: { type: String, required: true },
    points: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'expiry_reminders', versionKey: false },
);
reminderSchema.index({ shop: 1, customerId: 1, expiresOn: 1 }, { unique: true });

export function expiryReminderModel(connection: Connection): Model<ExpiryReminder> {
  return modelOn(connection, 'ExpiryReminder', reminderSchema);
}

export async function recordReminder(connection: Connection, reminder: ExpiryReminder): Promise<boolean> {
  try {
    await expiryReminderModel(connection).create(reminder);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Reminders recorded at or after `from`, in (createdAt, _id) order, `skip` passed over. */
export async function remindersSince(connection: Connection, shop: string, from: Date, skip: number, limit: number): Promise<ExpiryReminder[]> {
  return expiryReminderModel(connection)
    .find({ shop, createdAt: { $gte: from } })
    .sort({ createdAt: 1, _id: 1 })
    .skip(skip)
    .limit(limit)
    .lean<ExpiryReminder[]>();
}
