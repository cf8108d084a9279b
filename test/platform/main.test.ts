import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../support/own-database.js';

interface Started {
  child: ChildProcess;
  url: string;
  dbUri: string;
}

/** Runs `server/main.ts` as `npm start` does and waits for its start-up log line. */
async function startMain(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, MONGODB_URI: '', NODE_ENV: '', npm_lifecycle_event: 'start' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg: string; db?: { uri: string }; open?: string[] };
    if (entry.msg.startsWith('Tally listening') && entry.db && entry.open) {
      return { child, url: entry.open[0]!.replace('/devstore', ''), dbUri: entry.db.uri };
    }
  }
  throw new Error('server/main.ts exited before it was listening');
}

function pidsMatching(text: string): Promise<string[]> {
  return new Promise((resolve) => {
    const ps = spawn('pgrep', ['-f', text]);
    let out = '';
    ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ps.on('close', () => resolve(out.split('\n').filter(Boolean)));
  });
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

// Each test is a first npm start: initdb with fsync on, then every collection's indexes.
describe.skipIf(process.env.MONGODB_URI)('server/main.ts', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('shuts down on SIGTERM and leaves no database process behind', { timeout: 120_000 }, async () => {
    const dataDir = await temporaryDataDir('main');
    dirs.push(dataDir);
    const started = await startMain(dataDir);
    // On a loaded machine the first ping of a just-created PostgreSQL can miss /healthz's 1 s limit.
    expect(await eventually(async () => (await fetch(`${started.url}/healthz`)).status === 200)).toBe(true);
    expect(await pidsMatching(dataDir)).not.toEqual([]);

    const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
    started.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await eventually(async () => (await pidsMatching(dataDir)).length === 0)).toBe(true);
  });

  it('leaves no database process behind when the app is killed with SIGKILL', { timeout: 120_000 }, async () => {
    const dataDir = await temporaryDataDir('main');
    dirs.push(dataDir);
    const started = await startMain(dataDir);
    started.child.kill('SIGKILL');
    expect(await eventually(async () => (await pidsMatching(dataDir)).length === 0)).toBe(true);
  });
});
