import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminGraphqlClient, ShopifyApiError } from '../../server/shopify/admin-graphql.js';
import { DISCOUNT_CODE_BASIC_CREATE, SHOP_QUERY, type DiscountCodeBasicCreateData, type ShopQueryData } from '../../server/shopify/operations.js';
import { offlineAccessToken } from '../../server/shops/store.js';
import { BUCKET_MAXIMUM } from '../../devstore/state.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { devstoreOf, installShop } from '../support/shopify.js';

describe('Admin GraphQL client against the devstore', () => {
  let app: TestApp;
  const shop = 'graphql.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('admin-graphql');
    await installShop(app, shop, { currency: 'CAD' });
  });
  afterAll(async () => {
    await app.close();
  });

  function client(sleeps: number[]) {
    return adminGraphqlClient({
      config: app.config,
      accessToken: (name) => offlineAccessToken(app.ctx, name),
      baseDelayMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
  }

  it('retries 5xx and THROTTLED answers with backoff, then returns the data', async () => {
    devstoreOf(app).shop(shop)!.faults.push('5xx', 'throttled', '5xx');
    const sleeps: number[] = [];
    const data = await client(sleeps)<ShopQueryData>(shop, SHOP_QUERY);
    expect(data.shop).toMatchObject({ myshopifyDomain: shop, currencyCode: 'CAD' });
    expect(sleeps).toHaveLength(3);
  });

  it('gives up after its attempts with a retryable error', async () => {
    devstoreOf(app).shop(shop)!.faults.push('5xx', '5xx', '5xx', '5xx', '5xx');
    await expect(client([])(shop, SHOP_QUERY)).rejects.toMatchObject({ name: 'ShopifyApiError', retryable: true });
  });

  it("waits for the bucket to refill when the last answer said it is short of the next query's cost", async () => {
    const devShop = devstoreOf(app).shop(shop)!;
    const sleeps: number[] = [];
    const graphql = client(sleeps);
    devShop.bucket = { available: 5, updatedAt: Date.now() };
    await graphql(shop, SHOP_QUERY);
    expect(sleeps).toEqual([]);
    await graphql<DiscountCodeBasicCreateData>(
      shop,
      DISCOUNT_CODE_BASIC_CREATE,
      {
        basicCodeDiscount: {
          title: 'x',
          code: `WAIT-${Date.now()}`,
          startsAt: new Date().toISOString(),
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
        },
      },
      10,
    );
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    devShop.bucket = { available: BUCKET_MAXIMUM, updatedAt: Date.now() };
  });

  it('reports GraphQL validation errors as a non-retryable error', async () => {
    const error = await client([])(shop, '{ shop { notAField } }').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShopifyApiError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('creates a discount code the devstore checkout accepts once for that customer', async () => {
    const devstore = devstoreOf(app);
    devstore.addCustomer(shop, { id: 55 });
    devstore.addCustomer(shop, { id: 56 });
    const code = `TALLY-${Date.now()}`;
    const created = await client([])<DiscountCodeBasicCreateData>(shop, DISCOUNT_CODE_BASIC_CREATE, {
      basicCodeDiscount: {
        title: '5 off',
        code,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        context: { customers: { add: ['gid://shopify/Customer/55'] } },
        customerGets: { value: { discountAmount: { amount: '5.00', appliesOnEachItem: false } }, items: { all: true } },
        usageLimit: 1,
        appliesOncePerCustomer: true,
      },
    });
    expect(created.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(() => devstore.checkout(shop, { customerId: 56, lines: [{ priceMinor: 2000 }], discountCode: code })).toThrow(
      /not available to this customer/,
    );
    const { order, events } = devstore.checkout(shop, { customerId: 55, lines: [{ priceMinor: 2000 }], discountCode: code });
    expect(order.discountCodes).toEqual([{ code, amountMinor: 500, type: 'fixed_amount' }]);
    expect((events[0]!.payload as { discount_codes: unknown[] }).discount_codes).toEqual([{ code, amount: '5.00', type: 'fixed_amount' }]);
    expect(() => devstore.checkout(shop, { customerId: 55, lines: [{ priceMinor: 2000 }], discountCode: code })).toThrow(/already been used/);

    const duplicate = await client([])<DiscountCodeBasicCreateData>(shop, DISCOUNT_CODE_BASIC_CREATE, {
      basicCodeDiscount: {
        title: 'dup',
        code,
        startsAt: new Date().toISOString(),
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      },
    });
    expect(duplicate.discountCodeBasicCreate.userErrors[0]).toMatchObject({ code: 'TAKEN' });
  });
});
