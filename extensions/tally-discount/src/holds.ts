/**
 * The holds metafield: customer metafield `$app:tally` / `holds`, type `json`, published by the app
 * server whenever a hold is created, used or released (README.md has the contract).
 */

export interface Hold {
  id: string;
  points: number;
  /** The points' worth in the shop's currency, a decimal string ("5.00"). */
  amount: string;
  currencyCode: string;
  /** UTC instant, ISO 8601 ("2026-12-01T12:30:00Z"). */
  expiresAt: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asHold(entry: Record<string, unknown>): Hold | undefined {
  const { id, points, amount, currencyCode, expiresAt } = entry;
  if (typeof id !== 'string' || id === '') return undefined;
  if (typeof points !== 'number' || !Number.isSafeInteger(points) || points <= 0) return undefined;
  if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount)) return undefined;
  if (typeof currencyCode !== 'string' || !/^[A-Z]{3,4}$/.test(currencyCode)) return undefined;
  if (typeof expiresAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(expiresAt) || Number.isNaN(Date.parse(expiresAt)))
    return undefined;
  return { id, points, amount, currencyCode, expiresAt };
}

/** The hold named `holdId` in the metafield's value, or undefined for an absent id or anything malformed. */
export function findHold(metafieldValue: string, holdId: string): Hold | undefined {
  let document: unknown;
  try {
    document = JSON.parse(metafieldValue);
  } catch {
    return undefined;
  }
  if (!isRecord(document) || !Array.isArray(document.holds)) return undefined;
  const entry: unknown = document.holds.find((candidate: unknown) => isRecord(candidate) && candidate.id === holdId);
  return isRecord(entry) ? asHold(entry) : undefined;
}

/** How far the furthest-ahead time zone (UTC+14) runs ahead of UTC. */
const MAX_LEAD_MS = 14 * 60 * 60 * 1000;

/**
 * Whether the hold may still be live, knowing only the shop's local date (a function has no clock;
 * `shop.localTime.date` is what its input offers). The shop's date begins no earlier than midnight
 * UTC+14, so a hold that expired at or before that instant is certainly past; one that expired later on
 * could still be live and is honoured. The 30-minute expiry itself is enforced by the server, which
 * removes an expired hold from the metafield and returns its points.
 */
export function mayStillBeLive(hold: Hold, shopLocalDate: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(shopLocalDate)) return false;
  const dayStartsNoEarlierThan = Date.parse(`${shopLocalDate}T00:00:00Z`) - MAX_LEAD_MS;
  if (Number.isNaN(dayStartsNoEarlierThan)) return false;
  return Date.parse(hold.expiresAt) > dayStartsNoEarlierThan;
}

/** What the program calls its points (the document's `pointsName`), for the discount's title; "points" when absent or malformed. */
export function pointsNameOf(metafieldValue: string): string {
  let document: unknown;
  try {
    document = JSON.parse(metafieldValue);
  } catch {
    return 'points';
  }
  const name = isRecord(document) && typeof document.pointsName === 'string' ? document.pointsName.trim() : '';
  return name !== '' && name.length <= 40 ? name : 'points';
}
