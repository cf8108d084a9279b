import { rm } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTally, type RunningApp } from '../../server/boot.js';
import { loadConfig } from '../../server/platform/config.js';
import type { ResolvedDatabase } from '../../server/platform/database/resolve.js';
import { createLogger } from '../../server/platform/logger.js';
import { startOwnDatabase, temporaryDataDir } from '../support/own-database.js';

async function waitForStatus(url: string, status: number): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url);
    if (response.status === status || attempt >= 100) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('GET /healthz', () => {
  let dataDir: string;
  let database: ResolvedDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    // This file stops its database, so it runs its own server rather than the run's shared one.
    dataDir = await temporaryDataDir('health');
    database = await startOwnDatabase(dataDir);
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
    app = await bootTally({ config, logger: createLogger('silent'), database, dbName: 'health' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 200 with the engine, the version the server itself reports and, embedded, the PostgreSQL it stores in', async () => {
    const client = await MongoClient.connect(database.uri);
    const buildInfo = await client.db('admin').command({ buildInfo: 1 });
    await client.close();

    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    const storage = database.engine === 'ferretdb' ? { storage: expect.stringMatching(/^PostgreSQL 16\.\d+$/) } : {};
    expect(await response.json()).toEqual({
      status: 'ok',
      db: { engine: database.engine, version: String(buildInfo.version), ...storage },
    });
  });

  it.skipIf(process.env.MONGODB_URI)('answers 503 while the database is down and 200 again once it is back, without a restart', async () => {
    await database.stop();
    const down = await waitForStatus(`${app.url}/healthz`, 503);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable' });

    await database.restart();
    const up = await waitForStatus(`${app.url}/healthz`, 200);
    expect(up.status).toBe(200);
  });
});
