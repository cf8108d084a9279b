import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postgresTemplateDir } from '../../server/platform/database/ferretdb.js';
import { resolveDatabase, type ResolvedDatabase } from '../../server/platform/database/resolve.js';

/**
 * A temporary DATA_DIR. It is opened to others (0755) because the embedded PostgreSQL refuses
 * root and runs as an unprivileged user, which must reach the data directory inside it.
 */
export async function temporaryDataDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `tally-${label}-`));
  await chmod(dir, 0o755);
  return dir;
}

/**
 * A database server of the test's own, found by the same resolver as `npm start`. The embedded
 * engine starts from a template data directory (no initdb per server) with fsync off: a test's
 * data need not survive a power cut, and a crash of the server process is still recovered from WAL.
 */
export function startOwnDatabase(dataDir: string, log: (message: string) => void = () => {}): Promise<ResolvedDatabase> {
  return resolveDatabase({
    mongodbUri: process.env.MONGODB_URI,
    dataDir,
    env: process.env,
    log,
    embedded: { template: postgresTemplateDir(), fsync: false },
  });
}
