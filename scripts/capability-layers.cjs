// The layers of server/ (docs/architecture.md), bottom up. A capability imports only capabilities of
// lower layers, and the ones of its own layer named in BESIDE (which must stay acyclic).
// .dependency-cruiser.cjs turns this into rules; scripts/capability-graph.ts reports against it.
const LAYERS = [
  ['platform'],
  ['shopify'],
  ['ledger', 'program', 'shops', 'inbox', 'customers'],
  ['earning', 'redemption'],
  ['tiers', 'engagement', 'referrals', 'analytics', 'accounting', 'outbound', 'groups', 'imports'],
  ['storefront', 'headless', 'compliance', 'admin', 'admin-ui', 'pos'],
  // server/*.ts: boot.ts (the one place that wires capabilities together), main.ts
  ['(root)'],
];

/** Imports allowed between two capabilities of one layer: importer -> what it may import. */
const BESIDE = {
  customers: ['shops'],
  inbox: ['shops'],
  // The hold and reward effects of an order subscribe to earning's events (types only).
  redemption: ['earning'],
  analytics: ['accounting'],
  referrals: ['engagement'],
  outbound: ['tiers', 'engagement'],
  imports: ['tiers'],
  admin: ['compliance', 'storefront'],
  // The register shows the customer the shopper's own view (balance, tier, codes).
  pos: ['storefront'],
  // The OpenAPI document is derived from the request schemas of the admin views and the storefront.
  headless: ['admin', 'storefront', 'pos'],
};

module.exports = { LAYERS, BESIDE };
