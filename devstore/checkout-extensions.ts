import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { APP_URL } from '../extensions/tally-checkout/src/loyalty.js';
import { extensionBundleRouter } from './extension-bundles.js';

const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../extensions/tally-checkout/src');

/** The targets Tally's checkout UI extension declares (shopify.extension.toml), by their module. */
export const CHECKOUT_TARGETS = {
  'purchase.checkout.block.render': 'Checkout.tsx',
  'purchase.thank-you.block.render': 'ThankYou.tsx',
} as const;
export type CheckoutTarget = keyof typeof CHECKOUT_TARGETS;

export function isCheckoutTarget(target: string): target is CheckoutTarget {
  return Object.hasOwn(CHECKOUT_TARGETS, target);
}

/** What the host page tells the extension about this checkout: Shopify's `shopify` global, in data. */
export interface HostData {
  target: CheckoutTarget;
  /** Where the host gets a checkout session token, and sends a discount code change. */
  tokenUrl: string;
  discountUrl: string;
  attributes: Array<{ key: string; value: string }>;
  canUpdateDiscountCodes: boolean;
  /** The codes applied to this checkout (Shopify's `discountCodes`). */
  discountCodes: string[];
  orderId: number | null;
  appUrl: string;
}

/**
 * Shopify's checkout components as the devstore draws them: Polaris web components reduced to
 * the few the extension uses (s-stack, s-heading, s-text, s-banner, s-button), styled like
 * checkout. An s-button is a keyboard-reachable button that ignores clicks while disabled or loading.
 */
const COMPONENTS_CSS = `body{margin:0;font:15px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;background:transparent}
s-stack{display:flex;flex-direction:column;gap:12px}s-stack[direction=inline]{flex-direction:row;flex-wrap:wrap;align-items:center;justify-content:space-between}
s-heading{display:block;font-weight:600;font-size:1.05em}s-text{display:inline}
s-banner{display:block;padding:10px 12px;border-radius:8px;background:#eaf4ff;border:1px solid #b6d4fe}s-banner[tone=success]{background:#e9f7ef;border-color:#a6dcb8}s-banner[tone=critical]{background:#fdecea;border-color:#f5b5ad}
s-button{display:inline-block;background:#1a1a1a;color:#fff;border-radius:6px;padding:8px 14px;cursor:pointer;user-select:none}s-button[disabled],s-button[loading]{opacity:.45;cursor:default}s-button:focus-visible{outline:2px solid #1f6feb;outline-offset:2px}`;

const HOST_SCRIPT = `
class SButton extends HTMLElement {
  constructor() {
    super();
    this.addEventListener('click', (event) => { if (this.hasAttribute('disabled') || this.hasAttribute('loading')) event.stopImmediatePropagation(); }, true);
    this.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.click(); } });
  }
  connectedCallback() { this.setAttribute('role', 'button'); this.tabIndex = 0; }
}
customElements.define('s-button', SButton);
const data = JSON.parse(document.getElementById('host-data').textContent);
const signal = (value) => ({ value, subscribe() { return () => {}; } });
// The bundle carries the URL it was deployed with; here it talks to the local app.
const deployed = ${JSON.stringify(APP_URL)};
const nativeFetch = window.fetch.bind(window);
window.fetch = (input, init) => nativeFetch(typeof input === 'string' && input.startsWith(deployed) ? data.appUrl + input.slice(deployed.length) : input, init);
window.shopify = {
  extension: { target: data.target },
  sessionToken: { get: () => nativeFetch(data.tokenUrl, { cache: 'no-store' }).then((response) => response.json()).then((body) => body.token) },
  instructions: signal({ discounts: { canUpdateDiscountCodes: data.canUpdateDiscountCodes } }),
  attributes: signal(data.attributes),
  discountCodes: signal(data.discountCodes.map((code) => ({ code }))),
  orderConfirmation: signal({ order: { id: data.orderId === null ? undefined : 'gid://shopify/OrderIdentity/' + data.orderId } }),
  async applyDiscountCodeChange(change) {
    const response = await nativeFetch(data.discountUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: change.code }) });
    const body = await response.json();
    if (!response.ok) return { type: 'error', message: body.message };
    window.shopify.discountCodes.value = [{ code: body.code }];
    parent.postMessage({ type: 'devstore:checkout-changed' }, location.origin);
    return { type: 'success' };
  },
};
new ResizeObserver(() => parent.postMessage({ type: 'devstore:extension-height', target: data.target, height: document.documentElement.scrollHeight }, location.origin)).observe(document.body);
import('/devstore/checkout-extensions/' + data.target + '.js').then((module) => module.default());
`;

function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The frame one extension target runs in, as Shopify's checkout gives each extension its own sandbox. */
export function extensionHostPage(data: HostData): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style>${COMPONENTS_CSS}</style></head>
<body><script type="application/json" id="host-data">${scriptJson(data)}</script><script type="module">${HOST_SCRIPT}</script></body></html>`;
}

/** The checkout extension's own modules, bundled as Shopify CLI builds them. */
export function checkoutExtensionsRouter(): Router {
  return extensionBundleRouter(
    '/devstore/checkout-extensions',
    Object.fromEntries(Object.entries(CHECKOUT_TARGETS).map(([target, file]) => [target, path.join(EXTENSION_DIR, file)])),
  );
}
