import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDbName, sharedDatabase } from '../support/database.js';

const ROOT = path.resolve('.');

/**
 * A scratch checkout to run `npm start` in: the sources linked, `web/` copied with the admin the
 * test run built and its times, so `npm start` finds its build current and does not build again
 * (and, if it ever did, would write its own `web/dist`, not the one the other test files serve).
 */
function scratchCheckout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-npm-start-'));
  for (const entry of readdirSync(ROOT)) {
    if (entry === 'web' || entry.startsWith('.')) continue;
    symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  cpSync(path.join(ROOT, 'web'), path.join(dir, 'web'), { recursive: true, preserveTimestamps: true });
  return dir;
}

interface Started {
  npm: ChildProcess;
  url: string;
  lines: string[];
}

/** `npm start` as a person types it, in its own process group, until the app logs that it listens. */
async function npmStart(dir: string): Promise<Started> {
  const uri = new URL(sharedDatabase().uri);
  uri.pathname = `/${freshDbName('npm-start')}`;
  const npm = spawn('npm', ['start'], {
    cwd: dir,
    detached: true,
    env: { ...process.env, PORT: '0', MONGODB_URI: uri.toString(), DATA_DIR: path.join(dir, '.data'), NODE_ENV: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stderr!.resume();
  const lines: string[] = [];
  for await (const line of createInterface({ input: npm.stdout! })) {
    lines.push(line);
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; open?: string[] };
    if (entry.msg?.startsWith('Tally listening') && entry.open?.[0]) {
      createInterface({ input: npm.stdout! }).on('line', (more) => lines.push(more));
      return { npm, url: new URL(entry.open[0]).origin, lines };
    }
  }
  throw new Error(`npm start exited before the app listened:\n${lines.join('\n')}`);
}

/** Whether any process is left in the group `npm start` led. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls /healthz (bounded) until the app reports ready: right after it listens, a loaded machine may still answer 503. */
async function healthStatus(url: string): Promise<number> {
  let status = 0;
  for (let wait = 0; wait < 300 && status !== 200; wait++) {
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await fetch(`${url}/healthz`)).status;
  }
  return status;
}

/** Waits (bounded) for every process of the group to be gone. */
async function groupGone(pgid: number): Promise<boolean> {
  for (let wait = 0; wait < 600 && groupAlive(pgid); wait++) await new Promise((resolve) => setTimeout(resolve, 100));
  return !groupAlive(pgid);
}

/** Issue 23, finding 7: signalling the `npm start` process stops the server under it. */
describe('npm start and signals', () => {
  const leftovers: Array<{ pgid: number; dir: string }> = [];
  afterEach(() => {
    for (const { pgid, dir } of leftovers.splice(0)) {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the server, gracefully, when the npm process gets SIGTERM', async () => {
    const dir = scratchCheckout();
    const started = await npmStart(dir);
    leftovers.push({ pgid: started.npm.pid!, dir });
    expect(await healthStatus(started.url)).toBe(200);

    const npmExited = new Promise<void>((resolve) => started.npm.once('exit', () => resolve()));
    process.kill(started.npm.pid!, 'SIGTERM');
    await npmExited;
    expect(await groupGone(started.npm.pid!)).toBe(true);
    expect(started.lines.map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string }).msg : undefined))).toContain('stopped');
    await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
  }, 120_000);

  it('stops the server when npm is killed outright (SIGKILL), leaving the launcher orphaned', async () => {
    const dir = scratchCheckout();
    const started = await npmStart(dir);
    leftovers.push({ pgid: started.npm.pid!, dir });
    process.kill(started.npm.pid!, 'SIGKILL');
    expect(await groupGone(started.npm.pid!)).toBe(true);
  }, 120_000);
});
