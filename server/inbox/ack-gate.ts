/**
 * Acknowledging Shopify comes first. On an engine that serialises writes (FerretDB's SQLite), every
 * write the inbox worker queues delays the inserts that acknowledge webhooks; so while deliveries
 * are being stored, the worker waits (a bounded time) before starting more work. Work already
 * started goes on, and under sustained load the worker still starts something every `maxWaitMs`.
 */
export interface AckGate {
  /** Marks a delivery being stored; call the returned function once it is stored or refused. */
  storing(): () => void;
  /** Resolves when no delivery is being stored, or after `maxWaitMs`. */
  clear(maxWaitMs: number): Promise<void>;
}

export function ackGate(): AckGate {
  let storing = 0;
  const waiting = new Set<() => void>();
  return {
    storing() {
      storing++;
      let finished = false;
      return () => {
        if (finished) return;
        finished = true;
        storing--;
        if (storing === 0) for (const release of [...waiting]) release();
      };
    },
    clear(maxWaitMs) {
      if (storing === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const release = () => {
          clearTimeout(timer);
          waiting.delete(release);
          resolve();
        };
        const timer = setTimeout(release, maxWaitMs);
        waiting.add(release);
      });
    },
  };
}
