import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { DbEngine, ResolvedDatabase } from '../../server/platform/database/resolve.js';

/** The run's shared database server, as a ResolvedDatabase whose lifecycle the run owns. */
export function sharedDatabase(): ResolvedDatabase {
  return {
    engine: inject('dbEngine') as DbEngine,
    uri: inject('mongoUri'),
    source: 'test run',
    stop: async () => {},
    restart: async () => {},
  };
}

/** A database name no other test file uses. */
export function freshDbName(label: string): string {
  return `t_${label.replace(/\W/g, '_').slice(0, 24)}_${randomBytes(4).toString('hex')}`;
}
