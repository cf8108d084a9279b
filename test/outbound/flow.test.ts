import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowTriggersReceived } from '../../devstore/admin-bulk.js';
import { runOutbound } from '../../server/outbound/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

describe('Shopify Flow: triggers for shops that use them, and the actions "Adjust loyalty points" and "Award a loyalty badge"', () => {
  let app: TestApp;
  const shop = 'flow-shop.myshopify.com';
  const customer = 9_400_001;

  beforeAll(async () => {
    app = await startTestApp('flow');
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer, email: 'flow@example.com' })]);
  });
  afterAll(async () => app.close());

  /** A request as Flow sends it: JSON signed with the app's secret in X-Shopify-Hmac-SHA256. */
  async function flow(path: string, body: unknown, secret = app.config.shopifyApiSecret): Promise<Response> {
    const raw = JSON.stringify(body);
    return fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Hmac-SHA256': createHmac('sha256', secret).update(raw).digest('base64') },
      body: raw,
    });
  }

  const action = (handle: string, runId: string, properties: Record<string, unknown>) => ({
    shop_id: '1',
    shopify_domain: shop,
    action_run_id: runId,
    action_definition_id: handle,
    handle,
    properties,
  });

  async function balance(): Promise<number> {
    return ((await (await api(app, shop, `/customers/${customer}`)).json()) as { points: { balance: number } }).points.balance;
  }

  async function pass(): Promise<void> {
    while ((await runOutbound(app.ctx, shop)) === null) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('refuses a request without the right HMAC', async () => {
    const response = await flow('/flow/actions/adjust-points', action('tally-adjust-points', 'run-x', { customer_id: customer, points: 5 }), 'wrong');
    expect(response.status).toBe(401);
  });

  it('adjusts points once per action run, and refuses to take more than the customer has', async () => {
    const body = action('tally-adjust-points', 'run-1', { customer_id: String(customer), points: 250, reason: 'VIP event' });
    expect((await flow('/flow/actions/adjust-points', body)).status).toBe(200);
    // Flow retries a run with the same action_run_id: it counts once.
    expect((await flow('/flow/actions/adjust-points', body)).status).toBe(200);
    expect(await balance()).toBe(250);
    const overdraw = await flow('/flow/actions/adjust-points', action('tally-adjust-points', 'run-2', { customer_id: customer, points: -300 }));
    expect(overdraw.status).toBe(422);
    expect(await balance()).toBe(250);
  });

  it("awards a program badge once: the shopper's badges show it earned at once, its points are paid once, and a badge the program lacks is refused", async () => {
    const program = (await (await api(app, shop, '/program')).json()) as { badges: Array<{ id: string; points: number }> };
    program.badges[0]!.points = 40;
    expect((await api(app, shop, '/program', { method: 'PUT', body: program })).status).toBe(200);
    const badge = program.badges[0]!.id;
    const shown = async () => {
      const response = await proxy(app, shop, '/engagement', { customerId: customer });
      expect(response.status).toBe(200);
      return ((await response.json()) as { badges: Array<{ id: string; earned: boolean; earnedAt: string | null }> }).badges.find(
        (candidate) => candidate.id === badge,
      );
    };
    const ledger = async () => (await (await api(app, shop, `/customers/${customer}`)).json()) as unknown;
    expect((await shown())?.earned).toBe(false);
    const before = await balance();

    expect((await flow('/flow/actions/award-badge', action('tally-award-badge', 'run-3', { customer_id: customer, badge }))).status).toBe(200);
    const earned = await shown();
    expect(earned).toMatchObject({ earned: true, earnedAt: expect.any(String) });
    expect(await balance()).toBe(before + 40);

    // Flow retrying the run, and a second run of the action, change nothing.
    const after = await ledger();
    expect((await flow('/flow/actions/award-badge', action('tally-award-badge', 'run-3', { customer_id: customer, badge }))).status).toBe(200);
    expect((await flow('/flow/actions/award-badge', action('tally-award-badge', 'run-4', { customer_id: customer, badge }))).status).toBe(200);
    expect(await shown()).toEqual(earned);
    expect(await ledger()).toEqual(after);
    expect(await balance()).toBe(before + 40);

    expect((await flow('/flow/actions/award-badge', action('tally-award-badge', 'run-5', { customer_id: customer, badge: 'nope' }))).status).toBe(
      422,
    );
  });

  it('sends a trigger only once the lifecycle callback says a workflow uses it, with the fields its extension declares', async () => {
    const devstore = devstoreOf(app);
    const earn = async (minor: number) => {
      const order = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: minor }] });
      await deliverAndDrain(app, devstore.pay(shop, order.id));
    };
    await earn(1000);
    await pass();
    expect(flowTriggersReceived(devstore.shop(shop)!)).toEqual([]);

    const lifecycle = (enabled: boolean, timestamp: string) => ({
      flow_trigger_definition_id: 'tally-points-earned',
      has_enabled_flow: enabled,
      shop_id: 1,
      shopify_domain: shop,
      timestamp,
    });
    expect((await flow('/flow/lifecycle', lifecycle(true, new Date().toISOString()), 'wrong')).status).toBe(401);
    expect((await flow('/flow/lifecycle', lifecycle(true, new Date().toISOString()))).status).toBe(200);
    await earn(2500);
    await pass();
    const received = flowTriggersReceived(devstore.shop(shop)!);
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual({
      handle: 'tally-points-earned',
      payload: { customer_id: customer, Points: 25, Balance: await balance(), Reason: expect.any(String) },
    });
    const log = (await (await api(app, shop, '/outbound/deliveries')).json()) as {
      flowTriggers: string[];
      deliveries: Array<{ target: string; status: string }>;
    };
    expect(log.flowTriggers).toEqual(['tally-points-earned']);
    expect(log.deliveries.filter((delivery) => delivery.target === 'flow').map((delivery) => delivery.status)).toEqual(['delivered']);

    expect((await flow('/flow/lifecycle', lifecycle(false, new Date(Date.now() + 1000).toISOString()))).status).toBe(200);
    await earn(3000);
    await pass();
    expect(flowTriggersReceived(devstore.shop(shop)!)).toHaveLength(1);
  });
});
