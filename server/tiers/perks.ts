import type { AppContext } from '../platform/context.js';
import { applyEntry, entryForKey, ledgerKeys } from '../ledger/index.js';
import type { Program } from '../program/index.js';
import { hasTiersOrMembership, noPerks, perksHeld, tierSettingsOf, type Perks } from './rules.js';
import { customersHolding } from './store.js';
import { standingOf } from './view.js';

/** The ledger key of a tier's birthday bonus (ledger/keys.ts). */
export const tierBirthdayKey = ledgerKeys.tierBirthdayBonus;

/**
 * The perks a customer holds at `now`, from the tier and membership standing (read by _id while
 * it holds, else replayed). A program with neither tiers nor membership answers no perks without
 * touching the database.
 */
export async function perksOf(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<Perks> {
  const settings = tierSettingsOf(program);
  if (!hasTiersOrMembership(settings)) return noPerks;
  const standing = await standingOf(ctx, program, settings, shop, customerId, now);
  const tier = settings.tiers.find((candidate) => candidate.id === standing.tierId) ?? null;
  const member = standing.membershipUntil !== null && standing.membershipUntil > now;
  return perksHeld(tier, member ? settings.membership : null);
}

/**
 * The daily pass of the birthday perk: a customer whose birthday the program rewarded this year
 * (engagement's birthday award, found by its ledger key) and who holds a tier or membership with
 * a birthday bonus gets that bonus once that year, as a `bonus` entry beside the award.
 */
export async function creditTierBirthdayBonuses(ctx: AppContext, program: Program, shop: string, now: Date): Promise<number> {
  const settings = tierSettingsOf(program);
  const tierIds = settings.tiers.filter((tier) => tier.perks.birthdayBonus > 0).map((tier) => tier.id);
  const memberBonus = settings.membership.enabled && settings.membership.perks.birthdayBonus > 0;
  if (tierIds.length === 0 && !memberBonus) return 0;
  const year = String(now.getUTCFullYear());
  const holders = await customersHolding(ctx.connection, shop, tierIds, memberBonus ? now : null);
  let credited = 0;
  for (const customerId of holders) {
    if (!(await entryForKey(ctx.connection, shop, ledgerKeys.actionRewarded(customerId, 'birthday', year)))) continue;
    const bonus = (await perksOf(ctx, program, shop, customerId, now)).birthdayBonus;
    if (bonus <= 0) continue;
    const result = await applyEntry(
      ctx.connection,
      {
        shop,
        customerId,
        key: tierBirthdayKey(customerId, year),
        type: 'bonus',
        available: bonus,
        pending: 0,
        reason: 'birthday bonus of your tier',
        source: 'tiers',
        guard: 'none',
      },
      now,
    );
    if (result.appliedNow) credited++;
  }
  return credited;
}
