/**
 * A fixed-window request counter per key (a customer, an IP), in this process's memory: with
 * several app processes each enforces its own share, which is enough to blunt a script hammering
 * one endpoint without a shared store on the hot path.
 */
export function rateLimiter(limitPerWindow: number, windowMs = 60_000): (key: string, now: number) => boolean {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return (key, now) => {
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    return count <= limitPerWindow;
  };
}
