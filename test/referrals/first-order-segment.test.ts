import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSegmentsOf, NOT_AVAILABLE_TO_CUSTOMER, segmentsOf } from '../../devstore/admin-segments.js';
import { FIRST_ORDER_SEGMENT_NAME, FIRST_ORDER_SEGMENT_QUERY, referralSegmentModel } from '../../server/referrals/segment.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

/** A shopper's browser session on the devstore's storefront: its cookies, and requests without following redirects. */
function shopper(store: string) {
  const cookies = new Map<string, string>();
  const send = async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await fetch(`${store}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        Cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  return { send };
}

describe("the friend's code limited to first orders on Shopify's side: a first-time-customer segment as the code's context", () => {
  let app: TestApp;
  let store: string;
  const shop = 'refer-segment.myshopify.com';
  const racing = 'refer-segment-race.myshopify.com';
  const referrer = 8_200_001;
  const returning = 8_200_002;
  const newcomer = 8_200_003;
  const product = 971;
  let code = '';

  beforeAll(async () => {
    app = await startTestApp('referral-segment');
    const devstore = devstoreOf(app);
    await installShop(app, shop);
    await installShop(app, racing);
    devstore.addProduct(shop, { id: product, title: 'Pour-over kettle', priceMinor: 4_000, tags: [], giftCard: false });
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: referrer, email: 'referrer@example.com' }),
      devstore.addCustomer(shop, { id: returning, email: 'returning@example.com' }),
      devstore.addCustomer(shop, { id: newcomer, email: 'newcomer@example.com' }),
    ]);
    const earlier = devstore.createOrder(shop, { customerId: returning, lines: [{ priceMinor: 1_500 }] });
    await deliverAndDrain(app, devstore.pay(shop, earlier.id));
    store = `${app.url}/devstore/shops/${shop}/storefront`;
  });
  afterAll(async () => app.close());

  async function referralCode(target: string, customerId: number): Promise<{ code: string; discount: boolean }> {
    const response = await proxy(app, target, '/referral', { customerId });
    expect(response.status).toBe(200);
    return (await response.json()) as { code: string; discount: boolean };
  }

  it('creates the segment number_of_orders = 0 once and gives the friend’s code that segment as its context', async () => {
    const link = await referralCode(shop, referrer);
    expect(link.discount).toBe(true);
    code = link.code;
    const devShop = devstoreOf(app).shop(shop)!;
    const segments = segmentsOf(devShop);
    expect(segments).toEqual([
      { id: expect.stringMatching(/^gid:\/\/shopify\/Segment\/\d+$/), name: FIRST_ORDER_SEGMENT_NAME, query: FIRST_ORDER_SEGMENT_QUERY },
    ]);
    expect(codeSegmentsOf(devShop, code)).toEqual([segments[0]!.id]);
    expect(await referralSegmentModel(app.ctx.connection).find({ shop }, { _id: 0, segmentId: 1 }).lean()).toEqual([{ segmentId: segments[0]!.id }]);

    // Another referrer's code uses the same segment.
    const other = await referralCode(shop, newcomer + 100);
    expect(codeSegmentsOf(devShop, other.code)).toEqual([segments[0]!.id]);
    expect(segmentsOf(devShop)).toHaveLength(1);
  });

  it('finds the segment by its name after a crash between its creation and its record, instead of creating another', async () => {
    const devShop = devstoreOf(app).shop(shop)!;
    const [segment] = segmentsOf(devShop);
    await referralSegmentModel(app.ctx.connection).deleteMany({ shop });
    const link = await referralCode(shop, newcomer + 200);
    expect(link.discount).toBe(true);
    expect(segmentsOf(devShop)).toEqual([segment]);
    expect(codeSegmentsOf(devShop, link.code)).toEqual([segment!.id]);
    expect((await referralSegmentModel(app.ctx.connection).findOne({ shop }).lean())?.segmentId).toBe(segment!.id);
  });

  it('agrees on one segment when the first referral links of a shop are asked for at once', async () => {
    const links = await Promise.all(Array.from({ length: 6 }, (_, index) => referralCode(racing, 8_300_000 + index)));
    expect(links.every((link) => link.discount)).toBe(true);
    const devShop = devstoreOf(app).shop(racing)!;
    const segments = segmentsOf(devShop);
    expect(segments).toHaveLength(1);
    expect(links.map((link) => codeSegmentsOf(devShop, link.code))).toEqual(links.map(() => [segments[0]!.id]));
  });

  it('refuses the code at checkout to a friend who has an order already, in Shopify’s words, and creates no order', async () => {
    const browser = shopper(store);
    expect((await browser.send('/account/login', { method: 'POST', form: { customerId: String(returning) } })).status).toBe(303);
    expect((await browser.send(`/discount/${code}`)).status).toBe(303);
    expect((await browser.send('/cart/add', { method: 'POST', form: { productId: String(product), quantity: '1' } })).status).toBe(303);
    const started = await browser.send('/checkout', { method: 'POST', form: {} });
    const checkout = new URL(started.headers.get('location')!, app.url).pathname.replace(/^.*\/storefront/, '');
    const page = await (await browser.send(checkout)).text();
    expect(page).toContain(NOT_AVAILABLE_TO_CUSTOMER.replace("'", '&#39;'));
    expect(page).not.toContain('data-summary-code');
    const ordersBefore = devstoreOf(app).shop(shop)!.orders.size;
    const paid = await browser.send(`${checkout}/pay`, { method: 'POST' });
    expect(paid.status).toBe(303);
    expect(decodeURIComponent(paid.headers.get('location')!)).toContain(`?error=${NOT_AVAILABLE_TO_CUSTOMER}`);
    expect(devstoreOf(app).shop(shop)!.orders.size).toBe(ordersBefore);
  });

  it('gives the code to a first-time customer: the order is paid with the referral discount', async () => {
    const browser = shopper(store);
    await browser.send('/account/login', { method: 'POST', form: { customerId: String(newcomer) } });
    await browser.send(`/discount/${code}`);
    await browser.send('/cart/add', { method: 'POST', form: { productId: String(product), quantity: '1' } });
    const started = await browser.send('/checkout', { method: 'POST', form: {} });
    const checkout = new URL(started.headers.get('location')!, app.url).pathname.replace(/^.*\/storefront/, '');
    const page = await (await browser.send(checkout)).text();
    expect(page).toContain('data-summary-code');
    expect(page).not.toContain(NOT_AVAILABLE_TO_CUSTOMER.replace("'", '&#39;'));
    const paid = await browser.send(`${checkout}/pay`, { method: 'POST' });
    expect(paid.headers.get('location')).toMatch(/\/thank-you$/);
    const orders = [...devstoreOf(app).shop(shop)!.orders.values()].filter((order) => order.customerId === newcomer);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.discountCodes.map((applied) => applied.code)).toEqual([code]);
    expect(orders[0]!.discountCodes[0]!.amountMinor).toBeGreaterThan(0);
  });
});
