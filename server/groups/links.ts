import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { deleteOnce, insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Account } from './accounts.js';
import { GroupRefused, membershipOf, type Membership } from './membership.js';
import { groupLinkAttemptModel, groupLinkCodeModel, groupLinkModel, type GroupLink } from './store.js';

/** How long a code is good for: long enough to sign in at the other shop and type it. */
export const LINK_CODE_TTL_MS = 10 * 60_000;
/** Codes a signed-in customer may try per clock hour, right or wrong. */
export const LINK_ATTEMPTS_PER_HOUR = 5;
/** 32 letters and digits without 0/O, 1/I: eight of them are 40 bits, read aloud or typed without mix-ups. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** The code as typed: case, spaces and dashes do not matter. */
const normalised = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
const codeId = (forShop: string, code: string) =>
  createHash('sha256')
    .update(`${forShop}|${normalised(code)}`)
    .digest('hex');

function newCode(): string {
  const letters = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

async function groupOf(ctx: AppContext, shop: string): Promise<Membership> {
  const membership = await membershipOf(ctx, shop, true);
  if (!membership) throw new GroupRefused('not_grouped', 'This shop is not in a program group');
  return membership;
}

const linkOf = (ctx: AppContext, groupId: string, account: Account) =>
  groupLinkModel(ctx.connection).findOne({ shop: account.shop, customerId: account.customerId, groupId }).lean<GroupLink>();

/** The account's link in `shop`, when the customer has linked one there. */
async function partnerIn(ctx: AppContext, link: GroupLink | null, shop: string): Promise<GroupLink | null> {
  if (!link || link.redactedAt) return null;
  return groupLinkModel(ctx.connection).findOne({ groupId: link.groupId, personId: link.personId, shop }).lean<GroupLink>();
}

/**
 * A code for the customer signed in at `account.shop` to link that account with theirs at
 * `forShop`: shown once to them (the proof that they hold this account), never stored, good for
 * ten minutes, and a new one replaces the last. Whoever enters it, signed in at `forShop`, links
 * their account there with this one, so the shopper is told to enter it themselves.
 */
export async function issueLinkCode(
  ctx: AppContext,
  account: Account,
  forShop: string,
  now: Date,
): Promise<{ code: string; expiresAt: Date; forShop: string }> {
  const membership = await groupOf(ctx, account.shop);
  if (forShop === account.shop || !membership.shops.includes(forShop))
    throw new GroupRefused('unknown_shop', `${forShop} is not another shop of this program group`);
  if (await partnerIn(ctx, await linkOf(ctx, membership.groupId, account), forShop))
    throw new GroupRefused('already_linked', `This account is already linked with an account at ${forShop}`);
  const codes = groupLinkCodeModel(ctx.connection);
  await codes.deleteMany({ shop: account.shop, customerId: account.customerId, forShop });
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  for (;;) {
    const code = newCode();
    const doc = { _id: codeId(forShop, code), ...account, forShop, groupId: membership.groupId, expiresAt, createdAt: now };
    if (await insertOnce(codes, doc)) return { code, expiresAt, forShop };
  }
}

/** Takes one of the hour's numbered attempt slots with a unique insert; false when all are taken. */
async function claimAttempt(ctx: AppContext, account: Account, now: Date): Promise<number | null> {
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
  for (let slot = 1; slot <= LINK_ATTEMPTS_PER_HOUR; slot++) {
    const taken = await insertOnce(groupLinkAttemptModel(ctx.connection), {
      _id: `${account.shop}|${account.customerId}|${hour}|${slot}`,
      ...account,
      createdAt: now,
    });
    if (taken) return LINK_ATTEMPTS_PER_HOUR - slot;
  }
  return null;
}

/**
 * Puts two accounts in one set. The set is the one either already belongs to (or a new one); each
 * missing account joins it by a unique insert, and a refused insert takes back what this call inserted.
 */
async function joinAccounts(ctx: AppContext, groupId: string, accounts: [Account, Account], now: Date): Promise<void> {
  const links = groupLinkModel(ctx.connection);
  const found = await Promise.all(accounts.map((account) => linkOf(ctx, groupId, account)));
  const [first, second] = found;
  if (found.some((link) => link?.redactedAt)) throw new GroupRefused('already_linked', 'One of these accounts can no longer be linked');
  if (first && second) {
    if (first.personId === second.personId) return;
    throw new GroupRefused('already_linked', 'One of these accounts is already linked with other accounts: stop sharing there first');
  }
  const personId = first?.personId ?? second?.personId ?? randomUUID();
  const inserted: GroupLink[] = [];
  for (const [index, account] of accounts.entries()) {
    if (found[index]) continue;
    const link: GroupLink = { _id: new Types.ObjectId(), groupId, ...account, personId, linkedAt: now };
    if (!(await insertOnce(links, link))) {
      for (const undo of inserted) await deleteOnce(links, { _id: undo._id });
      throw new GroupRefused('already_linked', `That account is already linked with another account at ${account.shop}`);
    }
    inserted.push(link);
  }
}

/**
 * The customer signed in at `account.shop` enters the code a customer signed in at another shop of
 * the group was shown: when it is right, unexpired and unspent, the two accounts are one from now on.
 * Each try takes an attempt slot first, so a wrong guess costs one of the hour's five.
 */
export async function confirmLink(ctx: AppContext, account: Account, code: string, now: Date): Promise<{ linkedShop: string; attemptsLeft: number }> {
  const membership = await groupOf(ctx, account.shop);
  const attemptsLeft = await claimAttempt(ctx, account, now);
  if (attemptsLeft === null) throw new GroupRefused('too_many_attempts', 'Too many codes tried: try again in an hour', { attemptsLeft: 0 });
  const wrong = new GroupRefused('invalid_code', 'This code is wrong, used or expired: get a new one at the other shop', { attemptsLeft });
  const id = codeId(account.shop, code);
  const issued = await groupLinkCodeModel(ctx.connection).findById(id).lean();
  if (
    !issued ||
    issued.forShop !== account.shop ||
    issued.groupId !== membership.groupId ||
    !membership.shops.includes(issued.shop) ||
    issued.expiresAt <= now
  )
    throw wrong;
  const other: Account = { shop: issued.shop, customerId: issued.customerId };
  if (await partnerIn(ctx, await linkOf(ctx, membership.groupId, account), other.shop))
    throw new GroupRefused('already_linked', `This account is already linked with an account at ${other.shop}`);
  if (!(await deleteOnce(groupLinkCodeModel(ctx.connection), { _id: id }))) throw wrong;
  await joinAccounts(ctx, membership.groupId, [other, account], now);
  return { linkedShop: other.shop, attemptsLeft };
}

/** The customer stops sharing this account's points: it leaves its set; the others stay linked together. */
export async function unlinkAccount(ctx: AppContext, account: Account): Promise<void> {
  const membership = await groupOf(ctx, account.shop);
  const link = await linkOf(ctx, membership.groupId, account);
  if (!link || !(await deleteOnce(groupLinkModel(ctx.connection), { _id: link._id })))
    throw new GroupRefused('not_linked', 'This account is not linked with another shop');
}

/** Forgets codes past their time and attempt slots older than a day (no TTL index on FerretDB). */
export async function forgetLinkCodes(ctx: AppContext, shop: string, now: Date): Promise<void> {
  await groupLinkCodeModel(ctx.connection).deleteMany({ shop, expiresAt: { $lte: now } });
  await groupLinkAttemptModel(ctx.connection).deleteMany({ shop, createdAt: { $lte: new Date(now.getTime() - 86_400_000) } });
}
