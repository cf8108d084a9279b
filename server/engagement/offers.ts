import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { orderCreditsSince, ledgerKeys } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { modelOn } from '../platform/models.js';
import { creditBonus } from './credit.js';
import { birthdayModel } from './store.js';

/*
 * Personalised offers (issue 18): a win-back bonus for members who have not ordered in N days and a
 * birthday-month bonus, each "+N points on your next order before a date". Issued once per lapse or
 * per year by the daily job (a unique insert), paid once on the next paid order (its ledger key);
 * docs/engagement.md.
 */

const DAY_MS = 86_400_000;
/** A member whose last order is older than this is no longer written to. */
const LOOKBACK_DAYS = 365;

export const offerSettingsSchema = z.object({
  winBack: z.object({
    enabled: z.boolean(),
    title: z.string().trim().min(1).max(60),
    afterDays: z
      .number()
      .int()
      .min(7)
      .max(LOOKBACK_DAYS - 1),
    points: z.number().int().min(1).max(100_000),
    validDays: z.number().int().min(1).max(365),
  }),
  birthday: z.object({ enabled: z.boolean(), title: z.string().trim().min(1).max(60), points: z.number().int().min(1).max(100_000) }),
});
export type OfferSettings = z.infer<typeof offerSettingsSchema>;

export function defaultOfferSettings(): OfferSettings {
  return {
    winBack: { enabled: false, title: 'We miss you', afterDays: 90, points: 200, validDays: 30 },
    birthday: { enabled: false, title: 'Happy birthday month', points: 200 },
  };
}

interface OfferSettingsVersion {
  shop: string;
  version: number;
  settings: OfferSettings;
  savedAt: Date;
}
const settingsSchema = new Schema<OfferSettingsVersion>(
  {
    shop: { type: String, required: true },
    version: { type: Number, required: true },
    settings: { type: Schema.Types.Mixed, required: true },
    savedAt: { type: Date, required: true },
  },
  { collection: 'engagement_offer_settings', versionKey: false },
);
settingsSchema.index({ shop: 1, version: -1 }, { unique: true });
export const offerSettingsModel = (connection: Connection): Model<OfferSettingsVersion> =>
  modelOn(connection, 'EngagementOfferSettings', settingsSchema);

export type OfferKind = 'win_back' | 'birthday';

/** An offer made to one member: the unique (kind, period) makes it once per lapse (the last order's id) or per birthday year. */
export interface Offer {
  shop: string;
  customerId: string;
  kind: OfferKind;
  period: string;
  title: string;
  points: number;
  issuedAt: Date;
  expiresAt: Date;
}
const offerSchema = new Schema<Offer>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    kind: { type: String, required: true },
    period: { type: String, required: true },
    title: { type: String, required: true },
    points: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'engagement_offers', versionKey: false },
);
offerSchema.index({ shop: 1, customerId: 1, kind: 1, period: 1 }, { unique: true });
offerSchema.index({ shop: 1, customerId: 1, expiresAt: 1 });
offerSchema.index({ shop: 1, issuedAt: 1 });
export const offerModel = (connection: Connection): Model<Offer> => modelOn(connection, 'EngagementOffer', offerSchema);

/** The order an offer was used on: written after its points, so the launcher stops showing it. */
interface OfferUse {
  shop: string;
  customerId: string;
  kind: OfferKind;
  period: string;
  orderId: string;
  usedAt: Date;
}
const useSchema = new Schema<OfferUse>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    kind: { type: String, required: true },
    period: { type: String, required: true },
    orderId: { type: String, required: true },
    usedAt: { type: Date, required: true },
  },
  { collection: 'engagement_offer_uses', versionKey: false },
);
useSchema.index({ shop: 1, customerId: 1, kind: 1, period: 1 }, { unique: true });
export const offerUseModel = (connection: Connection): Model<OfferUse> => modelOn(connection, 'EngagementOfferUse', useSchema);

export async function offerSettingsOf(ctx: AppContext, shop: string): Promise<{ version: number; settings: OfferSettings }> {
  const latest = await offerSettingsModel(ctx.connection).findOne({ shop }).sort({ version: -1 }).lean<OfferSettingsVersion>();
  return latest ? { version: latest.version, settings: latest.settings } : { version: 0, settings: defaultOfferSettings() };
}

/**
 * Whether a shop's offers are on, as the order path asks it: remembered a minute per process, so
 * an order costs no read for offers in a shop that has none (offers are issued by a daily job, so
 * a minute's delay in seeing a change of settings changes nothing a shopper sees).
 */
const OFFERS_ON_CACHE_MS = 60_000;
const offersOn = new WeakMap<Connection, Map<string, { on: boolean; until: number }>>();

async function offersAreOn(ctx: AppContext, shop: string): Promise<boolean> {
  let shops = offersOn.get(ctx.connection);
  if (!shops) offersOn.set(ctx.connection, (shops = new Map()));
  const known = shops.get(shop);
  if (known && known.until > Date.now()) return known.on;
  const { settings } = await offerSettingsOf(ctx, shop);
  const on = settings.winBack.enabled || settings.birthday.enabled;
  shops.set(shop, { on, until: Date.now() + OFFERS_ON_CACHE_MS });
  return on;
}

/** Saves the settings as the version after `baseVersion`; null when another edit landed first. */
export async function saveOfferSettings(
  ctx: AppContext,
  shop: string,
  baseVersion: number,
  settings: OfferSettings,
  now: Date,
): Promise<{ version: number; settings: OfferSettings } | null> {
  if ((await offerSettingsOf(ctx, shop)).version !== baseVersion) return null;
  const saved = await insertOnce(offerSettingsModel(ctx.connection), { shop, version: baseVersion + 1, settings, savedAt: now });
  offersOn.get(ctx.connection)?.delete(shop);
  return saved ? { version: baseVersion + 1, settings } : null;
}

/** Members whose last paid order (within the look-back year) is at least `afterDays` old, with that order's id. */
export function lapsedMembers(
  orders: ReadonlyArray<{ customerId: string; orderId: string; at: Date }>,
  afterDays: number,
  now: Date,
): Array<{ customerId: string; lastOrderId: string }> {
  const last = new Map<string, { orderId: string; at: Date }>();
  for (const order of orders) {
    const seen = last.get(order.customerId);
    if (!seen || order.at > seen.at) last.set(order.customerId, { orderId: order.orderId, at: order.at });
  }
  return [...last.entries()]
    .filter(([, order]) => now.getTime() - order.at.getTime() >= afterDays * DAY_MS)
    .map(([customerId, order]) => ({ customerId, lastOrderId: order.orderId }));
}

/**
 * The daily pass: a win-back offer to each lapsed member (once per lapse: a new order starts a new
 * one), a birthday offer to each member whose birthday month this is (once a year). Safe to run
 * concurrently and again: each offer is a unique insert. Returns the offers issued now.
 */
export async function issueOffers(ctx: AppContext, shop: string, now: Date): Promise<Offer[]> {
  const { settings } = await offerSettingsOf(ctx, shop);
  const candidates: Offer[] = [];
  if (settings.winBack.enabled) {
    const orders = await orderCreditsSince(ctx.connection, shop, new Date(now.getTime() - LOOKBACK_DAYS * DAY_MS));
    const { title, points, validDays } = settings.winBack;
    for (const member of lapsedMembers(orders, settings.winBack.afterDays, now))
      candidates.push({
        shop,
        customerId: member.customerId,
        kind: 'win_back',
        period: member.lastOrderId,
        title,
        points,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + validDays * DAY_MS),
      });
  }
  if (settings.birthday.enabled) {
    const month = now.toISOString().slice(5, 7);
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const { title, points } = settings.birthday;
    for (const birthday of await birthdayModel(ctx.connection).find({ shop, month }).lean())
      candidates.push({
        shop,
        customerId: birthday.customerId,
        kind: 'birthday',
        period: String(now.getUTCFullYear()),
        title,
        points,
        issuedAt: now,
        expiresAt: nextMonth,
      });
  }
  const issued: Offer[] = [];
  for (const offer of candidates) if (await insertOnce(offerModel(ctx.connection), offer)) issued.push(offer);
  return issued;
}

/** Offers issued since `since`, oldest first, `skip` of them passed over (outbound's collection pages through ties this way). */
export async function offersIssuedSince(connection: Connection, shop: string, since: Date, limit: number, skip = 0): Promise<Offer[]> {
  return offerModel(connection)
    .find({ shop, issuedAt: { $gte: since } }, { _id: 0 })
    .sort({ issuedAt: 1, customerId: 1, kind: 1, period: 1 })
    .skip(skip)
    .limit(limit)
    .lean<Offer[]>();
}

/** The offers a member may still use: issued, not expired, not used. */
export async function openOffers(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<Offer[]> {
  const [offers, uses] = await Promise.all([
    offerModel(ctx.connection)
      .find({ shop, customerId, expiresAt: { $gt: now } }, { _id: 0 })
      .lean<Offer[]>(),
    offerUseModel(ctx.connection).find({ shop, customerId }, { _id: 0, kind: 1, period: 1 }).lean<Array<Pick<OfferUse, 'kind' | 'period'>>>(),
  ]);
  return offers.filter((offer) => offer.issuedAt <= now && !uses.some((use) => use.kind === offer.kind && use.period === offer.period));
}

/**
 * A paid order uses every offer open when it was paid (while the shop's offers are on): the points once by their ledger key, then the
 * use record (a unique insert), so a retried or duplicated order pays nothing more. Returns the points credited now.
 */
export async function useOffers(
  ctx: AppContext,
  order: { shop: string; customerId: string; orderId: string; paidAt: Date },
  now: Date,
): Promise<number> {
  if (!(await offersAreOn(ctx, order.shop))) return 0;
  const offers = await offerModel(ctx.connection)
    .find({ shop: order.shop, customerId: order.customerId, expiresAt: { $gt: order.paidAt } }, { _id: 0 })
    .lean<Offer[]>();
  let credited = 0;
  for (const offer of offers.filter((candidate) => candidate.issuedAt <= order.paidAt)) {
    const used = await offerUseModel(ctx.connection)
      .findOne({ shop: order.shop, customerId: order.customerId, kind: offer.kind, period: offer.period })
      .lean();
    if (used && used.orderId !== order.orderId) continue;
    const result = await creditBonus(
      ctx,
      {
        shop: order.shop,
        customerId: order.customerId,
        key: ledgerKeys.actionRewarded(order.customerId, `offer_${offer.kind}`, offer.period),
        points: offer.points,
        reason: offer.title,
        source: `offer ${offer.kind}`,
      },
      now,
    );
    if (result.appliedNow) credited += offer.points;
    await insertOnce(offerUseModel(ctx.connection), {
      shop: order.shop,
      customerId: order.customerId,
      kind: offer.kind,
      period: offer.period,
      orderId: order.orderId,
      usedAt: now,
    });
  }
  return credited;
}
