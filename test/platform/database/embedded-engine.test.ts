import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureLauncherBuilt,
  postgresTemplateDir,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '../../../server/platform/database/ferretdb.js';
import { sharedDatabase } from '../../support/database.js';
import { temporaryDataDir } from '../../support/own-database.js';

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean | Promise<boolean>, attempts = 200): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

async function countIn(uri: string): Promise<number> {
  const client = await MongoClient.connect(uri);
  try {
    return await client.db('engine').collection('survivors').countDocuments({ shop: 'crash.myshopify.com' });
  } finally {
    await client.close();
  }
}

describe.runIf(sharedDatabase().engine === 'ferretdb')('the embedded engine: FerretDB on PostgreSQL, started by the launcher', () => {
  let binary: string;
  const dirs: string[] = [];
  const started: EmbeddedDatabase[] = [];
  const options = { template: postgresTemplateDir(), fsync: false };

  async function start(dataDir: string): Promise<EmbeddedDatabase> {
    const database = await startEmbeddedDatabase(binary, dataDir, options);
    started.push(database);
    return database;
  }

  beforeAll(async () => {
    binary = (await ensureLauncherBuilt()).binary;
  });
  afterAll(async () => {
    await Promise.all(started.map((database) => database.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('runs PostgreSQL 16 as an unprivileged user that owns the data directory', async () => {
    const dir = await temporaryDataDir('engine');
    dirs.push(dir);
    const dataDir = path.join(dir, 'postgres');
    const database = await start(dataDir);
    expect(database.postgresVersion).toMatch(/^16\.\d+$/);
    const owner = (await stat(dataDir)).uid;
    if (process.getuid?.() === 0) {
      expect(database.postgresUser).toBe('nobody');
      expect(owner).not.toBe(0);
    } else {
      expect(owner).toBe(process.getuid?.());
    }
    const status = await readFile(`/proc/${await postmasterPid(dataDir)}/status`, 'utf8');
    expect(status).not.toMatch(/^Uid:\s+0\s/m);
  });

  it('comes back with its data when the launcher and PostgreSQL are killed with SIGKILL and it is restarted at once', async () => {
    const dir = await temporaryDataDir('engine');
    dirs.push(dir);
    const dataDir = path.join(dir, 'postgres');
    const first = await start(dataDir);
    const client = await MongoClient.connect(first.uri);
    await client
      .db('engine')
      .collection('survivors')
      .insertMany(Array.from({ length: 500 }, (_, index) => ({ shop: 'crash.myshopify.com', index })));
    await client.close();

    const postmaster = await postmasterPid(dataDir);
    process.kill(first.pid, 'SIGKILL');
    process.kill(postmaster, 'SIGKILL');
    // postmaster.pid is still there and the killed server's backends may still hold its shared memory.
    const second = await start(dataDir);
    expect(await countIn(second.uri)).toBe(500);
  });

  it('stops PostgreSQL when the launcher dies, even by SIGKILL', async () => {
    const dir = await temporaryDataDir('engine');
    dirs.push(dir);
    const dataDir = path.join(dir, 'postgres');
    const database = await start(dataDir);
    const postmaster = await postmasterPid(dataDir);
    expect(running(postmaster)).toBe(true);
    process.kill(database.pid, 'SIGKILL');
    expect(await until(() => !running(postmaster))).toBe(true);
  });

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    'runs PostgreSQL in a user namespace, not as root, when the unprivileged user cannot reach the data directory',
    async () => {
      const hidden = await mkdtemp(path.join(tmpdir(), 'tally-hidden-'));
      dirs.push(hidden);
      await chmod(hidden, 0o700);
      const dataDir = path.join(hidden, 'data', 'postgres');
      const database = await start(dataDir);
      expect(database.postgresUser).toContain('user namespace');
      const status = await readFile(`/proc/${await postmasterPid(dataDir)}/status`, 'utf8');
      // Seen from inside its namespace PostgreSQL is uid 1000, never 0; its files stay root's on disk.
      expect(status).toMatch(/^Uid:\s+0\s/m);
      expect(await countIn(database.uri)).toBe(0);
    },
  );
});
