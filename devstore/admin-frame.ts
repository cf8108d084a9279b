import { Router } from 'express';
import type { Devstore } from './devstore.js';
import type { DevProduct, DevShop } from './state.js';
import { signSessionToken } from './session-token.js';

const DEV_STAFF_ID = '1';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The stand-in for App Bridge inside the app's frame (the `shopify` global of app-bridge.js), for
 * what Tally uses: `idToken()`, `user()`, `resourcePicker()`, `saveBar` with the `ui-save-bar`
 * element, and the app's location mirrored into the admin's URL. Like Shopify's, the picker, the
 * save bar and the leave confirmation are drawn by the admin around the frame, not inside the app.
 */
const APP_BRIDGE = `(() => {
  const params = new URLSearchParams(location.search);
  let next = 0;
  const waiting = new Map();
  const ask = (message) => new Promise((resolve) => {
    const id = ++next;
    waiting.set(id, resolve);
    parent.postMessage({ ...message, id }, location.origin);
  });
  const visible = new Set();
  addEventListener('message', (event) => {
    if (event.source !== parent || !event.data || typeof event.data.type !== 'string') return;
    if (event.data.type === 'devstore:save-bar-action') {
      const bar = document.getElementById(event.data.bar);
      const button = bar && [...bar.querySelectorAll('button')].find((candidate) => (candidate.getAttribute('variant') === 'primary') === (event.data.action === 'save'));
      if (button) button.click();
      return;
    }
    if (!event.data.type.startsWith('devstore:answer')) return;
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    if (resolve) resolve(event.data.value);
  });
  const announce = () => parent.postMessage({ type: 'devstore:save-bars', bars: [...visible].map((id) => ({ id, discardConfirmation: document.getElementById(id)?.hasAttribute('discardConfirmation') ?? false })) }, location.origin);
  class UISaveBar extends HTMLElement {
    connectedCallback() { this.style.display = 'none'; }
    disconnectedCallback() { if (visible.delete(this.id)) announce(); }
    get showing() { return visible.has(this.id); }
    show() { visible.add(this.id); announce(); this.dispatchEvent(new Event('show')); return Promise.resolve(); }
    hide() { if (visible.delete(this.id)) { announce(); this.dispatchEvent(new Event('hide')); } return Promise.resolve(); }
    toggle() { return this.showing ? this.hide() : this.show(); }
  }
  customElements.define('ui-save-bar', UISaveBar);
  const bar = (id) => document.getElementById(id);
  window.shopify = {
    config: { shop: params.get('shop'), apiKey: document.querySelector('meta[name=shopify-api-key]')?.content },
    idToken() {
      return Promise.race([
        ask({ type: 'devstore:id-token-request' }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('The admin frame did not answer with a session token')), 5000)),
      ]);
    },
    /** Shopify's admin answers only the account access level (App Bridge User API). */
    user() { return Promise.resolve({ accountAccess: 'Account owner' }); },
    resourcePicker(options) {
      return ask({ type: 'devstore:resource-picker', options: JSON.parse(JSON.stringify(options)) }).then((items) => (items === undefined ? undefined : Object.assign(items, { selection: items })));
    },
    saveBar: {
      show: (id) => bar(id)?.show() ?? Promise.resolve(),
      hide: (id) => bar(id)?.hide() ?? Promise.resolve(),
      toggle: (id) => bar(id)?.toggle() ?? Promise.resolve(),
      leaveConfirmation: () => (visible.size === 0 ? Promise.resolve() : ask({ type: 'devstore:leave-confirmation' })),
    },
  };
  const report = () => parent.postMessage({ type: 'devstore:location', hash: location.hash }, location.origin);
  addEventListener('hashchange', report);
  addEventListener('popstate', report);
  addEventListener('beforeunload', (event) => { if (visible.size > 0) event.preventDefault(); });
})();`;

/** The admin's chrome: the save bar over the top bar, the resource picker and the leave confirmation as dialogs. */
const FRAME_SCRIPT = `
const frame = document.getElementById('app');
frame.src = frame.dataset.src + location.hash;
const saveBar = document.getElementById('save-bar');
let bars = [];
const answer = (id, value) => frame.contentWindow.postMessage({ type: 'devstore:answer', id, value }, location.origin);
const dialog = document.getElementById('dialog');
function openDialog(title, body, actions) {
  dialog.querySelector('h2').textContent = title;
  const content = dialog.querySelector('.body');
  content.replaceChildren(...body);
  dialog.querySelector('.actions').replaceChildren(...actions);
  dialog.showModal();
}
function button(label, primary, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  if (primary) element.className = 'primary';
  element.addEventListener('click', onClick);
  return element;
}
async function resourcePicker(id, options) {
  const items = await fetch(RESOURCES + '?type=' + encodeURIComponent(options.type)).then((response) => response.json());
  const multiple = Boolean(options.multiple);
  const chosen = new Set((options.selectionIds || []).map((selection) => selection.id));
  const list = document.createElement('div');
  list.className = 'picker';
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'Search ' + options.type + 's';
  search.setAttribute('aria-label', search.placeholder);
  const render = () => {
    list.replaceChildren(...items.filter((item) => item.label.toLowerCase().includes(search.value.toLowerCase())).map((item) => {
      const row = document.createElement('label');
      const input = document.createElement('input');
      input.type = multiple ? 'checkbox' : 'radio';
      input.name = 'resource';
      input.checked = chosen.has(item.resource.id);
      input.addEventListener('change', () => { if (!multiple) chosen.clear(); if (input.checked) chosen.add(item.resource.id); else chosen.delete(item.resource.id); });
      const text = document.createElement('span');
      text.textContent = item.label;
      const detail = document.createElement('small');
      detail.textContent = item.detail;
      row.append(input, text, detail);
      return row;
    }));
    if (items.length === 0) list.textContent = 'This store has no ' + options.type + 's yet.';
  };
  search.addEventListener('input', render);
  render();
  const verb = options.action === 'select' ? 'Select' : 'Add';
  openDialog(verb + ' ' + options.type + (multiple ? 's' : ''), [search, list], [
    button('Cancel', false, () => { dialog.close(); answer(id, undefined); }),
    button(verb, true, () => { dialog.close(); answer(id, items.filter((item) => chosen.has(item.resource.id)).map((item) => item.resource)); }),
  ]);
}
function leaveConfirmation(id) {
  const text = document.createElement('p');
  text.textContent = 'If you leave this page, any unsaved changes will be lost.';
  openDialog('Leave page with unsaved changes?', [text], [
    button('Stay', false, () => dialog.close()),
    button('Leave page', true, () => { dialog.close(); bars = []; saveBar.hidden = true; answer(id, undefined); }),
  ]);
}
document.getElementById('save').addEventListener('click', () => frame.contentWindow.postMessage({ type: 'devstore:save-bar-action', bar: bars[0].id, action: 'save' }, location.origin));
document.getElementById('discard').addEventListener('click', () => {
  const discard = () => frame.contentWindow.postMessage({ type: 'devstore:save-bar-action', bar: bars[0].id, action: 'discard' }, location.origin);
  if (!bars[0].discardConfirmation) return discard();
  const text = document.createElement('p');
  text.textContent = 'All unsaved changes will be lost.';
  openDialog('Discard all unsaved changes?', [text], [button('Continue editing', false, () => dialog.close()), button('Discard changes', true, () => { dialog.close(); discard(); })]);
});
document.querySelectorAll('nav div').forEach((item) => item.addEventListener('click', () => { if (bars.length > 0) leaveConfirmation(0); }));
addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow || !event.data) return;
  const { type, id } = event.data;
  if (type === 'devstore:id-token-request') {
    const body = await fetch(ID_TOKEN).then((response) => response.json());
    answer(id, body.token);
  } else if (type === 'devstore:resource-picker') {
    await resourcePicker(id, event.data.options);
  } else if (type === 'devstore:leave-confirmation') {
    leaveConfirmation(id);
  } else if (type === 'devstore:save-bars') {
    bars = event.data.bars;
    saveBar.hidden = bars.length === 0;
  } else if (type === 'devstore:location') {
    history.replaceState(null, '', location.pathname + location.search + event.data.hash);
  }
});
`;

const STYLE = `body{margin:0;font-family:system-ui,sans-serif;background:#ebebeb;display:grid;grid-template-columns:220px 1fr;grid-template-rows:48px 1fr;height:100vh}
header{grid-column:1/3;background:#1a1a1a;color:#fff;display:flex;align-items:center;gap:12px;padding:0 16px;font-size:14px;position:relative}header a{color:#bbb}
#save-bar{position:absolute;inset:0;background:#1a1a1a;display:flex;align-items:center;justify-content:space-between;padding:0 16px;gap:8px}
#save-bar[hidden]{display:none}#save-bar span{font-weight:600}
button{font:inherit;border-radius:8px;border:1px solid #c9c9c9;background:#fff;padding:6px 12px;cursor:pointer}button.primary{background:#303030;color:#fff;border-color:#303030}
#save-bar button{background:#3a3a3a;color:#fff;border-color:#555}#save-bar button.primary{background:#fff;color:#1a1a1a}
nav{padding:12px;font-size:14px}nav div{padding:6px 10px;border-radius:8px;color:#303030}nav .on{background:#fff;font-weight:600}
iframe{border:0;width:100%;height:100%;background:#f1f1f1}
dialog{border:0;border-radius:12px;padding:0;width:min(560px,92vw);box-shadow:0 8px 32px #0004}dialog h2{margin:0;padding:16px;font-size:16px;border-bottom:1px solid #e3e3e3}
dialog .body{padding:16px;max-height:60vh;overflow:auto}dialog .actions{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3}
dialog input[type=search]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c9c9c9;border-radius:8px;margin-bottom:8px}
.picker label{display:grid;grid-template-columns:auto 1fr auto;gap:8px;align-items:center;padding:8px;border-bottom:1px solid #f1f1f1}.picker small{color:#616161}
@media (max-width:700px){body{grid-template-columns:1fr}nav{display:none}header{grid-column:1}}`;

/** Money as Shopify's resource picker returns it: a decimal string in the shop's currency. */
function decimal(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
}

function listed(shop: DevShop): DevProduct[] {
  return [...shop.products.values()].filter((product) => !product.hidden && !product.giftCard);
}

/** The shop's products, variants or collections in the shape App Bridge's resource picker selects them (the fields Tally reads). */
function pickerItems(shop: DevShop, type: string): Array<{ label: string; detail: string; resource: object }> {
  const products = listed(shop);
  const price = (product: DevProduct) => decimal(product.priceMinor, shop.currency);
  const variantOf = (product: DevProduct) => ({
    id: `gid://shopify/ProductVariant/${product.variantId}`,
    title: 'Default Title',
    displayName: `${product.title} - Default Title`,
    price: price(product),
    product: { id: `gid://shopify/Product/${product.id}`, title: product.title },
  });
  if (type === 'variant') return products.map((product) => ({ label: product.title, detail: price(product), resource: variantOf(product) }));
  if (type === 'collection') {
    const ids = [...new Set(products.flatMap((product) => product.collectionIds ?? []))];
    return ids.map((id) => {
      const count = products.filter((product) => product.collectionIds?.includes(id)).length;
      return {
        label: `Collection ${id}`,
        detail: `${count} products`,
        resource: { id: `gid://shopify/Collection/${id}`, title: `Collection ${id}`, handle: `collection-${id}`, productsCount: count },
      };
    });
  }
  return products.map((product) => ({
    label: product.title,
    detail: price(product),
    resource: {
      id: `gid://shopify/Product/${product.id}`,
      title: product.title,
      handle: product.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      tags: product.tags,
      hasOnlyDefaultVariant: true,
      totalVariants: 1,
      variants: [variantOf(product)],
    },
  }));
}

/** Shopify's admin, as far as an embedded app sees it: chrome around an iframe, session tokens, picker, save bar. */
export function adminFrameRouter(devstore: Devstore): Router {
  const router = Router();
  router.get('/devstore/app-bridge.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-cache').send(APP_BRIDGE);
  });

  router.get('/devstore/shops/:shop/admin/id-token', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).json({ error: 'no such shop' });
    res.set('Cache-Control', 'no-store').json({
      token: signSessionToken({ shop: shop.domain, apiKey: devstore.options.apiKey, apiSecret: devstore.options.apiSecret, userId: DEV_STAFF_ID }),
    });
  });

  router.get('/devstore/shops/:shop/admin/resources', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).json({ error: 'no such shop' });
    res.set('Cache-Control', 'no-store').json(pickerItems(shop, String(req.query.type ?? 'product')));
  });

  router.get('/devstore/shops/:shop/admin', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).send('No such shop');
    const host = Buffer.from(`admin.shopify.com/store/${shop.domain.replace('.myshopify.com', '')}`).toString('base64url');
    const appSrc = `${devstore.options.appUrl}/?${new URLSearchParams({ shop: shop.domain, host, embedded: '1' }).toString()}`;
    const base = `/devstore/shops/${shop.domain}/admin`;
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(shop.name)} · Tally · Shopify admin (devstore)</title>
<style>${STYLE}</style></head>
<body><header><strong>${escapeHtml(shop.name)}</strong><span>· devstore admin</span><a href="/devstore/shops/${encodeURIComponent(shop.domain)}/storefront" target="_blank">View online store</a>
<div id="save-bar" role="region" aria-label="Unsaved changes" hidden><span>Unsaved changes</span><div><button type="button" id="discard">Discard</button> <button type="button" id="save" class="primary">Save</button></div></div></header>
<nav><div>Home</div><div>Orders</div><div>Customers</div><div>Apps</div><div class="on">Tally Loyalty</div></nav>
<iframe id="app" title="Tally Loyalty" data-src="${escapeHtml(appSrc)}"></iframe>
<dialog id="dialog"><h2></h2><div class="body"></div><div class="actions"></div></dialog>
<script>const ID_TOKEN = ${JSON.stringify(`${base}/id-token`)}; const RESOURCES = ${JSON.stringify(`${base}/resources`)};${FRAME_SCRIPT}</script></body></html>`);
  });
  return router;
}
