import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { completeGroupMoves, gatherPoints, type GroupReport } from '../../server/groups/index.js';
import { groupMoveModel } from '../../server/groups/store.js';
import { balanceOf, entryForKey, ledgerKeys } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

/** Issue 20: shops linked into one program group share one account per customer who linked theirs (issue 23). */
describe('program groups: one balance across a merchant’s shops', () => {
  let app: TestApp;
  let devstore: Devstore;
  let now = new Date('2026-12-01T12:00:00Z');
  const north = 'group-north.myshopify.com';
  const south = 'group-south.myshopify.com';
  const elsewhere = 'group-elsewhere.myshopify.com';
  // Ada and Cy link their accounts in north and south; Bob, with the same verified email in both, does not.
  const ada = { north: 9_510_001, south: 9_520_001 };
  const bob = { north: 9_510_002, south: 9_520_002 };
  const cy = { north: 9_510_003, south: 9_520_003 };
  let keys = 0;

  beforeAll(async () => {
    app = await startTestApp('program-groups', { PROXY_RATE_LIMIT: '10000' }, { clock: () => now });
    devstore = devstoreOf(app);
    for (const shop of [north, south, elsewhere]) await installShop(app, shop);
    await deliverAndDrain(app, [
      devstore.addCustomer(north, { id: ada.north, email: 'ada@example.com' }),
      devstore.addCustomer(south, { id: ada.south, email: 'ada@example.com' }),
      devstore.addCustomer(north, { id: bob.north, email: 'bob@example.com' }),
      devstore.addCustomer(south, { id: bob.south, email: 'bob@example.com' }),
      devstore.addCustomer(north, { id: cy.north, email: 'cy@example.com' }),
      devstore.addCustomer(south, { id: cy.south, email: 'cy@example.com' }),
      devstore.addCustomer(elsewhere, { id: 9_530_001, email: 'ada@example.com' }),
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** The storefront through Shopify's proxy, signed at the app's clock. */
  const storefront = (shop: string, path: string, init: { customerId: number; method?: string; body?: unknown }) =>
    proxy(app, shop, path, { ...init, timestamp: Math.floor(now.getTime() / 1000) });
  const available = async (shop: string, customerId: number) => (await balanceOf(app.connection, shop, String(customerId))).available;
  const shownBalance = async (shop: string, customerId: number) => {
    const response = await storefront(shop, '/customer', { customerId });
    expect(response.status).toBe(200);
    return ((await response.json()) as { points: { balance: number; shops: number } }).points;
  };
  const report = async (shop: string) => ((await (await api(app, shop, '/group')).json()) as { group: GroupReport | null }).group;
  const redeem = (shop: string, customerId: number, requestKey = `group-redeem-${String(++keys).padStart(4, '0')}`) =>
    storefront(shop, '/redemptions', { customerId, method: 'POST', body: { rewardId: 'five-off', requestKey } });
  /** The customer, signed in at `from`, gets a code for `to`, and enters it signed in at `to`. */
  const link = async (from: string, fromCustomer: number, to: string, toCustomer: number) => {
    const issued = await storefront(from, '/group/codes', { customerId: fromCustomer, method: 'POST', body: { shop: to } });
    const { code } = (await issued.json()) as { code: string };
    expect((await storefront(to, '/group/links', { customerId: toCustomer, method: 'POST', body: { code } })).status).toBe(201);
  };

  it('links shops with a single-use invite code; a grouped shop cannot start or join another group', async () => {
    expect((await api(app, north, '/group', { method: 'POST', body: { name: '' } })).status).toBe(422);
    const created = await api(app, north, '/group', { method: 'POST', body: { name: 'North & South' } });
    expect(created.status).toBe(201);
    expect((await api(app, north, '/group', { method: 'POST', body: { name: 'Again' } })).status).toBe(409);
    expect(((await (await api(app, elsewhere, '/group/invites', { method: 'POST' })).json()) as { error: string }).error).toBe('not_grouped');

    const invite = (await (await api(app, north, '/group/invites', { method: 'POST' })).json()) as { code: string; expiresAt: string };
    expect(new Date(invite.expiresAt).getTime() - now.getTime()).toBe(7 * 86_400_000);
    expect((await api(app, south, '/group/join', { method: 'POST', body: { code: `${invite.code}x` } })).status).toBe(404);
    const joined = await api(app, south, '/group/join', { method: 'POST', body: { code: invite.code } });
    expect(joined.status).toBe(200);
    const spent = await api(app, elsewhere, '/group/join', { method: 'POST', body: { code: invite.code } });
    expect([spent.status, ((await spent.json()) as { error: string }).error]).toEqual([404, 'unknown_invite']);

    for (const shop of [north, south]) {
      const group = await report(shop);
      expect(group?.name).toBe('North & South');
      expect(group?.ownerShop).toBe(north);
      expect(group?.shops.map((share) => share.shop)).toEqual([north, south]);
    }
    expect(await report(elsewhere)).toBeNull();
    const second = (await (await api(app, south, '/group/invites', { method: 'POST' })).json()) as { code: string };
    expect((await api(app, north, '/group/join', { method: 'POST', body: { code: second.code } })).status).toBe(409);
  });

  it('shows one balance in every shop for the accounts a customer linked, and keeps an unlinked one apart', async () => {
    await link(north, ada.north, south, ada.south);
    await link(south, cy.south, north, cy.north);
    await grantPoints(app, north, ada.north, 300);
    await grantPoints(app, south, ada.south, 100);
    await grantPoints(app, elsewhere, 9_530_001, 1_000);
    expect(await shownBalance(north, ada.north)).toMatchObject({ balance: 400, shops: 2 });
    expect(await shownBalance(south, ada.south)).toMatchObject({ balance: 400, shops: 2 });

    await grantPoints(app, north, bob.north, 50);
    await grantPoints(app, south, bob.south, 70);
    expect(await shownBalance(north, bob.north)).toMatchObject({ balance: 50, shops: 1 });
    expect(await shownBalance(south, bob.south)).toMatchObject({ balance: 70, shops: 1 });
  });

  it('spends in any shop: what the shop lacks comes from the linked account, once, and each shop reports its own liability', async () => {
    await grantPoints(app, north, ada.north, 300);
    // Ada holds 600 in north and 100 in south: a 500-point reward in south takes 400 from north.
    const requestKey = 'group-redeem-ada-0001';
    const first = await redeem(south, ada.south, requestKey);
    expect(first.status).toBe(201);
    expect(((await first.json()) as { balance: number }).balance).toBe(200);
    const again = await redeem(south, ada.south, requestKey);
    expect(((await again.json()) as { replayed: boolean }).replayed).toBe(true);
    expect([await available(north, ada.north), await available(south, ada.south)]).toEqual([200, 0]);
    expect(await shownBalance(south, ada.south)).toMatchObject({ balance: 200 });

    const shares = (await report(north))!.shops;
    const share = (shop: string) => shares.find((found) => found.shop === shop)!;
    expect(share(north)).toMatchObject({ movedOutPoints: 400, movedInPoints: 0, outstandingPoints: 200 + 50 });
    expect(share(south)).toMatchObject({ movedOutPoints: 0, movedInPoints: 400, outstandingPoints: 0 + 70 });
    // The default program's best rate is 500 points for $5.00: 250 points owed are $2.50.
    expect(share(north)).toMatchObject({ liabilityMinor: 250, currency: 'USD', accounts: 2 });
  });

  it('places a checkout hold in one shop with points from the other', async () => {
    await grantPoints(app, north, cy.north, 800);
    const terms = ((await (await storefront(south, '/holds', { customerId: cy.south })).json()) as { balance: number; terms: { stepPoints: number } })
      .terms;
    expect(((await (await storefront(south, '/holds', { customerId: cy.south })).json()) as { balance: number }).balance).toBe(800);
    const points = terms.stepPoints * Math.floor(800 / terms.stepPoints);
    const held = await storefront(south, '/holds', { customerId: cy.south, method: 'POST', body: { points, requestKey: 'group-hold-cy-0001' } });
    expect(held.status).toBe(201);
    expect(await available(north, cy.north)).toBe(800 - points);
    expect(await available(south, cy.south)).toBe(0);
  });

  it('never spends more than the accounts hold when redemptions race in both shops', async () => {
    // Ada holds 200 in north and 0 in south; 800 more in north makes 1,000: two rewards' worth.
    await grantPoints(app, north, ada.north, 800);
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => redeem(south, ada.south)),
      ...Array.from({ length: 4 }, () => redeem(north, ada.north)),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
    expect([await available(north, ada.north), await available(south, ada.south)]).toEqual([0, 0]);
    const entries = await ledgerEntryModel(app.connection)
      .find({ shop: { $in: [north, south] }, customerId: { $in: [String(ada.north), String(ada.south)] } })
      .lean();
    expect(entries.every((entry) => entry.balance >= 0)).toBe(true);
  });

  it('completes a move that a crash cut between its debit and its credit, once', async () => {
    await grantPoints(app, north, ada.north, 120);
    const crash = new Error('crashed after the debit');
    await expect(
      gatherPoints(app.ctx, { shop: south, customerId: String(ada.south), points: 100, requestKey: 'crashed-move-0001' }, now, {
        afterDebit: () => Promise.reject(crash),
      }),
    ).rejects.toBe(crash);
    expect([await available(north, ada.north), await available(south, ada.south)]).toEqual([20, 0]);
    expect(await completeGroupMoves(app.ctx, south, now)).toBe(0);
    now = new Date(now.getTime() + 120_000);
    expect(await completeGroupMoves(app.ctx, south, now)).toBe(1);
    expect(await completeGroupMoves(app.ctx, south, now)).toBe(0);
    expect([await available(north, ada.north), await available(south, ada.south)]).toEqual([20, 100]);
    const credit = await entryForKey(app.connection, south, ledgerKeys.groupMovedIn(north, String(ada.north), 'crashed-move-0001'));
    expect(credit?.available).toBe(100);
    expect(await groupMoveModel(app.connection).countDocuments({ shop: south })).toBe(0);
  });

  it('separates the balances again when a shop leaves', async () => {
    expect((await api(app, south, '/group/membership', { method: 'DELETE' })).status).toBe(204);
    expect((await api(app, south, '/group/membership', { method: 'DELETE' })).status).toBe(404);
    expect(await report(south)).toBeNull();
    expect((await report(north))?.shops.map((share) => share.shop)).toEqual([north]);
    expect(await shownBalance(south, ada.south)).toMatchObject({ balance: 100, shops: 1 });
    expect(await shownBalance(north, ada.north)).toMatchObject({ balance: 20, shops: 1 });
    expect((await redeem(south, ada.south)).status).toBe(409);
  });

  it('outlives the shop that started it: shop/redact of the owner leaves the others grouped', async () => {
    const invite = (await (await api(app, north, '/group/invites', { method: 'POST' })).json()) as { code: string };
    expect((await api(app, elsewhere, '/group/join', { method: 'POST', body: { code: invite.code } })).status).toBe(200);
    await link(north, ada.north, elsewhere, 9_530_001);
    expect(await shownBalance(elsewhere, 9_530_001)).toMatchObject({ balance: 1_000 + 20, shops: 2 });

    await deliverAndDrain(app, devstore.uninstall(north));
    await deliverAndDrain(app, [devstore.shopRedact(north)]);
    const group = await report(elsewhere);
    expect(group).toMatchObject({ name: 'North & South', ownerShop: null });
    expect(group?.shops.map((share) => share.shop)).toEqual([elsewhere]);
    expect(await shownBalance(elsewhere, 9_530_001)).toMatchObject({ balance: 1_000, shops: 1 });
  });
});
