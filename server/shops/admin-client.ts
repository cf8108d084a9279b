import type { AppContext } from '../platform/context.js';
import { offlineAccessToken } from './store.js';
import { adminGraphqlClient, type AdminGraphql } from '../shopify/admin-graphql.js';

const clients = new WeakMap<AppContext, AdminGraphql>();

/** One Admin GraphQL client per app process, so every shop's throttle bucket is tracked once. */
export function adminClientFor(ctx: AppContext): AdminGraphql {
  let client = clients.get(ctx);
  if (!client) {
    client = adminGraphqlClient({ config: ctx.config, accessToken: (shop) => offlineAccessToken(ctx, shop) });
    clients.set(ctx, client);
  }
  return client;
}
