import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { createDatabase, type Database } from '@uig/core';
import { postgresUrl } from './postgres-server.js';

/** The two stores every SQL test runs against. */
export const backends = ['pglite', 'postgres'] as const;

/** An empty temporary data folder, removed in teardown. */
export function dataFolder(t: Test): string {
  const folder = mkdtempSync(join(tmpdir(), 'uig-db-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A fresh, migrated database of the backend (PGlite in a new data folder, or a new PostgreSQL database), closed in teardown. */
export async function freshDatabase(t: Test, backend: (typeof backends)[number]): Promise<Database> {
  const database = createDatabase(
    backend === 'postgres'
      ? { dataDir: dataFolder(t), url: await postgresUrl(t) }
      : { dataDir: dataFolder(t) },
  );
  t.teardown(() => database.close());
  await database.ready();
  return database;
}
