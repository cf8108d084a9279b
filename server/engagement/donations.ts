import { Types } from 'mongoose';
import { applyEntry, balanceOf, entryForKey, appliedKeys, ledgerKeys } from '../ledger/index.js';
import { deleteOnce, insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { EngagementRefused } from './refusals.js';
import { donationMoney } from './rules.js';
import { engagementSettingsOf } from './settings.js';
import { donationModel, type Donation } from './store.js';

export interface DonationRequest {
  shop: string;
  customerId: string;
  causeId: string;
  points: number;
  requestKey: string;
}

export interface DonationOutcome {
  causeId: string;
  points: number;
  money: number;
  currency: string;
  balance: number;
  replayed: boolean;
}

const findDonation = (ctx: AppContext, request: DonationRequest) =>
  donationModel(ctx.connection).findOne({ shop: request.shop, customerId: request.customerId, requestKey: request.requestKey }).lean<Donation>();

/**
 * Gives points to one of the merchant's causes, once per request key: the donation is recorded,
 * then the points are debited (guarded by the balance). A refused debit withdraws the record; a
 * record whose debit never landed (a crash in between) is not counted until the request is retried.
 */
export async function donatePoints(ctx: AppContext, program: Program, request: DonationRequest, now: Date): Promise<DonationOutcome> {
  const cause = engagementSettingsOf(program).causes.find((candidate) => candidate.id === request.causeId && candidate.enabled);
  if (!cause) throw new EngagementRefused('unknown_cause', 'There is no such cause to give to');
  const candidate: Donation = {
    _id: new Types.ObjectId(),
    ...request,
    money: donationMoney(request.points, cause.moneyPer1000Points),
    currency: program.currency,
    createdAt: now,
  };
  const donation = (await insertOnce(donationModel(ctx.connection), candidate)) ? candidate : await findDonation(ctx, request);
  if (!donation) throw new Error(`donation ${request.requestKey} vanished`);
  if (donation.causeId !== request.causeId || donation.points !== request.points)
    throw new EngagementRefused('request_key_reused', 'This request key was used for another donation');
  const key = ledgerKeys.pointsDonated(request.customerId, request.requestKey);
  const debit = await applyEntry(
    ctx.connection,
    {
      shop: request.shop,
      customerId: request.customerId,
      key,
      type: 'redeem',
      available: -donation.points,
      pending: 0,
      reason: `donated to ${cause.name}`,
      source: `cause ${cause.id}`,
      guard: 'require',
    },
    now,
  );
  if (debit.rejected) {
    await deleteOnce(donationModel(ctx.connection), { _id: donation._id });
    // A duplicate of this request may have debited meanwhile: its donation must stay on record.
    if (await entryForKey(ctx.connection, request.shop, key))
      await insertOnce(donationModel(ctx.connection), { ...donation, _id: new Types.ObjectId() });
    else throw new EngagementRefused('insufficient_points', 'Not enough points for this donation');
  }
  const balance = await balanceOf(ctx.connection, request.shop, request.customerId);
  return {
    causeId: cause.id,
    points: donation.points,
    money: donation.money,
    currency: donation.currency,
    balance: balance.available,
    replayed: !debit.appliedNow,
  };
}

export interface CauseTotals {
  id: string;
  name: string;
  enabled: boolean;
  points: number;
  money: number;
  currency: string;
  donations: number;
}

/** Every cause with the points and money given to it: donations whose debit landed. */
export async function causeTotals(ctx: AppContext, program: Program, shop: string): Promise<CauseTotals[]> {
  const donations = await donationModel(ctx.connection).find({ shop }).lean<Donation[]>();
  const keys = donations.map((donation) => ledgerKeys.pointsDonated(donation.customerId, donation.requestKey));
  const debited = await appliedKeys(ctx.connection, shop, keys);
  const counted = donations.filter((donation) => debited.has(ledgerKeys.pointsDonated(donation.customerId, donation.requestKey)));
  const causes = engagementSettingsOf(program).causes;
  const ids = [...new Set([...causes.map((cause) => cause.id), ...counted.map((donation) => donation.causeId)])];
  return ids.map((id) => {
    const cause = causes.find((candidate) => candidate.id === id);
    const given = counted.filter((donation) => donation.causeId === id);
    return {
      id,
      name: cause?.name ?? id,
      enabled: cause?.enabled ?? false,
      points: given.reduce((sum, donation) => sum + donation.points, 0),
      money: given.reduce((sum, donation) => sum + donation.money, 0),
      currency: program.currency,
      donations: given.length,
    };
  });
}

function csvField(value: string | number | boolean): string {
  const text = String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet; so would one after a leading tab or carriage return.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function causesCsv(totals: readonly CauseTotals[]): string {
  const rows = [
    ['cause_id', 'name', 'enabled', 'donations', 'points', 'money_minor_units', 'currency'],
    ...totals.map((cause) => [cause.id, cause.name, cause.enabled, cause.donations, cause.points, cause.money, cause.currency]),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
