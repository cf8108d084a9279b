import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { APP_URL } from '../extensions/tally-pos/src/register.js';
import { extensionBundleRouter } from './extension-bundles.js';

const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../extensions/tally-pos/src');

/** The targets Tally's POS UI extension declares (extensions/tally-pos/shopify.extension.toml), by their module. */
export const POS_TARGETS = {
  'pos.home.tile.render': 'Tile.ts',
  'pos.home.modal.render': 'Modal.ts',
  'pos.customer-details.block.render': 'CustomerBlock.ts',
  'pos.purchase.post.block.render': 'PostPurchase.ts',
} as const;
export type PosTarget = keyof typeof POS_TARGETS;

export function isPosTarget(target: string): target is PosTarget {
  return Object.hasOwn(POS_TARGETS, target);
}

/** What the register page tells an extension target: Shopify POS's `shopify` global, in data. */
export interface PosHostData {
  target: PosTarget;
  shop: string;
  currency: string;
  /** The register's cart endpoint (GET the cart, POST an operation) and where session tokens come from. */
  cartUrl: string;
  tokenUrl: string;
  appUrl: string;
  userId: number;
  staffMemberId: number | null;
  customerId: number | null;
  order: { id: number; name: string; customerId: number | null } | null;
}

/**
 * POS's components as the devstore draws them: Polaris web components reduced to the ones the
 * extension uses, styled like the register. Fields keep their input in a shadow root and expose
 * `value`, so `onInput` sees `currentTarget.value` as in POS; buttons and tiles ignore clicks
 * while disabled or loading and answer the keyboard.
 */
const COMPONENTS_CSS = `body{margin:0;font:15px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;background:transparent}
s-page{display:block}s-page::before{content:attr(heading);display:block;font-weight:650;font-size:1.15em;padding:12px 16px;border-bottom:1px solid #e3e3e3;background:#fff;position:sticky;top:0}
s-scroll-box{display:block;padding:12px 16px}
s-section{display:flex;flex-direction:column;gap:8px;border:1px solid #e3e3e3;border-radius:10px;padding:12px;margin:0;background:#fff}s-section::before{content:attr(heading);font-weight:600}
s-pos-block{display:flex;flex-direction:column;gap:6px;border:1px solid #e3e3e3;border-radius:10px;padding:12px;background:#fff}s-pos-block::before{content:attr(heading);font-weight:600}
s-stack{display:flex;flex-direction:column;gap:10px}s-stack[direction=inline]{flex-direction:row;flex-wrap:wrap;align-items:center;justify-content:space-between}
s-text{display:block}s-text[type=strong]{font-weight:650;font-size:1.2em}s-text[color=subdued]{color:#616161;font-size:.92em}
s-badge{display:inline-block;align-self:flex-start;padding:1px 8px;border-radius:999px;background:#e3e3e3;font-size:.85em}
s-banner{display:block;padding:10px 12px;border-radius:8px;background:#eaf4ff;border:1px solid #b6d4fe}s-banner[tone=success]{background:#e9f7ef;border-color:#a6dcb8}s-banner[tone=critical]{background:#fdecea;border-color:#f5b5ad}
s-button{display:inline-block;background:#fff;color:#1a1a1a;border:1px solid #b5b5b5;border-radius:8px;padding:9px 14px;cursor:pointer;user-select:none;text-align:center}s-button[variant=primary]{background:#1a1a1a;color:#fff;border-color:#1a1a1a}s-button[tone=critical]{color:#b42318;border-color:#f5b5ad}
s-button[disabled],s-button[loading],s-tile[disabled]{opacity:.45;cursor:default}s-button:focus-visible,s-tile:focus-visible{outline:2px solid #1f6feb;outline-offset:2px}
s-tile{display:flex;flex-direction:column;justify-content:space-between;min-height:88px;box-sizing:border-box;padding:12px;border-radius:12px;background:#1f2d3d;color:#fff;cursor:pointer;user-select:none}s-tile::before{content:attr(heading);font-weight:650}s-tile::after{content:attr(subheading);opacity:.85;font-size:.92em}`;

const HOST_SCRIPT = `
const data = JSON.parse(document.getElementById('host-data').textContent);
class Pressable extends HTMLElement {
  constructor() {
    super();
    this.addEventListener('click', (event) => { if (this.hasAttribute('disabled') || this.hasAttribute('loading')) event.stopImmediatePropagation(); }, true);
    this.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.click(); } });
  }
  connectedCallback() { this.setAttribute('role', 'button'); this.tabIndex = 0; }
}
customElements.define('s-button', class extends Pressable {});
customElements.define('s-tile', class extends Pressable {
  static observedAttributes = ['heading', 'subheading'];
  attributeChangedCallback() { this.setAttribute('aria-label', [this.getAttribute('heading'), this.getAttribute('subheading')].filter(Boolean).join(': ')); }
});
const fieldType = { 's-text-field': 'text', 's-email-field': 'email', 's-number-field': 'number', 's-search-field': 'search' };
for (const [tag, type] of Object.entries(fieldType)) {
  customElements.define(tag, class extends HTMLElement {
    static observedAttributes = ['label', 'placeholder'];
    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = '<label style="display:flex;flex-direction:column;gap:4px;font-size:.92em"><span></span><input style="font:inherit;font-size:15px;padding:9px 10px;border:1px solid #b5b5b5;border-radius:8px"></label>';
      this.input = root.querySelector('input');
      this.input.type = type;
    }
    attributeChangedCallback(name, _old, value) {
      if (name === 'label') this.shadowRoot.querySelector('span').textContent = value ?? '';
      else this.input.placeholder = value ?? '';
    }
    get value() { return this.input.value; }
    set value(value) { if (this.input.value !== (value ?? '')) this.input.value = value ?? ''; }
  });
}
const signal = (value) => {
  const listeners = new Set();
  return {
    get value() { return value; },
    set(next) { value = next; for (const listener of listeners) listener(next); },
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
};
// The bundle carries the URL it was deployed with; here it talks to the local app.
const deployed = ${JSON.stringify(APP_URL)};
const nativeFetch = window.fetch.bind(window);
window.fetch = (input, init) => nativeFetch(typeof input === 'string' && input.startsWith(deployed) ? data.appUrl + input.slice(deployed.length) : input, init);
const cart = signal(await nativeFetch(data.cartUrl, { cache: 'no-store' }).then((response) => response.json()));
addEventListener('message', (event) => { if (event.origin === location.origin && event.data?.type === 'devstore:pos-cart') cart.set(event.data.cart); });
async function operate(op, args) {
  const response = await nativeFetch(data.cartUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ op, args }) });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message);
  cart.set(body.cart);
  parent.postMessage({ type: 'devstore:pos-cart-changed' }, location.origin);
  return body.result;
}
const operation = (op) => (...args) => operate(op, args);
window.shopify = {
  extension: { target: data.target },
  session: {
    currentSession: { shopDomain: data.shop, userId: data.userId, locationId: 1, currency: data.currency, posVersion: 'devstore', staffMemberId: data.staffMemberId ?? undefined },
    staffMember: signal(data.staffMemberId === null ? undefined : { id: data.staffMemberId }),
    getSessionToken: () => nativeFetch(data.tokenUrl, { cache: 'no-store' }).then((response) => response.json()).then((body) => body.token),
  },
  cart: {
    current: cart,
    ...Object.fromEntries(['addLineItem', 'removeLineItem', 'setCustomer', 'removeCustomer', 'addCartCodeDiscount', 'removeCartDiscount', 'clearCart', 'addCartProperties', 'removeCartProperties'].map((op) => [op, operation(op)])),
  },
  action: { presentModal: () => parent.postMessage({ type: 'devstore:pos-present-modal' }, location.origin) },
  toast: { show: (text) => parent.postMessage({ type: 'devstore:pos-toast', text }, location.origin) },
  ...(data.customerId === null ? {} : { customer: { id: data.customerId } }),
  ...(data.order === null ? {} : { order: { id: data.order.id, name: data.order.name, customerId: data.order.customerId ?? undefined } }),
};
new ResizeObserver(() => parent.postMessage({ type: 'devstore:extension-height', target: data.target, height: document.documentElement.scrollHeight }, location.origin)).observe(document.body);
import('/devstore/pos-extensions/' + data.target + '.js').then((module) => module.default());
`;

function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The frame one POS extension target runs in, as POS gives each extension its own sandbox. */
export function posExtensionHostPage(data: PosHostData): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style>${COMPONENTS_CSS}</style></head>
<body><script type="application/json" id="host-data">${scriptJson(data)}</script><script type="module">${HOST_SCRIPT}</script></body></html>`;
}

/** The POS extension's own modules, one per target as ES modules the frames import (Shopify CLI bundles the same modules into one file). */
export function posExtensionsRouter(): Router {
  return extensionBundleRouter(
    '/devstore/pos-extensions',
    Object.fromEntries(Object.entries(POS_TARGETS).map(([target, file]) => [target, path.join(EXTENSION_DIR, file)])),
  );
}
