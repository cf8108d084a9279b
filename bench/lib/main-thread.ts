// The main-thread CPU time of one page load, read from a Chromium trace: thread time (`tdur`, the time
// the thread actually ran), not wall time, so other processes taking the CPU do not count, which is
// what makes the figure steady on a shared machine (Lighthouse's main-thread figures are wall time).

/** A trace event as Chromium writes it: complete events ('X') carry their wall and thread durations in µs. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; beginData?: { url?: string }; data?: { url?: string } };
}

export interface MainThreadTime {
  /** Every task the page's main thread ran, from navigation to the end of the trace. */
  totalMs: number;
  /** The part spent running script (compiling and evaluating files and inline scripts, callbacks, timers, idle callbacks, microtasks). */
  scriptMs: number;
  /** The part spent in scripts from the given files (by URL), compiling, running and whatever style or layout they forced. */
  filesMs: number;
}

/**
 * Trace categories that carry the main thread's tasks and the script events with their URLs; the
 * disabled-by-default ones Lighthouse adds (stacks, invalidations) would load what is measured.
 */
export const MAIN_THREAD_CATEGORIES = ['devtools.timeline', 'v8.execute', 'toplevel'];

/** Events that mean script runs; an inner one is part of the outer one it sits in. */
const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'v8.compile',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'RunMicrotasks',
  'v8.run',
]);

/** The thread time of events, counting an event nested in one already counted once. */
function outermostThreadMs(events: TraceEvent[]): number {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  let coveredUntil = -Infinity;
  let total = 0;
  for (const event of sorted) {
    if (event.ts < coveredUntil) continue;
    total += event.tdur ?? 0;
    coveredUntil = event.ts + (event.dur ?? 0);
  }
  return total / 1000;
}

/**
 * The page's main thread is the renderer thread that parsed `pageUrl`'s document; its top-level
 * tasks are the scheduler's (`ThreadControllerImpl::RunTask`, in the `toplevel` category). `isFile` picks the script files whose time is counted in `filesMs`.
 */
export function mainThreadTime(traceEvents: TraceEvent[], pageUrl: string, isFile: (url: string) => boolean): MainThreadTime {
  const parse = traceEvents.find((event) => event.name === 'ParseHTML' && event.args?.beginData?.url === pageUrl);
  if (!parse) throw new Error(`the trace has no parse of ${pageUrl}`);
  const thread = traceEvents.filter((event) => event.pid === parse.pid && event.tid === parse.tid && event.ph === 'X');
  const tasks = thread.filter((event) => event.name === 'ThreadControllerImpl::RunTask');
  const scripts = thread.filter((event) => SCRIPT_EVENTS.has(event.name));
  return {
    totalMs: outermostThreadMs(tasks),
    scriptMs: outermostThreadMs(scripts),
    filesMs: outermostThreadMs(scripts.filter((event) => isFile(event.args?.data?.url ?? ''))),
  };
}
