import type { Test } from 'tap';
import { pgliteDataFolder } from '../../../packages/core/test/pglite-folder.js';
import { postgresUrl } from '../../../packages/core/test/postgres-server.js';

/**
 * The two SQL backends a gateway test runs on, as env: PGlite in a fresh data folder (a
 * copy of an initialised database, so the test does not wait for PGlite's initdb), and a
 * fresh database on the test run's PostgreSQL cluster (UIG_TEST_DATABASE_URL, else one
 * started for this process).
 */
export interface DatabaseBackend {
  name: 'pglite' | 'postgres';
  env(t: Test): Promise<Record<string, string>>;
}

export const databaseBackends: DatabaseBackend[] = [
  { name: 'pglite', env: async (t) => ({ UIG_DATA_DIR: await pgliteDataFolder(t) }) },
  { name: 'postgres', env: async (t) => ({ UIG_DATABASE_URL: await postgresUrl(t) }) },
];

export const pglite = databaseBackends[0]!;
