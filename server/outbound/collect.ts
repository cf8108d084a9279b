import type { Connection } from 'mongoose';
import { insertOnce } from '../platform/atomic.js';
import { offersIssuedSince, type Offer } from '../engagement/index.js';
import { entriesOfTypesSince, type LedgerEntry } from '../ledger/index.js';
import { remindersSince, type ExpiryReminder } from '../earning/index.js';
import { tierChangesSince, type TierChange } from '../tiers/index.js';
import { FLOW_TRIGGER_HANDLES, type OutboundEvent, type OutboundEventType } from './events.js';
import { moveCursor, outboundDeliveryModel, readCursor, type OutboundDelivery, type OutboundEndpoint } from './store.js';

/**
 * A writer stamps a record with the time it started, so one can land a little after later ones:
 * each collection looks this far behind its cursor, and the unique delivery id drops what it has seen.
 */
const OVERLAP_MS = 5 * 60_000;
const BATCH = 2000;
const MAX_PAGES = 10;

interface Source<T> {
  name: string;
  types: OutboundEventType[];
  /** Records at or after `from` in a total order (time, then a unique tie-breaker), the first `skip` passed over. */
  read(connection: Connection, shop: string, from: Date, skip: number): Promise<T[]>;
  at(record: T): Date;
  events(record: T, shop: string): OutboundEvent[];
}

const iso = (date: Date) => date.toISOString();

/** Points earned and redeemed, read from the ledger the order path already writes: the order path pays nothing for events. */
const ledgerSource: Source<LedgerEntry> = {
  name: 'ledger',
  types: ['points.earned', 'points.redeemed'],
  read: (connection, shop, from, skip) => entriesOfTypesSince(connection, shop, ['earn', 'bonus', 'redeem'], from, skip, BATCH),
  at: (entry) => entry.createdAt,
  events: (entry, shop) => {
    const points = entry.available + entry.pending;
    const base = { customerId: entry.customerId, balance: entry.balance, reason: entry.reason, orderId: entry.orderId ?? null };
    if (entry.type === 'redeem' && points < 0)
      return [
        {
          id: `points.redeemed:${entry.customerId}:${entry.seq}`,
          type: 'points.redeemed',
          shop,
          occurredAt: iso(entry.createdAt),
          data: { ...base, points: -points },
        },
      ];
    if (entry.type !== 'redeem' && points > 0)
      return [
        {
          id: `points.earned:${entry.customerId}:${entry.seq}`,
          type: 'points.earned',
          shop,
          occurredAt: iso(entry.createdAt),
          data: { ...base, points, pending: entry.pending },
        },
      ];
    return [];
  },
};

const tierSource: Source<TierChange> = {
  name: 'tiers',
  types: ['tier.changed'],
  read: (connection, shop, from, skip) => tierChangesSince(connection, shop, from, skip, BATCH),
  at: (change) => change.at,
  events: (change, shop) => [
    {
      id: `tier.changed:${change.customerId}:${change.seq}`,
      type: 'tier.changed',
      shop,
      occurredAt: iso(change.at),
      data: {
        customerId: change.customerId,
        fromTierId: change.fromTierId,
        fromName: change.fromName,
        toTierId: change.toTierId,
        toName: change.toName,
        direction: change.direction,
      },
    },
  ],
};

const reminderSource: Source<ExpiryReminder> = {
  name: 'expiry_reminders',
  types: ['points.expiring'],
  read: (connection, shop, from, skip) => remindersSince(connection, shop, from, skip, BATCH),
  at: (reminder) => reminder.createdAt,
  events: (reminder, shop) => [
    {
      id: `points.expiring:${reminder.customerId}:${reminder.expiresOn}`,
      type: 'points.expiring',
      shop,
      occurredAt: iso(reminder.createdAt),
      data: { customerId: reminder.customerId, points: reminder.points, expiresOn: reminder.expiresOn },
    },
  ],
};

/** Personalised offers (engagement's daily job): one event per offer, whose id is the offer's own unique key. */
const offerSource: Source<Offer> = {
  name: 'offers',
  types: ['offer.issued'],
  read: (connection, shop, from, skip) => offersIssuedSince(connection, shop, from, BATCH, skip),
  at: (offer) => offer.issuedAt,
  events: (offer, shop) => [
    {
      id: `offer.issued:${offer.customerId}:${offer.kind}:${offer.period}`,
      type: 'offer.issued',
      shop,
      occurredAt: iso(offer.issuedAt),
      data: { customerId: offer.customerId, kind: offer.kind, title: offer.title, points: offer.points, expiresAt: iso(offer.expiresAt) },
    },
  ],
};

const SOURCES = [ledgerSource, tierSource, reminderSource, offerSource] as Array<Source<unknown>>;

/** Who receives an event type: the endpoints subscribed to it, and Flow when the shop has a workflow on its trigger. */
function receiversOf(type: OutboundEventType, endpoints: OutboundEndpoint[], flowHandles: Map<string, Date>): string[] {
  return [
    ...endpoints.filter((endpoint) => endpoint.events.includes(type)).map((endpoint) => endpoint._id),
    ...(flowHandles.has(FLOW_TRIGGER_HANDLES[type]) ? ['flow'] : []),
  ];
}

/**
 * Turns what happened since each source's cursor into outbox rows, one per event and receiver, each
 * a unique insert. A source nobody listens to is not read; the first look starts from `now`, so a new
 * endpoint receives what happens from its creation on.
 */
export async function collectEvents(
  connection: Connection,
  shop: string,
  endpoints: OutboundEndpoint[],
  flowHandles: Map<string, Date>,
  now: Date,
): Promise<number> {
  let queued = 0;
  for (const source of SOURCES) {
    if (!source.types.some((type) => receiversOf(type, endpoints, flowHandles).length > 0)) continue;
    let cursor = await readCursor(connection, shop, source.name);
    if (!cursor) {
      cursor = endpoints.length > 0 ? new Date(Math.min(now.getTime(), ...endpoints.map((endpoint) => endpoint.createdAt.getTime()))) : now;
      await moveCursor(connection, shop, source.name, cursor);
    }
    let newest = cursor;
    let from = new Date(cursor.getTime() - OVERLAP_MS);
    let skip = 0;
    for (let pages = 0; pages < MAX_PAGES;) {
      const records = await source.read(connection, shop, from, skip);
      const rows: OutboundDelivery[] = [];
      for (const record of records) {
        const at = source.at(record);
        if (at > newest) newest = at;
        for (const event of source.events(record, shop)) {
          for (const target of receiversOf(event.type, endpoints, flowHandles)) {
            // A receiver gets what happened from when it was set up on, not what the look-back finds before that.
            const since =
              target === 'flow'
                ? flowHandles.get(FLOW_TRIGGER_HANDLES[event.type])
                : endpoints.find((candidate) => candidate._id === target)?.createdAt;
            if (since && since > at) continue;
            rows.push({
              _id: `${shop}|${target}|${event.id}`,
              shop,
              target,
              eventId: event.id,
              type: event.type,
              body: JSON.stringify(event),
              status: 'pending',
              attempts: 0,
              nextAttemptAt: now,
              lastStatus: null,
              lastError: null,
              createdAt: now,
              deliveredAt: null,
            });
          }
        }
      }
      // The overlap re-reads recent records every time: one read finds the rows already queued.
      const known = new Set(
        rows.length === 0
          ? []
          : (
              await outboundDeliveryModel(connection)
                .find({ shop, _id: { $in: rows.map((row) => row._id) } }, { _id: 1 })
                .lean<Array<{ _id: string }>>()
            ).map((row) => row._id),
      );
      for (const row of rows) if (!known.has(row._id) && (await insertOnce(outboundDeliveryModel(connection), row))) queued++;
      if (records.length < BATCH) break;
      // A full page: read on from its last record, without the look-back, passing over the records of that instant already
      // read, so a busy shop cannot stall its cursor. A daily job stamps thousands of offers with one instant: pages that stay
      // on one instant are not counted, or such a batch larger than MAX_PAGES pages would be re-read for ever.
      const last = source.at(records[records.length - 1]!);
      const tied = records.filter((record) => source.at(record).getTime() === last.getTime()).length;
      const sameInstant = last.getTime() === from.getTime();
      skip = sameInstant ? skip + tied : tied;
      from = last;
      if (!sameInstant) pages++;
    }
    if (newest > cursor) await moveCursor(connection, shop, source.name, newest);
  }
  return queued;
}
