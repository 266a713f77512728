import type pg from 'pg';
import { type Migration, migrations } from './migrations.js';

/** Any constant: the advisory lock that makes concurrent instances migrate one at a time. */
const migrationLock = 7_317_001;

/**
 * Applies the migrations this database has not run, in order, in one transaction under an
 * advisory lock: several instances starting together on one PostgreSQL migrate once.
 */
export async function migrate(
  client: pg.PoolClient,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS uig_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ id: number }>('SELECT id FROM uig_migrations');
    const done = new Set(rows.map((row) => row.id));
    const applied: number[] = [];
    for (const migration of [...list].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO uig_migrations (id, name) VALUES ($1, $2)', [
        migration.id,
        migration.name,
      ]);
      applied.push(migration.id);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
