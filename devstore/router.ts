import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { adminApiRouter } from './admin-api.js';
import { bulkDownloadRouter } from './admin-bulk.js';
import { CheckoutRefused, Devstore, type DevstoreOptions } from './devstore.js';
import { adminFrameRouter } from './admin-frame.js';
import { checkoutExtensionsRouter } from './checkout-extensions.js';
import { persistShops } from './persist.js';
import { posRouter } from './pos.js';
import { posExtensionsRouter } from './pos-extensions.js';
import { storefrontRouter, themeAssetsRouter, themeOf } from './storefront.js';
import type { WebhookEvent } from './webhooks.js';
import { orderPayload } from './payloads.js';

const shopParam = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/);
const lineSchema = z.object({
  productId: z.number().int().optional(),
  priceMinor: z.number().int().nonnegative().optional(),
  quantity: z.number().int().positive().optional(),
  giftCard: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
});
const orderSchema = z.object({
  customerId: z.number().int().nullable(),
  lines: z.array(lineSchema).min(1),
  shippingMinor: z.number().int().nonnegative().optional(),
  taxMinor: z.number().int().nonnegative().optional(),
  tipMinor: z.number().int().nonnegative().optional(),
  discountCode: z.string().optional(),
  presentmentCurrency: z.string().length(3).optional(),
  presentmentRate: z.number().positive().optional(),
  /** A sale at the register: `source_name: "pos"`. */
  pos: z.object({ locationId: z.number().int().positive(), userId: z.number().int().positive() }).optional(),
});
const deliverySchema = z.object({ duplicate: z.number().int().min(1).max(10).optional(), shuffle: z.boolean().optional() });

/** Any *.myshopify.com domain is a shop of the devstore: it is created on first contact, as a new dev store would be. */
function isDevShopDomain(domain: string): boolean {
  return shopParam.safeParse(domain).success;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The devstore's HTTP face: Shopify's endpoints per shop, a JSON API for the CLI and tests, a home page. */
export function devstoreRouter(devstore: Devstore): Router {
  const router = Router();
  // The storefront first: it forwards app-proxy bodies untouched, so no other parser may read them.
  router.use('/devstore/shops/:shop/storefront', storefrontRouter(devstore));
  router.use(themeAssetsRouter());
  router.use(checkoutExtensionsRouter());
  router.use(posExtensionsRouter());
  router.use('/devstore/shops/:shop/pos', posRouter(devstore));
  router.use(adminFrameRouter(devstore));
  router.use(bulkDownloadRouter(devstore));
  router.use(
    '/devstore/shops/:shop',
    adminApiRouter({
      apiKey: devstore.options.apiKey,
      apiSecret: devstore.options.apiSecret,
      clock: devstore.clock,
      shop: (domain) => (isDevShopDomain(domain) ? devstore.ensureShop(domain) : undefined),
      // Shopify sends the webhook after answering the mutation; so does the devstore.
      announce: (event) => setImmediate(() => void devstore.send([event])),
    }),
  );

  const api = Router();
  api.use(express.json({ limit: '1mb' }));
  const act =
    (handler: (shop: string, body: unknown, req: Request) => { events: WebhookEvent[]; result?: object }) => async (req: Request, res: Response) => {
      const shop = shopParam.safeParse(req.params.shop);
      if (!shop.success || !devstore.shop(shop.data)) {
        res.status(404).json({ error: 'no such shop' });
        return;
      }
      try {
        const { events, result } = handler(shop.data, req.body, req);
        const options = deliverySchema.parse((req.body as { delivery?: unknown } | undefined)?.delivery ?? {});
        const report = await devstore.send(events, options);
        res.status(201).json({ ...result, delivery: report });
      } catch (error) {
        const status = error instanceof CheckoutRefused ? 422 : error instanceof z.ZodError ? 400 : 404;
        res.status(status).json({ error: (error as Error).message });
      }
    };
  api.post(
    '/shops/:shop/customers',
    act((shop, body) => {
      const input = z
        .object({
          id: z.number().int(),
          email: z.string().optional(),
          firstName: z.string().optional(),
          lastName: z.string().optional(),
          tags: z.array(z.string()).optional(),
        })
        .parse(body);
      return { events: [devstore.addCustomer(shop, input)] };
    }),
  );
  api.post(
    '/shops/:shop/orders',
    act((shop, body) => {
      const order = devstore.createOrder(shop, orderSchema.parse(body));
      return { events: devstore.pay(shop, order.id), result: { orderId: order.id, lineIds: order.lines.map((line) => line.id) } };
    }),
  );
  api.post(
    '/shops/:shop/orders/:orderId/refunds',
    act((shop, body, req) => {
      const refund = z
        .object({
          lines: z.array(z.object({ lineId: z.number().int(), quantity: z.number().int().positive() })).optional(),
          amountMinor: z.number().int().positive().optional(),
        })
        .refine((given) => !(given.lines && given.amountMinor), 'give lines or amountMinor, not both')
        .parse(body ?? {});
      const orderId = Number(req.params.orderId);
      return { events: refund.amountMinor ? devstore.refundAmount(shop, orderId, refund.amountMinor) : devstore.refund(shop, orderId, refund.lines) };
    }),
  );
  // The shop's orders, newest first, as the CLI lists them.
  api.get('/shops/:shop/orders', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).json({ error: 'no such shop' });
    const orders = [...shop.orders.values()]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((order) => {
        const payload = orderPayload(shop, order) as { name: string; current_subtotal_price: string };
        return {
          orderId: order.id,
          name: payload.name,
          customerId: order.customerId,
          currency: order.currency,
          subtotal: payload.current_subtotal_price,
          status: order.cancelledAt ? 'cancelled' : order.paidAt ? 'paid' : 'pending',
          refunds: order.refunds.length,
          lines: order.lines.map((line) => ({ lineId: line.id, title: line.product.title, quantity: line.quantity })),
          createdAt: order.createdAt.toISOString(),
        };
      });
    res.json({ orders });
  });
  api.post(
    '/shops/:shop/orders/:orderId/cancel',
    act((shop, _body, req) => ({ events: devstore.cancel(shop, Number(req.params.orderId)) })),
  );
  api.post(
    '/shops/:shop/checkout',
    act((shop, body) => {
      const { order, events } = devstore.checkout(shop, orderSchema.parse(body));
      return { events, result: { orderId: order.id, discountCodes: order.discountCodes } };
    }),
  );
  api.post(
    '/shops/:shop/storm',
    act((shop, body) => {
      const { orders, customerId } = z.object({ orders: z.number().int().min(1).max(10_000), customerId: z.number().int() }).parse(body);
      const events = Array.from(
        { length: orders },
        () => devstore.pay(shop, devstore.createOrder(shop, { customerId, lines: [{ priceMinor: 1000 }] }).id)[0]!,
      );
      return { events };
    }),
  );
  api.post('/shops/:shop/faults', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    const faults = z.object({ faults: z.array(z.enum(['5xx', 'throttled', 'userErrors'])) }).safeParse(req.body);
    if (!shop || !faults.success) {
      res.status(400).json({ error: 'unknown shop or faults' });
      return;
    }
    shop.faults.push(...faults.data.faults);
    res.status(204).end();
  });
  // The theme editor: Tally's app embed and blocks on or off, and the shop's published languages (primary first).
  api.put('/shops/:shop/theme', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    const theme = z
      .object({ appEmbed: z.boolean(), appBlocks: z.boolean(), locales: z.array(z.enum(['en', 'fr', 'de', 'es'])).min(1) })
      .partial()
      .safeParse(req.body);
    if (!shop || !theme.success) return void res.status(400).json({ error: 'unknown shop, or theme not {appEmbed, appBlocks, locales}' });
    shop.theme = { ...themeOf(shop), ...theme.data };
    res.json(shop.theme);
  });
  router.use('/devstore/api', api);

  router.get('/devstore', (_req, res) => {
    const rows = [...devstore.shops.values()]
      .map((shop) => {
        const name = escapeHtml(shop.name);
        const domain = encodeURIComponent(shop.domain);
        return `<li><strong>${name}</strong> (${escapeHtml(shop.domain)}, ${shop.currency}) · ${shop.customers.size} customers, ${shop.orders.size} orders · app ${shop.appInstalled ? 'installed' : 'not installed'} · <a href="/devstore/shops/${domain}/admin">Admin (the app embedded)</a> · <a href="/devstore/shops/${domain}/storefront">Online store</a> · <a href="/devstore/shops/${domain}/pos">Point of sale</a></li>`;
      })
      .join('');
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tally devstore</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;color:#303030}li{margin:8px 0}</style></head>
<body><h1>Tally devstore</h1><p>The local stand-in for Shopify: token exchange, Admin GraphQL with cost-based throttling, signed webhooks, an online store with Tally's theme extension, a checkout and thank-you page with Tally's checkout extensions, and a point-of-sale register running Tally's POS extension. Drive it with <code>npm run devstore -- help</code> (orders, refunds, cancellations) or its JSON API under <code>/devstore/api</code>.</p>
<ul>${rows || '<li>No shops yet.</li>'}</ul></body></html>`);
  });
  return router;
}

export function createDevstore(options: DevstoreOptions): { devstore: Devstore; router: Router; stop(): void } {
  const devstore = new Devstore(options);
  const persisted = options.statePath ? persistShops(devstore.shops, options.statePath) : undefined;
  return { devstore, router: devstoreRouter(devstore), stop: () => persisted?.stop() };
}
