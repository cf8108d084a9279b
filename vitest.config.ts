import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Two test files at a time: a file keeps about one core busy between itself, the database and
    // Chromium, and vitest's default on two cores is a single worker. Workers are reused across
    // files (no isolation): the server's modules and their dependencies load once per worker, not
    // once per file. Each file still works in a database of its own (test/support/database.ts).
    maxWorkers: 2,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
