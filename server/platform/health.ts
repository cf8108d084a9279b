import { Router } from 'express';
import type { Connection } from 'mongoose';
import { pingDatabase, type DatabaseInfo } from './database/connection.js';
import { engineNotice } from './engine-notice.js';

/** GET /healthz: 200 with the engine and the server's own version while the database answers. */
export function healthRouter(connection: Connection, dbInfo: DatabaseInfo): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const up = await pingDatabase(connection);
    res.set('Cache-Control', 'no-store');
    // A header, so the body keeps the contract's exact shape.
    const notice = engineNotice(dbInfo);
    if (notice) res.set('X-Tally-Database-Notice', notice);
    if (up) {
      res.json({ status: 'ok', db: { engine: dbInfo.engine, version: dbInfo.version } });
    } else {
      res.status(503).json({ status: 'unavailable', db: { engine: dbInfo.engine, error: 'the database does not answer' } });
    }
  });
  return router;
}
