import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DevShop } from './state.js';

/** JSON with Maps and Dates kept as such, so shops round-trip exactly. */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Map) return { $map: [...raw.entries()] };
  if (raw instanceof Date) return { $date: raw.toISOString() };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    if ('$map' in value) return new Map((value as { $map: Array<[unknown, unknown]> }).$map);
    if ('$date' in value) return new Date((value as { $date: string }).$date);
  }
  return value;
}

/**
 * Keeps the devstore's shops in DATA_DIR across restarts, as Shopify keeps a store: the app's
 * stored access tokens, customers, products and discount codes stay valid after `npm start`
 * is run again. Written when the state changed, checked every second.
 */
export function persistShops(shops: Map<string, DevShop>, file: string): { flush(): void; stop(): void } {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8'), reviver) as Array<[string, DevShop]>;
    for (const [domain, shop] of saved) shops.set(domain, shop);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let written = '';
  const flush = () => {
    const text = JSON.stringify([...shops.entries()], replacer);
    if (text === written) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    written = text;
  };
  const timer = setInterval(flush, 1_000);
  timer.unref();
  return {
    flush,
    stop: () => {
      clearInterval(timer);
      flush();
    },
  };
}
