import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a TypeScript entry point in its own Node process (so the load generator never shares its
 * event loop) and waits for the JSON log line that carries the URL it listens on.
 */
export async function startServerProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  urlFromLine: (line: string) => string | undefined,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const found = urlFromLine(line);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before listening`)));
  });
  return {
    child,
    url,
    pid: child.pid!,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** The app's start-up log line is JSON with `open: [url/devstore, url/healthz]`. */
export function appUrlFromLog(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; open?: string[] };
    if (entry.msg?.startsWith('Tally listening') && entry.open?.[0]) return new URL(entry.open[0]).origin;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Resident set size of a process in MB, read from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}
