import { Router } from 'express';
import type { Devstore } from './devstore.js';
import { signSessionToken } from './session-token.js';

const DEV_STAFF_ID = '1';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The stand-in for App Bridge inside the app's frame: the `shopify` global with `idToken()`,
 * which asks the admin frame (our parent, as Shopify's admin is) for a fresh session token.
 */
const APP_BRIDGE = `(() => {
  const params = new URLSearchParams(location.search);
  let next = 0;
  const waiting = new Map();
  addEventListener('message', (event) => {
    if (event.source !== parent || !event.data || event.data.type !== 'devstore:id-token') return;
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    if (resolve) resolve(event.data.token);
  });
  window.shopify = {
    config: { shop: params.get('shop'), apiKey: document.querySelector('meta[name=shopify-api-key]')?.content },
    idToken() {
      const id = ++next;
      return new Promise((resolve, reject) => {
        waiting.set(id, resolve);
        parent.postMessage({ type: 'devstore:id-token-request', id }, location.origin);
        setTimeout(() => { if (waiting.delete(id)) reject(new Error('The admin frame did not answer with a session token')); }, 5000);
      });
    },
  };
})();`;

/** Shopify's admin, as far as an embedded app sees it: chrome around an iframe and session tokens on request. */
export function adminFrameRouter(devstore: Devstore): Router {
  const router = Router();
  router.get('/devstore/app-bridge.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-cache').send(APP_BRIDGE);
  });

  router.get('/devstore/shops/:shop/admin/id-token', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).json({ error: 'no such shop' });
    res.set('Cache-Control', 'no-store').json({ token: signSessionToken({ shop: shop.domain, apiKey: devstore.options.apiKey, apiSecret: devstore.options.apiSecret, userId: DEV_STAFF_ID }) });
  });

  router.get('/devstore/shops/:shop/admin', (req, res) => {
    const shop = devstore.shop(String(req.params.shop));
    if (!shop) return void res.status(404).send('No such shop');
    const host = Buffer.from(`admin.shopify.com/store/${shop.domain.replace('.myshopify.com', '')}`).toString('base64url');
    const appSrc = `${devstore.options.appUrl}/?${new URLSearchParams({ shop: shop.domain, host, embedded: '1' }).toString()}`;
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(shop.name)} · Tally · Shopify admin (devstore)</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#ebebeb;display:grid;grid-template-columns:220px 1fr;grid-template-rows:48px 1fr;height:100vh}
header{grid-column:1/3;background:#1a1a1a;color:#fff;display:flex;align-items:center;gap:12px;padding:0 16px;font-size:14px}header a{color:#bbb}
nav{padding:12px;font-size:14px}nav div{padding:6px 10px;border-radius:8px;color:#303030}nav .on{background:#fff;font-weight:600}
iframe{border:0;width:100%;height:100%;background:#f1f1f1}</style></head>
<body><header><strong>${escapeHtml(shop.name)}</strong><span>· devstore admin</span><a href="/devstore/shops/${encodeURIComponent(shop.domain)}/storefront" target="_blank">View online store</a></header>
<nav><div>Home</div><div>Orders</div><div>Customers</div><div>Apps</div><div class="on">Tally Loyalty</div></nav>
<iframe id="app" title="Tally Loyalty" src="${escapeHtml(appSrc)}"></iframe>
<script>
const frame = document.getElementById('app');
addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow || !event.data || event.data.type !== 'devstore:id-token-request') return;
  const answer = await fetch(${JSON.stringify(`/devstore/shops/${shop.domain}/admin/id-token`)}).then((response) => response.json());
  frame.contentWindow.postMessage({ type: 'devstore:id-token', id: event.data.id, token: answer.token }, event.origin);
});
</script></body></html>`);
  });
  return router;
}
