import { Schema, type Connection, type Model } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import { exchangeForOnlineToken } from '../shopify/token-exchange.js';

/**
 * A staff member of a shop as Shopify's online token exchange named them, keyed by the `sub` of
 * their session tokens. Only the name is kept (for "Adjusted by …" in the ledger); the online
 * access token itself is not needed and not stored.
 */
export interface StaffMember {
  /** `${shop}|${userId}`: read by _id. */
  _id: string;
  shop: string;
  userId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  accountOwner: boolean;
  refreshedAt: Date;
}

const staffSchema = new Schema<StaffMember>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    userId: { type: String, required: true },
    firstName: { type: String, default: '' },
    lastName: { type: String, default: '' },
    email: { type: String, default: null },
    accountOwner: { type: Boolean, default: false },
    refreshedAt: { type: Date, required: true },
  },
  { collection: 'staff_members', versionKey: false },
);
staffSchema.index({ shop: 1, userId: 1 }, { unique: true });

export function staffMemberModel(connection: Connection): Model<StaffMember> {
  return modelOn(connection, 'StaffMember', staffSchema);
}

const staffId = (shop: string, userId: string) => `${shop}|${userId}`;

/** A name changed in Shopify shows here within a week; one exchange per staff member and shop in that time. */
export const STAFF_REFRESH_MS = 7 * 86_400_000;
/** After a failed exchange, this process asks Shopify again no sooner than this. */
const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

export function staffDisplayName(member: Pick<StaffMember, 'firstName' | 'lastName' | 'email'>): string | null {
  return [member.firstName, member.lastName].filter(Boolean).join(' ') || member.email || null;
}

const memos = new WeakMap<AppContext, Map<string, { name: string | null; until: number }>>();

function memoOf(ctx: AppContext): Map<string, { name: string | null; until: number }> {
  let memo = memos.get(ctx);
  if (!memo) memos.set(ctx, (memo = new Map()));
  return memo;
}

/**
 * The display name of the staff member holding `sessionToken`, learnt from Shopify's online token
 * exchange when it is not known yet (or older than STAFF_REFRESH_MS), else from the stored record;
 * a process remembers the answer so a busy admin costs no database read. Null when Shopify cannot
 * tell (the exchange failed and nothing was stored): the caller shows the user id.
 */
export async function rememberStaff(ctx: AppContext, shop: string, userId: string, sessionToken: string): Promise<string | null> {
  const id = staffId(shop, userId);
  const now = ctx.clock();
  const memo = memoOf(ctx);
  const known = memo.get(id);
  if (known && known.until > now.getTime()) return known.name;
  const members = staffMemberModel(ctx.connection);
  const stored = await members.findById(id).lean();
  if (stored && now.getTime() - stored.refreshedAt.getTime() < STAFF_REFRESH_MS) {
    const name = staffDisplayName(stored);
    memo.set(id, { name, until: stored.refreshedAt.getTime() + STAFF_REFRESH_MS });
    return name;
  }
  try {
    const { associatedUser: user } = await exchangeForOnlineToken(ctx.config, shop, sessionToken);
    const member = {
      shop,
      userId,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      accountOwner: user.accountOwner,
      refreshedAt: now,
    };
    await members.updateOne({ _id: id }, { $set: member }, { upsert: true }).catch((error: unknown) => {
      // Two first requests of the same staff member raced to insert: the other one stored the same answer.
      if (!isDuplicateKey(error)) throw error;
    });
    const name = staffDisplayName(member);
    memo.set(id, { name, until: now.getTime() + STAFF_REFRESH_MS });
    return name;
  } catch (error) {
    ctx.logger.warn({ shop, userId, err: error }, 'staff member could not be named (online token exchange failed)');
    const name = stored ? staffDisplayName(stored) : null;
    memo.set(id, { name, until: now.getTime() + RETRY_AFTER_FAILURE_MS });
    return name;
  }
}

/** The display names of a shop's known staff members among `userIds` (one _id read each: pages name few staff). */
export async function staffNames(connection: Connection, shop: string, userIds: Iterable<string>): Promise<Map<string, string>> {
  const members = staffMemberModel(connection);
  const found = await Promise.all([...new Set(userIds)].map((userId) => members.findById(staffId(shop, userId)).lean()));
  const names = new Map<string, string>();
  for (const member of found) {
    const name = member ? staffDisplayName(member) : null;
    if (member && name) names.set(member.userId, name);
  }
  return names;
}
