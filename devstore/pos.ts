import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { escapeHtml } from './checkout.js';
import { CheckoutRefused, type Devstore } from './devstore.js';
import { formatAmount } from './money.js';
import { orderPayload } from './payloads.js';
import { isPosTarget, posExtensionHostPage, type PosTarget } from './pos-extensions.js';
import { signSessionToken } from './session-token.js';
import { defaultStaff, type DevShop } from './state.js';

/** The account signed in to the devstore's POS: the shop owner, as on most counters. */
const SIGNED_IN_USER = 1;
const LOCATION_ID = 1;

interface RegisterLine {
  uuid: string;
  productId: number;
  quantity: number;
  properties: Record<string, string>;
}

/** One register: its open sale (the POS cart), the staff member pinned in, the sales rung up on it. */
interface Register {
  id: string;
  shop: string;
  lines: RegisterLine[];
  customerId: number | null;
  discountCode: string | null;
  properties: Record<string, string>;
  staffMemberId: number | null;
  sales: number[];
}

/** POS's Cart (`shopify.cart.current.value`), in the shape of @shopify/ui-extensions' point-of-sale types. */
function cartOf(devstore: Devstore, shop: DevShop, register: Register) {
  const quote = devstore.quoteCart(shop.domain, {
    customerId: register.customerId,
    lines: register.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
    discountCode: register.discountCode ?? undefined,
    attributes: {},
  });
  const money = (minor: number) => formatAmount(minor, shop.currency);
  const discounts = quote.code
    ? [{ amount: Number(money(quote.code.amountMinor)), currency: shop.currency, discountDescription: quote.code.code, type: 'Code' }]
    : [];
  return {
    editable: true,
    subtotal: money(quote.subtotalMinor),
    taxTotal: money(0),
    grandTotal: money(quote.totalMinor),
    ...(discounts[0] ? { cartDiscount: discounts[0] } : {}),
    cartDiscounts: discounts,
    ...(register.customerId === null ? {} : { customer: { id: register.customerId } }),
    lineItems: register.lines.map((line) => {
      const product = shop.products.get(line.productId)!;
      return {
        uuid: line.uuid,
        price: Number(money(product.priceMinor)),
        quantity: line.quantity,
        title: product.title,
        variantId: product.variantId,
        productId: product.id,
        discounts: [],
        taxable: true,
        taxLines: [],
        properties: line.properties,
        isGiftCard: product.giftCard,
      };
    }),
    properties: register.properties,
  };
}

class CartRefused extends Error {
  override readonly name = 'CartRefused';
}

/** The cart API's operations as POS performs them on the open sale; a refusal is thrown in POS's words. */
function operate(devstore: Devstore, shop: DevShop, register: Register, op: string, args: unknown[]): unknown {
  const codeError = (code: string | null, customerId: number | null) =>
    code === null
      ? null
      : devstore.quoteCart(shop.domain, {
          customerId,
          lines: register.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          discountCode: code,
          attributes: {},
        }).codeError;
  switch (op) {
    case 'addLineItem': {
      const [variantId, quantity, options] = args as [number, number, { properties?: Record<string, string> } | undefined];
      const product = [...shop.products.values()].find((candidate) => candidate.variantId === Number(variantId));
      if (!product) throw new CartRefused(`Variant ${variantId} is not sold in this shop`);
      const uuid = randomUUID();
      register.lines.push({ uuid, productId: product.id, quantity: Math.max(1, Number(quantity) || 1), properties: options?.properties ?? {} });
      return uuid;
    }
    case 'removeLineItem':
      register.lines = register.lines.filter((line) => line.uuid !== String(args[0]));
      return undefined;
    case 'setCustomer': {
      const id = Number((args[0] as { id?: unknown } | undefined)?.id);
      if (!shop.customers.has(id)) throw new CartRefused(`Customer ${id} does not exist`);
      register.customerId = id;
      if (codeError(register.discountCode, id)) register.discountCode = null;
      return undefined;
    }
    case 'removeCustomer':
      register.customerId = null;
      if (codeError(register.discountCode, null)) register.discountCode = null;
      return undefined;
    case 'addCartCodeDiscount': {
      const code = String(args[0] ?? '').trim();
      const error = codeError(code, register.customerId);
      if (error) throw new CartRefused(error);
      register.discountCode = code;
      return undefined;
    }
    case 'removeCartDiscount':
      register.discountCode = null;
      return undefined;
    case 'clearCart':
      Object.assign(register, { lines: [], customerId: null, discountCode: null, properties: {} });
      return undefined;
    case 'addCartProperties':
      Object.assign(register.properties, args[0]);
      return undefined;
    case 'removeCartProperties':
      for (const key of (args[0] as string[]) ?? []) delete register.properties[key];
      return undefined;
    default:
      throw new CartRefused(`The devstore's POS does not perform ${op}`);
  }
}

const cartOperation = z.object({ op: z.string().max(40), args: z.array(z.unknown()).max(5).default([]) });

/**
 * The devstore's POS register: a smart grid with the shop's products and Tally's tile, the open
 * sale (lines, customer, discount, total, Charge), the customer details screen with Tally's block,
 * the tile's modal, and after payment the post-purchase block, every one of them Tally's own
 * extension code in its own frame, handed session tokens and this register's cart API. Charging
 * creates a paid order with `source_name: "pos"`; sales rung up here can be refunded by line.
 */
export function posRouter(devstore: Devstore): Router {
  const router = Router({ mergeParams: true });
  const registers = new Map<string, Register>();
  const shopOf = (req: Request) => devstore.shop(String((req.params as Record<string, string>).shop));
  const registerOf = (req: Request, shop: DevShop) => {
    const register = registers.get(String(req.params.register));
    return register?.shop === shop.domain ? register : undefined;
  };
  const base = (shop: DevShop, register: Register) => `/devstore/shops/${encodeURIComponent(shop.domain)}/pos/${register.id}`;
  const withRegister =
    (handler: (req: Request, res: Response, shop: DevShop, register: Register) => unknown) => async (req: Request, res: Response) => {
      const shop = shopOf(req);
      const register = shop && registerOf(req, shop);
      if (!shop || !register) return void res.status(404).json({ message: 'No such register' });
      await handler(req, res, shop, register);
    };

  router.get('/', (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const register: Register = {
      id: randomUUID().slice(0, 8),
      shop: shop.domain,
      lines: [],
      customerId: null,
      discountCode: null,
      properties: {},
      staffMemberId: null,
      sales: [],
    };
    registers.set(register.id, register);
    res.redirect(303, base(shop, register));
  });

  router.get(
    '/:register',
    withRegister((_req, res, shop, register) => res.type('html').send(registerPage(shop, register, base(shop, register)))),
  );

  router.get(
    '/:register/cart',
    withRegister((_req, res, shop, register) => res.set('Cache-Control', 'no-store').json(cartOf(devstore, shop, register))),
  );

  router.post(
    '/:register/cart',
    express.json({ limit: '10kb' }),
    withRegister((req, res, shop, register) => {
      const parsed = cartOperation.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ message: 'Send { op, args }' });
      try {
        const result = operate(devstore, shop, register, parsed.data.op, parsed.data.args);
        res.json({ result: result ?? null, cart: cartOf(devstore, shop, register) });
      } catch (error) {
        if (!(error instanceof CartRefused)) throw error;
        res.status(422).json({ message: error.message });
      }
    }),
  );

  router.post(
    '/:register/staff',
    express.json({ limit: '1kb' }),
    withRegister((req, res, shop, register) => {
      const id = (req.body as { staffMemberId?: unknown }).staffMemberId;
      register.staffMemberId = typeof id === 'number' && (shop.staff ?? defaultStaff(shop.domain)).has(String(id)) ? id : null;
      res.json({ staffMemberId: register.staffMemberId });
    }),
  );

  // POS session token: the admin's form (iss is the shop's admin, sub the signed-in account), a minute.
  router.get(
    '/:register/session-token',
    withRegister((_req, res, shop) =>
      res.set('Cache-Control', 'no-store').json({
        token: signSessionToken({
          shop: shop.domain,
          apiKey: devstore.options.apiKey,
          apiSecret: devstore.options.apiSecret,
          userId: String(SIGNED_IN_USER),
          ttlSeconds: 60,
        }),
      }),
    ),
  );

  router.post(
    '/:register/charge',
    withRegister(async (_req, res, shop, register) => {
      if (register.lines.length === 0) return void res.status(422).json({ message: 'Add something to the sale first' });
      try {
        const { order, events } = devstore.checkout(shop.domain, {
          customerId: register.customerId,
          lines: register.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          ...(register.discountCode ? { discountCode: register.discountCode } : {}),
          pos: { locationId: LOCATION_ID, userId: register.staffMemberId ?? SIGNED_IN_USER },
        });
        Object.assign(register, { lines: [], customerId: null, discountCode: null, properties: {} });
        register.sales.unshift(order.id);
        await devstore.send(events);
        res.json({ orderId: order.id, name: (orderPayload(shop, order) as { name: string }).name, customerId: order.customerId });
      } catch (error) {
        if (!(error instanceof CheckoutRefused)) throw error;
        res.status(422).json({ message: error.message });
      }
    }),
  );

  router.get(
    '/:register/sales',
    withRegister((_req, res, shop, register) =>
      res.json({
        sales: register.sales.flatMap((orderId) => {
          const order = shop.orders.get(orderId);
          if (!order) return [];
          const refunded = (lineId: number) =>
            order.refunds
              .flatMap((refund) => refund.lines)
              .filter((line) => line.lineId === lineId)
              .reduce((sum, line) => sum + line.quantity, 0);
          return [
            {
              orderId,
              name: (orderPayload(shop, order) as { name: string }).name,
              customer: order.customerId === null ? null : (shop.customers.get(order.customerId)?.firstName ?? String(order.customerId)),
              lines: order.lines.map((line) => ({
                lineId: line.id,
                title: line.product.title,
                quantity: line.quantity,
                refundable: line.quantity - refunded(line.id),
              })),
            },
          ];
        }),
      }),
    ),
  );

  router.post(
    '/:register/sales/:orderId/refunds',
    express.json({ limit: '1kb' }),
    withRegister(async (req, res, shop, register) => {
      const orderId = Number(req.params.orderId);
      const line = z.object({ lineId: z.number().int(), quantity: z.number().int().positive() }).safeParse(req.body);
      if (!register.sales.includes(orderId) || !line.success) return void res.status(404).json({ message: 'No such sale or line on this register' });
      await devstore.send(devstore.refund(shop.domain, orderId, [line.data]));
      res.json({ refunded: line.data });
    }),
  );

  router.get(
    '/:register/extensions/:target',
    withRegister((req, res, shop, register) => {
      const target = String(req.params.target);
      if (!isPosTarget(target)) return void res.status(404).send('No such extension');
      const orderId = Number(req.query.orderId);
      const order = target === 'pos.purchase.post.block.render' ? shop.orders.get(orderId) : undefined;
      const customerId = Number(req.query.customerId);
      res.type('html').send(
        posExtensionHostPage({
          target,
          shop: shop.domain,
          currency: shop.currency,
          cartUrl: `${base(shop, register)}/cart`,
          tokenUrl: `${base(shop, register)}/session-token`,
          appUrl: devstore.options.appUrl,
          userId: SIGNED_IN_USER,
          staffMemberId: register.staffMemberId,
          customerId: target === 'pos.customer-details.block.render' && shop.customers.has(customerId) ? customerId : null,
          order: order ? { id: order.id, name: (orderPayload(shop, order) as { name: string }).name, customerId: order.customerId } : null,
        }),
      );
    }),
  );
  return router;
}

function frame(target: PosTarget, title: string, extra = ''): string {
  return `<iframe class="extension" data-extension="${target}" title="${escapeHtml(title)}" data-src="extensions/${target}${extra}"></iframe>`;
}

/** The register page: the smart grid, the sale, the customer details screen, the modal and the post-purchase screen. */
function registerPage(shop: DevShop, register: Register, base: string): string {
  const products = [...shop.products.values()].filter((product) => !product.hidden && !product.giftCard);
  const customers = [...shop.customers.values()].map((customer) => ({
    id: customer.id,
    name: `${customer.firstName} ${customer.lastName}`.trim() || customer.email,
  }));
  const staff = [...(shop.staff ?? defaultStaff(shop.domain)).values()].map((member) => ({
    id: member.id,
    name: `${member.firstName} ${member.lastName}`,
  }));
  const grid = products
    .map(
      (product) =>
        `<button class="product" data-variant="${product.variantId}">${escapeHtml(product.title)}<small>${formatAmount(product.priceMinor, shop.currency)} ${shop.currency}</small></button>`,
    )
    .join('');
  const data = { base, currency: shop.currency, customers, staffMemberId: register.staffMemberId };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Register · ${escapeHtml(shop.name)}</title>
<style>body{margin:0;font:15px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;background:#f1f1f1}header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;padding:10px 16px;background:#1a1a1a;color:#fff}header select{font:inherit}
main{display:flex;flex-direction:column;padding:16px}.col{display:contents}main section{order:5}#grid{order:1}#sale{order:2}#customer-details{order:3}#complete{order:4}@media (min-width:800px){main{display:grid;gap:16px;grid-template-columns:3fr 2fr;align-items:start}.col{display:block}}
.grid{display:grid;gap:10px;grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}.product{font:inherit;display:flex;flex-direction:column;align-items:flex-start;gap:4px;min-height:88px;padding:12px;border:1px solid #d4d4d4;border-radius:12px;background:#fafafa;cursor:pointer;text-align:left}.product small{color:#616161}
section{background:#fff;border-radius:12px;padding:12px 16px;margin-bottom:16px}h2{font-size:1em;margin:0 0 8px}ul{list-style:none;padding:0;margin:0}li{display:flex;justify-content:space-between;gap:8px;padding:6px 0;border-bottom:1px solid #eee}
button.small{font:inherit;font-size:.9em;padding:4px 10px;border:1px solid #b5b5b5;background:#fff;border-radius:6px;cursor:pointer}.charge{font:inherit;width:100%;padding:12px;border:0;border-radius:10px;background:#1a1a1a;color:#fff;font-weight:600;cursor:pointer}
.extension{width:100%;border:0;height:0;display:block}.row{display:flex;gap:8px;flex-wrap:wrap;align-items:center}select{font:inherit;padding:6px;max-width:100%}.notice{background:#fdecea;padding:8px 12px;border-radius:6px}
#modal{position:fixed;inset:0;background:rgba(0,0,0,.45);display:none;align-items:stretch;justify-content:center;padding:16px}#modal.open{display:flex}#modal .sheet{background:#f6f6f7;border-radius:14px;width:100%;max-width:640px;display:flex;flex-direction:column;overflow:hidden}#modal iframe{flex:1;border:0;width:100%;height:auto}#modal .bar{display:flex;justify-content:flex-end;padding:8px;background:#fff;border-bottom:1px solid #e3e3e3}</style></head>
<body><header><strong>${escapeHtml(shop.name)} · Point of sale (devstore)</strong><label>Staff pinned in <select id="staff"><option value="">No one</option>${staff.map((member) => `<option value="${member.id}">${escapeHtml(member.name)}</option>`).join('')}</select></label></header>
<main><div class="col"><section id="grid" aria-label="Smart grid"><div class="grid">${grid}<div data-slot="tile">${frame('pos.home.tile.render', 'Tally loyalty tile')}</div></div></section>
<section id="complete" hidden><h2>Sale complete</h2><div data-slot="post"></div><p><button class="small" id="new-sale">New sale</button></p></section>
<section><h2>Recent sales</h2><ul id="sales"><li>None yet.</li></ul></section></div>
<div class="col"><section id="sale" aria-label="Sale"><h2>Sale</h2><p id="error" class="notice" role="alert" hidden></p><ul id="lines"></ul><div id="discounts"></div><p class="row"><span>Subtotal <strong id="subtotal"></strong></span><span>Total <strong id="total" data-total></strong></span></p>
<div class="row" id="customer-row"></div><p><button class="charge" id="charge">Charge</button></p></section>
<section id="customer-details" hidden><h2>Customer details</h2><div data-slot="block"></div></section></div></main>
<div id="modal" role="dialog" aria-label="Tally loyalty"><div class="sheet"><div class="bar"><button class="small" id="close-modal">Done</button></div><div data-slot="modal" style="flex:1;display:flex"></div></div></div>
<script type="application/json" id="register-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script type="module">${REGISTER_SCRIPT}</script></body></html>`;
}

const REGISTER_SCRIPT = `
const data = JSON.parse(document.getElementById('register-data').textContent);
const $ = (selector) => document.querySelector(selector);
const escape = (text) => String(text).replace(/[&<>"']/g, (char) => '&#' + char.charCodeAt(0) + ';');
const frames = () => [...document.querySelectorAll('iframe.extension')];
const mount = (slot, target, title, query = '') => {
  $('[data-slot="' + slot + '"]').innerHTML = '<iframe class="extension" data-extension="' + target + '" title="' + title + '" src="' + data.base + '/extensions/' + target + query + '"></iframe>';
};
let cart = null;
async function post(path, body) {
  const response = await fetch(data.base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.message);
  return answer;
}
function showError(message) { $('#error').hidden = !message; $('#error').textContent = message ?? ''; }
async function operate(op, ...args) {
  try { showError(null); show((await post('/cart', { op, args })).cart); } catch (error) { showError(error.message); }
}
function show(next) {
  const before = cart?.customer?.id;
  cart = next;
  for (const frame of frames()) frame.contentWindow?.postMessage({ type: 'devstore:pos-cart', cart }, location.origin);
  $('#lines').innerHTML = cart.lineItems.length === 0 ? '<li>No items yet.</li>' : cart.lineItems.map((line) => '<li><span>' + line.quantity + ' × ' + escape(line.title) + '</span><span>' + line.price.toFixed(2) + ' <button class="small" data-remove="' + line.uuid + '" aria-label="Remove ' + escape(line.title) + '">Remove</button></span></li>').join('');
  $('#discounts').innerHTML = cart.cartDiscounts.map((discount) => '<p class="row" data-discount><span>Discount <code>' + escape(discount.discountDescription) + '</code>: −' + discount.amount.toFixed(2) + '</span><button class="small" data-remove-discount>Remove discount</button></p>').join('');
  $('#subtotal').textContent = cart.subtotal + ' ' + data.currency;
  $('#total').textContent = cart.grandTotal + ' ' + data.currency;
  const customer = cart.customer ? data.customers.find((candidate) => candidate.id === cart.customer.id) : null;
  $('#customer-row').innerHTML = cart.customer
    ? '<span data-customer>Customer: <strong>' + escape(customer?.name ?? cart.customer.id) + '</strong></span><button class="small" id="remove-customer">Remove customer</button>'
    : '<label>Customer <select id="pick-customer"><option value="">Choose…</option>' + data.customers.map((candidate) => '<option value="' + candidate.id + '">' + escape(candidate.name) + '</option>').join('') + '</select></label>';
  if (cart.customer?.id !== before) {
    $('#customer-details').hidden = !cart.customer;
    if (cart.customer) mount('block', 'pos.customer-details.block.render', 'Tally loyalty on the customer details screen', '?customerId=' + cart.customer.id);
    else $('[data-slot="block"]').innerHTML = '';
  }
}
async function loadSales() {
  const { sales } = await (await fetch(data.base + '/sales', { cache: 'no-store' })).json();
  $('#sales').innerHTML = sales.length === 0 ? '<li>None yet.</li>' : sales.map((sale) => '<li><span>' + escape(sale.name) + ' · ' + escape(sale.customer ?? 'guest') + '</span><span>' + sale.lines.filter((line) => line.refundable > 0).map((line) => '<button class="small" data-refund="' + sale.orderId + ':' + line.lineId + '">Refund 1 × ' + escape(line.title) + '</button>').join(' ') + '</span></li>').join('');
}
document.addEventListener('click', async (event) => {
  const target = event.target.closest('button');
  if (!target) return;
  if (target.dataset.variant) await operate('addLineItem', Number(target.dataset.variant), 1);
  if (target.dataset.remove) await operate('removeLineItem', target.dataset.remove);
  if (target.hasAttribute('data-remove-discount')) await operate('removeCartDiscount');
  if (target.id === 'remove-customer') await operate('removeCustomer');
  if (target.id === 'close-modal') { $('#modal').classList.remove('open'); $('[data-slot="modal"]').innerHTML = ''; }
  if (target.id === 'new-sale') $('#complete').hidden = true;
  if (target.id === 'charge') {
    try {
      showError(null);
      const sale = await post('/charge');
      show(await (await fetch(data.base + '/cart', { cache: 'no-store' })).json());
      $('#complete').hidden = false;
      mount('post', 'pos.purchase.post.block.render', 'Tally loyalty after the sale', '?orderId=' + sale.orderId);
      await loadSales();
    } catch (error) { showError(error.message); }
  }
  if (target.dataset.refund) {
    const [orderId, lineId] = target.dataset.refund.split(':');
    await post('/sales/' + orderId + '/refunds', { lineId: Number(lineId), quantity: 1 });
    await loadSales();
  }
});
document.addEventListener('change', async (event) => {
  if (event.target.id === 'pick-customer' && event.target.value) await operate('setCustomer', { id: Number(event.target.value) });
  if (event.target.id === 'staff') {
    await post('/staff', { staffMemberId: event.target.value ? Number(event.target.value) : null });
    location.reload();
  }
});
addEventListener('message', async (event) => {
  if (event.origin !== location.origin || !event.data) return;
  if (event.data.type === 'devstore:extension-height') {
    const frame = document.querySelector('iframe[data-extension="' + event.data.target + '"]');
    if (frame && event.data.target !== 'pos.home.modal.render') frame.style.height = event.data.height + 'px';
  }
  if (event.data.type === 'devstore:pos-cart-changed') show(await (await fetch(data.base + '/cart', { cache: 'no-store' })).json());
  if (event.data.type === 'devstore:pos-present-modal') {
    $('#modal').classList.add('open');
    mount('modal', 'pos.home.modal.render', 'Tally loyalty');
  }
});
$('#staff').value = data.staffMemberId === null ? '' : String(data.staffMemberId);
for (const frame of frames()) frame.src = data.base + '/' + frame.dataset.src;
show(await (await fetch(data.base + '/cart', { cache: 'no-store' })).json());
await loadSales();
`;
