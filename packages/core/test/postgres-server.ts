import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Test } from 'tap';

const script = fileURLToPath(new URL('../../../scripts/test-postgres.sh', import.meta.url));
let cluster: string | undefined;

/**
 * The PostgreSQL cluster of this test run: UIG_TEST_DATABASE_URL (CI starts one with
 * scripts/test-postgres.sh), else a private one started here and stopped when the process
 * exits. Fails loudly when PostgreSQL is not installed.
 */
function clusterUrl(): string {
  if (process.env.UIG_TEST_DATABASE_URL) return process.env.UIG_TEST_DATABASE_URL;
  if (cluster) return cluster;
  const [url, folder] = execFileSync(script, ['start'], { encoding: 'utf8' }).trim().split(' ');
  process.on('exit', () => execFileSync(script, ['stop', folder!]));
  cluster = url!;
  return cluster;
}

/** A fresh, empty database on the test cluster, dropped in teardown. */
export async function postgresUrl(t: Test): Promise<string> {
  const base = clusterUrl();
  const name = `uig_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
