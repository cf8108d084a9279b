import { Schema, type Connection, type Model } from 'mongoose';
import { deleteOnce, insertOnce } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';

/**
 * A sale at the register paid without a customer (orders/paid, `source_name: "pos"`), kept so
 * staff can attach it to a customer within the program's window. `payload` is the order as the
 * inbox stored it (personal fields already stripped), which earning credits once attached.
 */
export interface GuestSale {
  /** `${shop}|${orderId}`. */
  _id: string;
  shop: string;
  orderId: string;
  orderName: string | null;
  /** The sale's subtotal in the shop's money, as Shopify wrote it ("4.50"), for the list staff pick from. */
  subtotal: string;
  currency: string;
  paidAt: Date;
  payload: Record<string, unknown>;
}

const guestSaleSchema = new Schema<GuestSale>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    orderName: { type: String, default: null },
    subtotal: { type: String, required: true },
    currency: { type: String, required: true },
    paidAt: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'pos_guest_sales', versionKey: false, minimize: false },
);
guestSaleSchema.index({ shop: 1, paidAt: -1 });

/** A guest sale attached to a customer: inserted once per order, so the first attachment is the only one. */
export interface SaleAttachment {
  /** `${shop}|${orderId}`. */
  _id: string;
  shop: string;
  orderId: string;
  customerId: string;
  userId: string;
  staffMemberId: string | null;
  attachedAt: Date;
}

const attachmentSchema = new Schema<SaleAttachment>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    customerId: { type: String, required: true },
    userId: { type: String, required: true },
    staffMemberId: { type: String, default: null },
    attachedAt: { type: Date, required: true },
  },
  { collection: 'pos_sale_attachments', versionKey: false },
);
attachmentSchema.index({ shop: 1, customerId: 1 });

/**
 * What staff did at the register, in the order they did it: the verified account behind each
 * action beside the staff member POS named, so the merchant can see both.
 */
export interface RegisterAction {
  shop: string;
  kind: 'redeem' | 'give_back' | 'adjust' | 'attach' | 'enrol';
  customerId: string;
  userId: string;
  staffMemberId: string | null;
  roleId: string | null;
  points: number;
  detail: string;
  at: Date;
}

const actionSchema = new Schema<RegisterAction>(
  {
    shop: { type: String, required: true },
    kind: { type: String, required: true },
    customerId: { type: String, required: true },
    userId: { type: String, required: true },
    staffMemberId: { type: String, default: null },
    roleId: { type: String, default: null },
    points: { type: Number, required: true },
    detail: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'pos_actions', versionKey: false },
);
actionSchema.index({ shop: 1, at: -1 });

export function guestSaleModel(connection: Connection): Model<GuestSale> {
  return modelOn(connection, 'PosGuestSale', guestSaleSchema);
}

export function saleAttachmentModel(connection: Connection): Model<SaleAttachment> {
  return modelOn(connection, 'PosSaleAttachment', attachmentSchema);
}

export function registerActionModel(connection: Connection): Model<RegisterAction> {
  return modelOn(connection, 'PosAction', actionSchema);
}

/** The collections of the POS capability, for ensureIndexes. */
export const posModels = [guestSaleModel, saleAttachmentModel, registerActionModel];

const saleId = (shop: string, orderId: string) => `${shop}|${orderId}`;

/** Keeps a guest sale; a redelivered orders/paid finds it kept. */
export async function keepGuestSale(connection: Connection, sale: Omit<GuestSale, '_id'>): Promise<boolean> {
  return insertOnce(guestSaleModel(connection), { _id: saleId(sale.shop, sale.orderId), ...sale });
}

/** A cancelled guest sale leaves the list staff attach from (an attachment already made stands). */
export async function forgetGuestSale(connection: Connection, shop: string, orderId: string): Promise<boolean> {
  return deleteOnce(guestSaleModel(connection), { _id: saleId(shop, orderId) });
}

export async function findGuestSale(connection: Connection, shop: string, orderId: string): Promise<GuestSale | null> {
  return guestSaleModel(connection).findById(saleId(shop, orderId)).lean();
}

/** Guest sales paid since `since`, newest first, without their payloads. */
export async function guestSalesSince(connection: Connection, shop: string, since: Date, limit: number): Promise<Array<Omit<GuestSale, 'payload'>>> {
  return guestSaleModel(connection)
    .find({ shop, paidAt: { $gte: since } }, { payload: 0 })
    .sort({ paidAt: -1 })
    .limit(limit)
    .lean();
}

/** Attaches a sale to a customer unless it is attached already; returns the attachment that stands. */
export async function attachOnce(
  connection: Connection,
  attachment: Omit<SaleAttachment, '_id'>,
): Promise<{ attached: boolean; standing: SaleAttachment }> {
  const doc: SaleAttachment = { _id: saleId(attachment.shop, attachment.orderId), ...attachment };
  if (await insertOnce(saleAttachmentModel(connection), doc)) return { attached: true, standing: doc };
  const standing = await saleAttachmentModel(connection).findById(doc._id).lean();
  if (!standing) throw new Error(`the attachment of order ${attachment.orderId} collided but cannot be read`);
  return { attached: false, standing };
}

export async function findAttachment(connection: Connection, shop: string, orderId: string): Promise<SaleAttachment | null> {
  return saleAttachmentModel(connection).findById(saleId(shop, orderId)).lean();
}

export async function recordAction(connection: Connection, action: RegisterAction): Promise<void> {
  await registerActionModel(connection).create(action);
}

export async function recentActions(connection: Connection, shop: string, limit: number): Promise<RegisterAction[]> {
  return registerActionModel(connection).find({ shop }, { _id: 0 }).sort({ at: -1 }).limit(limit).lean();
}
