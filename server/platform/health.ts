import { Router } from 'express';
import type { Connection } from 'mongoose';
import { pingDatabase, type DatabaseInfo } from './database/connection.js';

/** GET /healthz: 200 with the engine, the server's own version and (embedded) its storage while the database answers. */
export function healthRouter(connection: Connection, dbInfo: DatabaseInfo): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const up = await pingDatabase(connection);
    res.set('Cache-Control', 'no-store');
    if (up) {
      res.json({ status: 'ok', db: { engine: dbInfo.engine, version: dbInfo.version, ...(dbInfo.storage ? { storage: dbInfo.storage } : {}) } });
    } else {
      res.status(503).json({ status: 'unavailable', db: { engine: dbInfo.engine, error: 'the database does not answer' } });
    }
  });
  return router;
}
