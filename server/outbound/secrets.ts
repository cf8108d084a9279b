import type { AppContext } from '../platform/context.js';
import { tokenCipherFor } from '../shops/index.js';
import { outboundEndpointModel, type OutboundEndpoint } from './store.js';

/** What a sealed secret is bound to: its shop and endpoint, so a sealed secret copied onto another endpoint does not open. */
const boundTo = (endpoint: Pick<OutboundEndpoint, '_id' | 'shop'>) => `${endpoint.shop}|outbound-endpoint|${endpoint._id}`;

/** Seals an endpoint's signing secret with the access tokens' cipher (AES-256-GCM under TOKEN_ENCRYPTION_KEY). */
export function sealSecret(ctx: AppContext, endpoint: Pick<OutboundEndpoint, '_id' | 'shop'>, secret: string): string {
  return tokenCipherFor(ctx.config).seal(boundTo(endpoint), secret);
}

/**
 * The endpoint's secret, to sign a delivery. A secret stored plain (before sealing) or sealed with
 * an older key is sealed again with the current key, and the plain field removed.
 */
export async function signingSecret(ctx: AppContext, endpoint: OutboundEndpoint): Promise<string> {
  const cipher = tokenCipherFor(ctx.config);
  const opened = endpoint.sealedSecret ? cipher.open(boundTo(endpoint), endpoint.sealedSecret) : undefined;
  const secret = opened?.token ?? endpoint.secret;
  if (secret === undefined) throw new Error(`endpoint ${endpoint._id} of ${endpoint.shop} has no signing secret`);
  if (!opened || opened.stale)
    await outboundEndpointModel(ctx.connection).updateOne(
      { _id: endpoint._id, shop: endpoint.shop },
      { $set: { sealedSecret: sealSecret(ctx, endpoint, secret) }, $unset: { secret: 1 } },
    );
  return secret;
}
