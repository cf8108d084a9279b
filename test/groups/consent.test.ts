import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { LINK_ATTEMPTS_PER_HOUR, type GroupReport } from '../../server/groups/index.js';
import { balanceOf } from '../../server/ledger/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

/**
 * Issue 23, finding 1: a shop in a program group spent another shop's customers' points, because
 * accounts were linked by an email the merchant can set. Now only the customer links them, signed
 * in at both shops: a one-time code shown in one shop, entered in the other.
 */
describe('program groups: accounts link only with the customer’s own consent', () => {
  let app: TestApp;
  let devstore: Devstore;
  let now = new Date('2026-12-02T12:00:00Z');
  const north = 'consent-north.myshopify.com';
  const south = 'consent-south.myshopify.com';
  const west = 'consent-west.myshopify.com';
  // Ada is north's customer with 615 points. Merchant south creates "Ada" with her email: Shopify marks it verified.
  const ada = { north: 8_810_001, south: 8_820_001, west: 8_830_001 };
  const mallory = { south: 8_820_666 };
  const bob = { north: 8_810_002, south: 8_820_002 };
  const cy = { north: 8_810_003 };
  let headlessKey = '';

  beforeAll(async () => {
    app = await startTestApp('group-consent', { PROXY_RATE_LIMIT: '10000' }, { clock: () => now });
    devstore = devstoreOf(app);
    for (const shop of [north, south, west]) await installShop(app, shop);
    await deliverAndDrain(app, [
      devstore.addCustomer(north, { id: ada.north, email: 'ada@example.com' }),
      devstore.addCustomer(south, { id: ada.south, email: 'ada.s@example.com' }),
      devstore.addCustomer(west, { id: ada.west, email: 'ada.w@example.com' }),
      devstore.addCustomer(north, { id: bob.north, email: 'bob@example.com' }),
      devstore.addCustomer(south, { id: bob.south, email: 'bob@example.com' }),
    ]);
    await grantPoints(app, north, ada.north, 615);
    const created = await api(app, north, '/group', { method: 'POST', body: { name: 'Our shops' } });
    expect(created.status).toBe(201);
    for (const shop of [south, west]) {
      const invite = (await (await api(app, north, '/group/invites', { method: 'POST' })).json()) as { code: string };
      expect((await api(app, shop, '/group/join', { method: 'POST', body: { code: invite.code } })).status).toBe(200);
    }
    const key = await api(app, south, '/api-keys', { method: 'POST', body: { name: 'south tools', scopes: ['balances:read', 'redemptions:write'] } });
    headlessKey = ((await key.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const storefront = (shop: string, path: string, init: { customerId: number; method?: string; body?: unknown }) =>
    proxy(app, shop, path, { ...init, timestamp: Math.floor(now.getTime() / 1000) });
  const available = async (shop: string, customerId: number) => (await balanceOf(app.connection, shop, String(customerId))).available;
  const v1 = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${app.url}/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${headlessKey}`, 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const southBalance = async (customerId: number) => ((await (await v1(`/customers/${customerId}/balance`)).json()) as { balance: number }).balance;
  const codeFor = async (shop: string, customerId: number, forShop: string) => {
    const answer = await storefront(shop, '/group/codes', { customerId, method: 'POST', body: { shop: forShop } });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { code: string; expiresAt: string }).code;
  };
  const enter = (shop: string, customerId: number, code: string) => storefront(shop, '/group/links', { customerId, method: 'POST', body: { code } });
  /** What the storefront shows: the balance in the launcher, and the group section of the account page. */
  const shopperGroup = async (shop: string, customerId: number) => {
    const view = (await (await storefront(shop, '/customer', { customerId })).json()) as { points: { balance: number; shops: number } };
    const group = (await (await storefront(shop, '/group', { customerId })).json()) as {
      group: { name: string; shops: Array<{ shop: string; linked: boolean }> } | null;
      balance: number;
    };
    expect(group.balance).toBe(view.points.balance);
    return { points: view.points, group: group.group };
  };
  const report = async (shop: string) => ((await (await api(app, shop, '/group')).json()) as { group: GroupReport }).group;
  const share = async (shop: string) => (await report(north)).shops.find((found) => found.shop === shop)!;

  it('reproduction: south names ada@example.com in a signed customers/create; south sees and spends none of north’s 615 points', async () => {
    await deliverAndDrain(app, [devstore.addCustomer(south, { id: mallory.south, email: 'ada@example.com' })]);
    const balance = await southBalance(mallory.south);
    const redeemed = await v1(`/customers/${mallory.south}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'five-off', requestKey: 'consent-steal-0001' },
    });
    // Before the fix: { balance: 615, redemption: 201, northLeft: 115 }.
    expect({ balance, redemption: redeemed.status, northLeft: await available(north, ada.north) }).toEqual({
      balance: 0,
      redemption: 409,
      northLeft: 615,
    });
    expect((await shopperGroup(south, mallory.south)).points).toMatchObject({ balance: 0, shops: 1 });
  });

  it('shows a signed-in customer the group’s other shops, none linked yet; a guest has no group to see', async () => {
    expect((await shopperGroup(north, ada.north)).group).toEqual({
      name: 'Our shops',
      shops: [
        { shop: south, linked: false },
        { shop: west, linked: false },
      ],
    });
    expect((await proxy(app, south, '/group', { customerId: null, timestamp: Math.floor(now.getTime() / 1000) })).status).toBe(401);
  });

  it('links only with a code shown to the customer signed in at the other shop, entered by the customer signed in here', async () => {
    expect((await storefront(north, '/group/codes', { customerId: ada.north, method: 'POST', body: { shop: north } })).status).toBe(422);
    expect(
      (await storefront(north, '/group/codes', { customerId: ada.north, method: 'POST', body: { shop: 'elsewhere.myshopify.com' } })).status,
    ).toBe(422);
    expect((await proxy(app, north, '/group/codes', { customerId: null, method: 'POST', body: { shop: south } })).status).toBe(401);

    const forWest = await codeFor(north, ada.north, west);
    expect(forWest).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // A code for west does not work in south, whoever enters it.
    const misplaced = await enter(south, ada.south, forWest);
    expect([misplaced.status, ((await misplaced.json()) as { error: string }).error]).toEqual([422, 'invalid_code']);

    const code = await codeFor(north, ada.north, south);
    const linked = await enter(south, ada.south, code.toLowerCase().replace('-', ' '));
    expect(linked.status).toBe(201);
    expect(await linked.json()).toMatchObject({ linkedShop: north, balance: 615, shops: 2 });
    expect(await southBalance(ada.south)).toBe(615);
    expect((await shopperGroup(north, ada.north)).group?.shops).toContainEqual({ shop: south, linked: true });

    // Spent: the same code links nothing more, not even another account of south.
    const again = await enter(south, mallory.south, code);
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([422, 'invalid_code']);
    expect(await southBalance(mallory.south)).toBe(0);
    // Linked already: another code for south is refused at north.
    expect((await storefront(north, '/group/codes', { customerId: ada.north, method: 'POST', body: { shop: south } })).status).toBe(409);
  });

  it('spends the linked account’s points in the other shop once linked, and the admin counts the link', async () => {
    const redeemed = await storefront(south, '/redemptions', {
      customerId: ada.south,
      method: 'POST',
      body: { rewardId: 'five-off', requestKey: 'consent-redeem-0001' },
    });
    expect(redeemed.status).toBe(201);
    expect([await available(north, ada.north), await available(south, ada.south)]).toEqual([115, 0]);
    expect(await share(south)).toMatchObject({ linkedAccounts: 1, movedInPoints: 500 });
    expect(await share(north)).toMatchObject({ linkedAccounts: 1, movedOutPoints: 500 });
  });

  it('refuses a code after ten minutes', async () => {
    const code = await codeFor(west, ada.west, north);
    now = new Date(now.getTime() + 10 * 60_000 + 1_000);
    expect((await enter(north, ada.north, code)).status).toBe(422);
    now = new Date(now.getTime() + 3_600_000);
  });

  it('allows five codes an hour per signed-in customer, right or wrong, so a code cannot be guessed', async () => {
    const code = await codeFor(west, ada.west, north);
    const answers = [];
    for (let attempt = 0; attempt < LINK_ATTEMPTS_PER_HOUR; attempt++) answers.push(await enter(north, ada.north, `WRONG-${attempt}AAA`));
    expect(answers.map((answer) => answer.status)).toEqual(Array(LINK_ATTEMPTS_PER_HOUR).fill(422));
    expect(((await answers[0]!.json()) as { attemptsLeft: number }).attemptsLeft).toBe(LINK_ATTEMPTS_PER_HOUR - 1);
    const locked = await enter(north, ada.north, code);
    expect([locked.status, ((await locked.json()) as { error: string }).error]).toEqual([429, 'too_many_attempts']);
    now = new Date(now.getTime() + 3_600_000);
    expect((await enter(north, ada.north, await codeFor(west, ada.west, north))).status).toBe(201);
    // Linked through north, west's account is one with south's too.
    expect((await shopperGroup(south, ada.south)).points).toMatchObject({ balance: 115, shops: 3 });
  });

  it('lets one of two customers racing with the same code link, never both', async () => {
    const racers = [8_820_101, 8_820_102];
    const code = await codeFor(north, cy.north, south);
    const answers = await Promise.all(racers.map((racer) => enter(south, racer, code)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
  });

  it('shows the accounts an email alone used to link as awaiting the customer’s confirmation', async () => {
    // Bob has the same verified email in north and south and linked nothing; so has south's "Ada" with north's Ada, who linked another account.
    expect((await shopperGroup(south, bob.south)).points).toMatchObject({ shops: 1 });
    expect(await share(south)).toMatchObject({ awaitingConfirmation: 2 });
    expect(await share(north)).toMatchObject({ awaitingConfirmation: 1 });
  });

  it('lets the customer stop sharing: the account leaves its set, the others stay linked', async () => {
    const stop = await storefront(south, '/group/links', { customerId: ada.south, method: 'DELETE' });
    expect(stop.status).toBe(204);
    expect((await storefront(south, '/group/links', { customerId: ada.south, method: 'DELETE' })).status).toBe(404);
    expect(await southBalance(ada.south)).toBe(0);
    expect((await shopperGroup(west, ada.west)).points).toMatchObject({ balance: 115, shops: 2 });
  });

  it('links nothing for a redacted customer', async () => {
    await deliverAndDrain(app, [devstore.customerRedact(west, ada.west)]);
    expect((await shopperGroup(north, ada.north)).points).toMatchObject({ balance: 115, shops: 1 });
  });
});
