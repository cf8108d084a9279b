import { performance } from 'node:perf_hooks';

export interface LoadResult {
  senders: number;
  requests: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
}

export interface PreparedRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Sends `total` requests from `senders` concurrent loops (closed model: each sender waits for its
 * answer before sending again) and reports latency percentiles and throughput.
 */
export async function runLoad(
  senders: number,
  total: number,
  makeRequest: (index: number) => PreparedRequest,
  isOk: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let index = next++; index < total; index = next++) {
        const request = makeRequest(index);
        const sent = performance.now();
        try {
          const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (isOk(response.status)) ok++;
          else errors++;
        } catch {
          errors++;
          statuses.network = (statuses.network ?? 0) + 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    senders,
    requests: total,
    ok,
    errors,
    statuses,
    seconds: round(seconds, 3),
    throughput: round(total / seconds, 1),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
