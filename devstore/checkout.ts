import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { CheckoutRefused, type CartQuote, type Devstore } from './devstore.js';
import { segmentRefusal } from './admin-segments.js';
import { extensionHostPage, isCheckoutTarget, type CheckoutTarget } from './checkout-extensions.js';
import { orderPayload } from './payloads.js';
import { signSessionToken } from './session-token.js';
import type { DevCustomer, DevShop } from './state.js';

export type Cart = Array<{ productId: number; quantity: number }>;

/** What the checkout needs from the storefront's session (cookies) and look. */
export interface StorefrontSession {
  base(domain: string): string;
  shopOf(req: Request): DevShop | undefined;
  customerOf(req: Request, shop: DevShop): DevCustomer | null;
  cartOf(req: Request, shop: DevShop): Cart;
  attributesOf(req: Request, shop: DevShop): Record<string, string>;
  discountCodeOf(req: Request, shop: DevShop): string;
  clearCart(res: Response, shop: DevShop): Response;
  money(shop: DevShop, minor: number): string;
}

interface Checkout {
  token: string;
  shop: string;
  customerId: number | null;
  lines: Cart;
  discountCode: string;
  attributes: Record<string, string>;
  orderId: number | null;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Lines, discounts and total as Shopify's order summary lists them. */
export function summaryHtml(session: StorefrontSession, shop: DevShop, lines: Cart, quote: CartQuote, inCart = false): string {
  const items = lines.map((line) => `<li>${line.quantity} × ${escapeHtml(shop.products.get(line.productId)!.title)}</li>`).join('');
  const code = quote.code
    ? `<p data-summary-code>Discount <code>${escapeHtml(quote.code.code)}</code>: −${session.money(shop, quote.code.amountMinor)}</p>`
    : '';
  const automatic = quote.automatic
    ? `<p data-cart-discount>${escapeHtml(quote.automatic.title)}: −${session.money(shop, quote.automatic.amountMinor)}${inCart ? ' at checkout' : ''}</p>`
    : '';
  return `<ul>${items}</ul><p>Subtotal: ${session.money(shop, quote.subtotalMinor)}</p>${code}${automatic}<p>Total: <strong data-summary-total>${session.money(shop, quote.totalMinor)}</strong></p>`;
}

function extensionFrame(root: string, token: string, target: CheckoutTarget, title: string): string {
  return `<iframe class="extension" data-extension="${target}" title="${escapeHtml(title)}" src="${root}/checkouts/${token}/extensions/${target}"></iframe>`;
}

/** Shopify's checkout layout: no theme and no app embeds, the extension targets in their slots. */
function checkoutLayout(shop: DevShop, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(shop.name)}</title>
<style>body{margin:0;font:15px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;background:#fff}header{padding:16px 24px;border-bottom:1px solid #e3e3e3;font-weight:600}main{max-width:640px;margin:0 auto;padding:16px 24px}
section{border:1px solid #e3e3e3;border-radius:10px;padding:12px 16px;margin:12px 0}ul{padding-left:18px}.extension{width:100%;border:0;height:0;display:block}.notice{background:#fdecea;padding:8px 12px;border-radius:6px}
button{font:inherit;background:#1a1a1a;color:#fff;border:0;border-radius:6px;padding:10px 16px;cursor:pointer}input{font:inherit;padding:6px 8px;max-width:100%}form{display:flex;gap:8px;flex-wrap:wrap;align-items:end}</style></head>
<body><header>${escapeHtml(shop.name)} · Checkout (devstore)</header><main><h1>${escapeHtml(title)}</h1>${body}</main>
<script>
addEventListener('message', async (event) => {
  if (event.origin !== location.origin || !event.data) return;
  if (event.data.type === 'devstore:extension-height') {
    const frame = document.querySelector('iframe[data-extension="' + event.data.target + '"]');
    if (frame) frame.style.height = event.data.height + 'px';
  }
  if (event.data.type === 'devstore:checkout-changed') {
    const fresh = new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html');
    document.querySelector('[data-checkout-summary]').innerHTML = fresh.querySelector('[data-checkout-summary]').innerHTML;
  }
});
</script></body></html>`;
}

/**
 * The devstore checkout: the cart becomes a checkout with its own page (order summary, discount
 * code, Tally's checkout UI extension in its block), paid by "Pay now"; the order's thank-you page
 * runs the thank-you extension. Both extensions run from their own source (checkout-extensions.ts).
 */
export function mountCheckout(router: Router, devstore: Devstore, session: StorefrontSession): void {
  const checkouts = new Map<string, Checkout>();
  const checkoutOf = (req: Request, shop: DevShop): Checkout | undefined => {
    const checkout = checkouts.get(String(req.params.token));
    return checkout?.shop === shop.domain ? checkout : undefined;
  };
  /** The code's customer eligibility (its customer segments, admin-segments.ts) first, then the devstore's own checks and price. */
  const quoteWith = (checkout: Checkout, code: string): CartQuote => {
    const shop = devstore.shop(checkout.shop);
    const refusal = shop && code ? segmentRefusal(shop, code, checkout.customerId) : null;
    const quote = devstore.quoteCart(checkout.shop, {
      customerId: checkout.customerId,
      lines: checkout.lines,
      discountCode: refusal ? undefined : code || undefined,
      attributes: checkout.attributes,
    });
    return refusal ? { ...quote, codeError: refusal } : quote;
  };
  const quoteOf = (checkout: Checkout) => quoteWith(checkout, checkout.discountCode);

  router.post('/checkout', express.urlencoded({ extended: false }), (req, res) => {
    const shop = session.shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const lines = session.cartOf(req, shop);
    if (!lines.length) return void res.redirect(303, `${session.base(shop.domain)}/cart`);
    const typed = String((req.body as Record<string, string>).discountCode ?? '').trim();
    const token = randomUUID().replaceAll('-', '');
    checkouts.set(token, {
      token,
      shop: shop.domain,
      customerId: session.customerOf(req, shop)?.id ?? null,
      lines,
      discountCode: typed || session.discountCodeOf(req, shop),
      attributes: session.attributesOf(req, shop),
      orderId: null,
    });
    res.redirect(303, `${session.base(shop.domain)}/checkouts/${token}`);
  });

  router.get('/checkouts/:token', (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    if (!shop || !checkout) return void res.status(404).send('No such checkout');
    const root = session.base(shop.domain);
    if (checkout.orderId !== null) return void res.redirect(303, `${root}/checkouts/${checkout.token}/thank-you`);
    const quote = quoteOf(checkout);
    const error = quote.codeError ?? (typeof req.query.error === 'string' ? req.query.error : null);
    const body = `${error ? `<p class="notice" role="alert">${escapeHtml(error)}</p>` : ''}
<section data-checkout-summary>${summaryHtml(session, shop, checkout.lines, quote)}
<form method="post" action="${root}/checkouts/${checkout.token}/discount"><label>Discount code <input name="discountCode" value="${escapeHtml(checkout.discountCode)}"></label> <button type="submit">Apply</button></form></section>
<section>${extensionFrame(root, checkout.token, 'purchase.checkout.block.render', 'Tally rewards at checkout')}</section>
<form method="post" action="${root}/checkouts/${checkout.token}/pay"><button type="submit">Pay now</button></form>`;
    res.type('html').send(checkoutLayout(shop, 'Checkout', body));
  });

  router.post('/checkouts/:token/discount', express.urlencoded({ extended: false }), (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    if (!shop || !checkout) return void res.status(404).send('No such checkout');
    checkout.discountCode = String((req.body as Record<string, string>).discountCode ?? '').trim();
    res.redirect(303, `${session.base(shop.domain)}/checkouts/${checkout.token}`);
  });

  // applyDiscountCodeChange from the checkout extension: the code is kept only when checkout accepts it.
  router.post('/checkouts/:token/discount-codes', express.json({ limit: '10kb' }), (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    if (!shop || !checkout) return void res.status(404).json({ message: 'No such checkout' });
    const code = String((req.body as { code?: unknown }).code ?? '').trim();
    const quote = quoteWith(checkout, code);
    if (quote.codeError || !quote.code) return void res.status(422).json({ message: quote.codeError ?? 'Enter a discount code' });
    checkout.discountCode = quote.code.code;
    res.json({ code: quote.code.code });
  });

  router.get('/checkouts/:token/session-token', (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    if (!shop || !checkout) return void res.status(404).json({ message: 'No such checkout' });
    // Shopify's checkout extension token: the shop as `dest`, the buyer as `sub` when signed in, five minutes.
    const claims = {
      iss: undefined,
      sid: undefined,
      dest: shop.domain,
      sub: checkout.customerId === null ? undefined : `gid://shopify/Customer/${checkout.customerId}`,
    };
    res.set('Cache-Control', 'no-store').json({
      token: signSessionToken({
        shop: shop.domain,
        apiKey: devstore.options.apiKey,
        apiSecret: devstore.options.apiSecret,
        ttlSeconds: 300,
        claims,
      }),
    });
  });

  router.get('/checkouts/:token/extensions/:target', (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    const target = String(req.params.target);
    if (!shop || !checkout || !isCheckoutTarget(target)) return void res.status(404).send('No such extension');
    const root = `${session.base(shop.domain)}/checkouts/${checkout.token}`;
    res.type('html').send(
      extensionHostPage({
        target,
        tokenUrl: `${root}/session-token`,
        discountUrl: `${root}/discount-codes`,
        attributes: Object.entries(checkout.attributes).map(([key, value]) => ({ key, value })),
        canUpdateDiscountCodes: checkout.orderId === null,
        discountCodes: checkout.discountCode ? [checkout.discountCode] : [],
        orderId: checkout.orderId,
        appUrl: devstore.options.appUrl,
      }),
    );
  });

  router.post('/checkouts/:token/pay', async (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    if (!shop || !checkout) return void res.status(404).send('No such checkout');
    const root = session.base(shop.domain);
    if (checkout.orderId === null) {
      const refusal = checkout.discountCode ? segmentRefusal(shop, checkout.discountCode, checkout.customerId) : null;
      if (refusal) return void res.redirect(303, `${root}/checkouts/${checkout.token}?error=${encodeURIComponent(refusal)}`);
      try {
        const { order, events } = devstore.checkout(shop.domain, {
          customerId: checkout.customerId,
          lines: checkout.lines,
          ...(checkout.discountCode ? { discountCode: checkout.discountCode } : {}),
          ...(Object.keys(checkout.attributes).length ? { attributes: checkout.attributes } : {}),
        });
        checkout.orderId = order.id;
        await devstore.send(events);
      } catch (error) {
        if (!(error instanceof CheckoutRefused)) throw error;
        return void res.redirect(303, `${root}/checkouts/${checkout.token}?error=${encodeURIComponent(error.message)}`);
      }
    }
    session.clearCart(res, shop).redirect(303, `${root}/checkouts/${checkout.token}/thank-you`);
  });

  router.get('/checkouts/:token/thank-you', (req, res) => {
    const shop = session.shopOf(req);
    const checkout = shop && checkoutOf(req, shop);
    const order = checkout?.orderId ? shop?.orders.get(checkout.orderId) : undefined;
    if (!shop || !checkout || !order) return void res.status(404).send('No such order');
    const name = (orderPayload(shop, order) as { name: string }).name;
    const customer = order.customerId === null ? null : shop.customers.get(order.customerId);
    const discounts = [
      ...order.discountCodes.map(
        (applied) => `<p>Discount <code>${escapeHtml(applied.code)}</code> applied: −${session.money(shop, applied.amountMinor)}</p>`,
      ),
      ...(order.appDiscounts ?? []).map(
        (applied) => `<p data-order-discount>${escapeHtml(applied.title)}: −${session.money(shop, applied.amountMinor)}</p>`,
      ),
    ].join('');
    const items = order.lines.map((line) => `<li>${line.quantity} × ${escapeHtml(line.product.title)}</li>`).join('');
    const paid =
      order.lines.reduce((sum, line) => sum + line.product.priceMinor * line.quantity - line.discountMinor, 0) +
      order.shippingMinor +
      order.taxMinor +
      order.tipMinor;
    const body = `<p data-order-id="${order.id}" data-order-name="${escapeHtml(name)}">Order ${escapeHtml(name)} is confirmed and paid.</p><section><ul>${items}</ul>${discounts}<p>Paid: <strong>${session.money(shop, paid)}</strong></p></section>
<section>${extensionFrame(session.base(shop.domain), checkout.token, 'purchase.thank-you.block.render', 'Tally points for this order')}</section>
<p><a href="${session.base(shop.domain)}">Continue shopping</a></p>`;
    res.type('html').send(checkoutLayout(shop, customer ? `Thank you, ${customer.firstName}!` : 'Thank you!', body));
  });
}
