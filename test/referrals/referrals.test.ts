import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSegmentsOf } from '../../devstore/admin-segments.js';
import { customerModel } from '../../server/customers/store.js';
import { applyEntry, balanceOf, ledgerKeys } from '../../server/ledger/index.js';
import { loadProgram, type Program } from '../../server/program/index.js';
import { referralOrderPaid, referralOrderReversed, settleDueReferrals } from '../../server/referrals/index.js';
import type { TestApp } from '../support/app.js';
import { api, devstoreOf, installShop, proxy } from '../support/shopify.js';
import { startEngagementApp } from '../engagement/harness.js';

describe("referrals: a link per customer, the friend's first paid order credits the referrer once, fraud refused", () => {
  let app: TestApp;
  let booted: TestApp;
  let close: () => Promise<void>;
  let program: Program;
  const shop = 'refer.myshopify.com';
  const referrer = '8100001';
  let code = '';
  let nextOrder = 5_000;

  const profile = (customerId: string, email: string, address1 = `${customerId} Main St`) =>
    customerModel(app.ctx.connection).create({
      shop,
      customerId,
      email,
      addresses: [{ address1, zip: '10001', country_code: 'US' }],
      tags: [],
      updatedAt: new Date(),
    });
  const paid = (friend: string, extra: { attribute?: string; discount?: string; at?: Date } = {}) =>
    referralOrderPaid(
      app.ctx,
      program,
      {
        shop,
        orderId: String(nextOrder++),
        customerId: friend,
        noteAttributes: extra.attribute ? [{ name: 'tally_referral', value: extra.attribute }] : [],
        discountCodes: extra.discount ? [extra.discount] : [],
        paidAt: extra.at ?? new Date(),
      },
      extra.at ?? new Date(),
    );
  const points = async (customerId: string) => (await balanceOf(app.ctx.connection, shop, customerId)).available;

  beforeAll(async () => {
    ({ app, booted, close } = await startEngagementApp('referrals'));
    await installShop(booted, shop);
    program = (await loadProgram(app.ctx.connection, shop))!;
    await profile(referrer, 'Ref.Errer+shop@example.com', '1 Loyal Road');
  });
  afterAll(async () => {
    await close();
  });

  it("GET /proxy/referral gives a code and a link, the same each time, and creates the friend's discount on Shopify once", async () => {
    const first = await proxy(app, shop, '/referral', { customerId: referrer });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { code: string; url: string; discount: boolean };
    expect(body.code).toMatch(/^REF-[A-Z2-9]{8}$/);
    expect(body.url).toBe(`https://${shop}/discount/${body.code}?redirect=${encodeURIComponent(`/?tally_ref=${body.code}`)}`);
    expect(body.discount).toBe(true);
    code = body.code;
    const again = (await (await proxy(app, shop, '/referral', { customerId: referrer })).json()) as { code: string };
    expect(again.code).toBe(code);
    const discounts = [...devstoreOf(booted).shop(shop)!.discounts.values()].filter((discount) => discount.code === code);
    expect(discounts).toHaveLength(1);
    // Limited to first-time customers by a customer segment (first-order-segment.test.ts), not to named customers.
    expect(discounts[0]!.customerIds).toBe('all');
    expect(codeSegmentsOf(devstoreOf(booted).shop(shop)!, code)).toHaveLength(1);
    expect((await proxy(app, shop, '/referral')).status).toBe(401);
  });

  it("credits the referrer once for a friend's first paid order, by cart attribute or by the referral discount", async () => {
    await profile('8100010', 'friend.one@example.com');
    await profile('8100011', 'friend.two@example.com');
    const before = await points(referrer);
    expect(await paid('8100010', { attribute: code })).toBe('credited');
    expect(await paid('8100011', { discount: code.toLowerCase() })).toBe('credited');
    expect(await points(referrer)).toBe(before + 2 * program.referrals.referrerPoints);
    // The same friend's next order refers nothing more.
    expect(await paid('8100010', { attribute: code })).toBeNull();
    expect(await points(referrer)).toBe(before + 2 * program.referrals.referrerPoints);
  });

  it('refuses self-referral, the same email (dots and +tags aside) or address, and a friend with an earlier paid order', async () => {
    const before = await points(referrer);
    expect(await paid(referrer, { attribute: code })).toBe('refused');
    await profile('8100021', 'r.e.f.errer+second@example.com');
    expect(await paid('8100021', { attribute: code })).toBe('refused');
    await profile('8100022', 'someone.else@example.com', '1 Loyal Road');
    expect(await paid('8100022', { attribute: code })).toBe('refused');
    await profile('8100023', 'returning@example.com');
    // An earlier paid order: its credit in the ledger.
    await applyEntry(
      app.ctx.connection,
      {
        shop,
        customerId: '8100023',
        key: ledgerKeys.orderEarned('4000'),
        type: 'earn',
        available: 10,
        pending: 0,
        reason: 'order paid',
        source: 'order 4000',
        orderId: '4000',
        guard: 'none',
      },
      new Date(Date.now() - 86_400_000),
    );
    expect(await paid('8100023', { attribute: code })).toBe('refused');
    expect(await points(referrer)).toBe(before);
    const list = (await (await api(app, shop, '/referrals')).json()) as {
      referrals: Array<{ friendId: string; state: string; reason: string | null }>;
    };
    expect(
      list.referrals
        .filter((row) => row.state === 'refused')
        .map((row) => row.reason)
        .sort(),
    ).toEqual(['earlier_order', 'same_address', 'same_email', 'self_referral']);
  });

  it("reverses the credit when the friend's order is refunded in full; refuses one refunded before it was decided", async () => {
    await profile('8100030', 'refunder@example.com');
    const orderId = String(nextOrder);
    expect(await paid('8100030', { attribute: code })).toBe('credited');
    const before = await points(referrer);
    expect(await referralOrderReversed(app.ctx, program, { shop, orderId }, new Date())).toBe('reversed');
    expect(await referralOrderReversed(app.ctx, program, { shop, orderId }, new Date())).toBe('reversed');
    expect(await points(referrer)).toBe(before - program.referrals.referrerPoints);
  });

  it('waits out the pending window, then the hourly job credits; a refund inside the window refuses it', async () => {
    const pendingProgram: Program = { ...program, pendingDays: 14 };
    await profile('8100040', 'patient@example.com');
    await profile('8100041', 'refunded.early@example.com');
    const paidAt = new Date();
    const order = (friend: string, orderId: string) =>
      referralOrderPaid(
        app.ctx,
        pendingProgram,
        { shop, orderId, customerId: friend, noteAttributes: [{ name: 'tally_referral', value: code }], discountCodes: [], paidAt },
        paidAt,
      );
    expect(await order('8100040', '6001')).toBe('pending');
    expect(await order('8100041', '6002')).toBe('pending');
    expect(await referralOrderReversed(app.ctx, pendingProgram, { shop, orderId: '6002' }, paidAt)).toBe('refused');
    const before = await points(referrer);
    expect(await settleDueReferrals(app.ctx, pendingProgram, shop, new Date(paidAt.getTime() + 13 * 86_400_000))).toBe(0);
    expect(await settleDueReferrals(app.ctx, pendingProgram, shop, new Date(paidAt.getTime() + 15 * 86_400_000))).toBe(1);
    expect(await points(referrer)).toBe(before + program.referrals.referrerPoints);
  });

  it('holds the monthly cap per referrer even when friends convert concurrently', async () => {
    const capped: Program = { ...program, referrals: { ...program.referrals, monthlyCap: 2 } };
    const other = '8100100';
    await profile(other, 'capped.referrer@example.com', '9 Cap Street');
    const link = (await (await proxy(app, shop, '/referral', { customerId: other })).json()) as { code: string };
    const friends = Array.from({ length: 6 }, (_, index) => String(8_100_200 + index));
    await Promise.all(friends.map((friend) => profile(friend, `cap.friend.${friend}@example.com`)));
    const verdicts = await Promise.all(
      friends.map((friend, index) =>
        referralOrderPaid(
          app.ctx,
          capped,
          {
            shop,
            orderId: String(7000 + index),
            customerId: friend,
            noteAttributes: [{ name: 'tally_referral', value: link.code }],
            discountCodes: [],
            paidAt: new Date(),
          },
          new Date(),
        ),
      ),
    );
    expect(verdicts.filter((verdict) => verdict === 'credited')).toHaveLength(2);
    expect(await points(other)).toBe(2 * program.referrals.referrerPoints);
  });

  it("a referral credit counts for the referrer's referral badge, awarded once with its points", async () => {
    const withBadgePoints: Program = {
      ...program,
      badges: program.badges.map((badge) => (badge.milestone === 'referral' ? { ...badge, points: 30 } : badge)),
    };
    const badgeReferrer = '8100300';
    await profile(badgeReferrer, 'badge.referrer@example.com', '3 Badge Way');
    await applyEntry(
      app.ctx.connection,
      { shop, customerId: badgeReferrer, key: 'test:seed', type: 'adjust', available: 0, pending: 0, reason: 'seed', source: 'test', guard: 'none' },
      new Date(),
    );
    const link = (await (await proxy(app, shop, '/referral', { customerId: badgeReferrer })).json()) as { code: string };
    await profile('8100301', 'badge.friend.1@example.com');
    await profile('8100302', 'badge.friend.2@example.com');
    for (const [friend, orderId] of [
      ['8100301', '8001'],
      ['8100302', '8002'],
    ] as const) {
      await referralOrderPaid(
        app.ctx,
        withBadgePoints,
        { shop, orderId, customerId: friend, noteAttributes: [{ name: 'tally_referral', value: link.code }], discountCodes: [], paidAt: new Date() },
        new Date(),
      );
    }
    expect(await points(badgeReferrer)).toBe(2 * program.referrals.referrerPoints + 30);
  });
});
