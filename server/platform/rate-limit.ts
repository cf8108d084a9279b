import type { IncomingMessage } from 'node:http';
import type { Config } from './config.js';

export type RateLimiter = (key: string, now: number) => boolean;

/**
 * A sliding-window request counter per key (a customer, an IP, a shop's guests), in this
 * process's memory: the current window's count plus the previous window's, weighted by how much
 * of it still overlaps the last `windowMs`. A fixed window let a client spend its allowance at
 * the end of one window and again at the start of the next. With several app processes each
 * enforces its own share, which is enough to blunt a script without a shared store on the hot path.
 */
export function rateLimiter(limitPerWindow: number, windowMs = 60_000): RateLimiter {
  let currentStart = 0;
  let current = new Map<string, number>();
  let previous = new Map<string, number>();
  return (key, now) => {
    const start = now - (now % windowMs);
    if (start !== currentStart) {
      // Forgetting every key older than one window keeps the memory bounded by recent clients.
      previous = start - currentStart === windowMs ? current : new Map();
      current = new Map();
      currentStart = start;
    }
    const overlap = 1 - (now - start) / windowMs;
    const count = current.get(key) ?? 0;
    if ((previous.get(key) ?? 0) * overlap + count + 1 > limitPerWindow) return false;
    current.set(key, count + 1);
    return true;
  };
}

/**
 * How many proxies of the operator's own (load balancers) stand in front of the app:
 * TRUST_PROXY_HOPS, 0 when unset. Their X-Forwarded-For entries are believed, no others.
 */
export function trustedProxyHops(config: Config): number {
  return config.trustProxyHops;
}

/**
 * The client's address, `hops` proxies away from this process: the peer of the socket when
 * `hops` is 0, else the address the outermost trusted proxy appended to X-Forwarded-For.
 * Entries further left are the client's own to write, so they are never read.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  const chain = [req.socket.remoteAddress ?? 'unknown', ...forwarded.reverse()];
  return chain[Math.min(hops, chain.length - 1)]!;
}
