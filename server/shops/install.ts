import type { AppContext } from '../platform/context.js';
import { hasOfflineToken, saveInstall } from './store.js';
import { adminGraphqlClient } from '../shopify/admin-graphql.js';
import { SHOP_QUERY, type ShopQueryData } from '../shopify/operations.js';
import { exchangeForOfflineToken } from '../shopify/token-exchange.js';

export interface InstalledShop {
  shop: string;
  currency: string;
}

/** Work a new install needs beyond the session, e.g. the shop's default program. Idempotent. */
export type InstallHook = (ctx: AppContext, installed: InstalledShop, now: Date) => Promise<void>;

/**
 * Installs a shop on its first valid session token: token exchange for an offline token, the
 * shop's details from Admin GraphQL, the session stored, then the install hooks. Safe to repeat
 * (a reinstall after app/uninstalled runs the same path) and deduplicated within a process.
 */
export function shopInstaller(ctx: AppContext, hooks: InstallHook[]): (shop: string, sessionToken: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();

  async function install(shop: string, sessionToken: string): Promise<void> {
    const token = await exchangeForOfflineToken(ctx.config, shop, sessionToken);
    const graphql = adminGraphqlClient({ config: ctx.config, accessToken: async () => token.accessToken });
    const { shop: details } = await graphql<ShopQueryData>(shop, SHOP_QUERY, {}, 2);
    const now = ctx.clock();
    await saveInstall(
      ctx,
      shop,
      token,
      {
        shopId: details.id.replace('gid://shopify/Shop/', ''),
        name: details.name,
        currency: details.currencyCode,
        timezone: details.ianaTimezone,
        shopifyPlus: details.plan.shopifyPlus,
      },
      now,
    );
    for (const hook of hooks) await hook(ctx, { shop, currency: details.currencyCode }, now);
    ctx.logger.info({ shop }, 'shop installed');
  }

  return async (shop, sessionToken) => {
    const installed = await hasOfflineToken(ctx, shop);
    // The token is stored before the hooks run: a request that sees it while this process is still
    // installing waits for the install to finish (the shop's program does not exist before).
    let pending = running.get(shop);
    if (!pending) {
      if (installed) return;
      pending = install(shop, sessionToken).finally(() => running.delete(shop));
      running.set(shop, pending);
    }
    await pending;
  };
}
