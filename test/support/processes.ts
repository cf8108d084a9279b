import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface AppProcess {
  child: ChildProcess;
  url: string;
}

/** `server/main.ts` as its own process on a shared database, as a deployment runs several. */
export async function startAppProcess(uri: string): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    // Each process keeps its local state (the devstore's shops) in a temporary DATA_DIR, not the checkout's.
    env: {
      ...process.env,
      PORT: '0',
      MONGODB_URI: uri,
      LOG_LEVEL: 'info',
      NODE_ENV: '',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'tally-process-')),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { msg?: string; open?: string[] };
    if (entry.msg?.startsWith('Tally listening') && entry.open?.[0]) {
      child.stdout!.resume();
      return { child, url: new URL(entry.open[0]).origin };
    }
  }
  throw new Error('app process exited before listening');
}

export function stopAppProcess({ child }: AppProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
