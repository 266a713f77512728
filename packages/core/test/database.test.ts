import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { createDatabase, type Database } from '@uig/core';
import { postgresUrl } from './postgres-server.js';

function dataFolder(t: Test): string {
  const folder = mkdtempSync(join(tmpdir(), 'uig-db-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

t.setTimeout(180_000);

for (const backend of ['pglite', 'postgres'] as const) {
  t.test(`${backend}: migrations run once, transactions commit or roll back`, async (t) => {
    const options =
      backend === 'postgres'
        ? { dataDir: dataFolder(t), url: await postgresUrl(t) }
        : { dataDir: dataFolder(t) };
    const first = createDatabase(options);
    t.teardown(() => first.close());
    t.equal(first.kind, backend);
    const applied = await first.query<{ id: number }>('SELECT id FROM uig_migrations ORDER BY id');
    t.same(
      applied.map((row) => row.id),
      [1, 2, 3],
    );
    await first.transaction(async (transaction) => {
      await transaction.query(
        `INSERT INTO budget_charges (id, client, time, usd, expires_at) VALUES ('a', 'c', now(), 1.5, now())`,
      );
    });
    await t.rejects(
      first.transaction(async (transaction) => {
        await transaction.query(
          `INSERT INTO budget_charges (id, client, time, usd, expires_at) VALUES ('b', 'c', now(), 2, now())`,
        );
        throw new Error('changed my mind');
      }),
      { message: 'changed my mind' },
    );
    const rows = await first.query<{ id: string; usd: string }>(
      'SELECT id, usd::text AS usd FROM budget_charges',
    );
    t.same(rows, [{ id: 'a', usd: '1.500000' }]);
    // A second instance on the same database (a restart, another gateway) finds it migrated.
    const second: Database = createDatabase(options);
    t.teardown(() => second.close());
    const again = await second.query<{ count: number }>('SELECT count(*)::int AS count FROM uig_migrations');
    t.same(again, [{ count: 3 }]);
  });
}

t.test(
  'postgres: an unreachable UIG_DATABASE_URL is a 503 database_unavailable naming the setting',
  async (t) => {
    const database = createDatabase({
      dataDir: dataFolder(t),
      url: 'postgres://nobody@127.0.0.1:1/none',
      connectTimeoutMs: 200,
    });
    t.teardown(() => database.close());
    await t.rejects(database.ready(), {
      code: 'DATABASE_UNAVAILABLE',
      status: 503,
      message: /UIG_DATABASE_URL/,
    });
  },
);

const writer = fileURLToPath(new URL('./fixtures/database-writer.ts', import.meta.url));

function startWriter(dataDir: string, name: string, count: number, intervalMs: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=uig-source', '--import', 'tsx', writer, dataDir, name, String(count), String(intervalMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const kill = (child: ChildProcess) => child.exitCode === null && child.kill('SIGKILL');

t.test('pglite: two processes write to one data folder at once, and the survivor takes over', async (t) => {
  const dataDir = dataFolder(t);
  const a = startWriter(dataDir, 'a', 40, 20);
  const b = startWriter(dataDir, 'b', 80, 20);
  t.teardown(() => {
    kill(a.child);
    kill(b.child);
  });
  t.equal(await a.exited, 0, a.output());
  t.equal(await b.exited, 0, b.output());
  // Exactly one of them owned the database while both ran; when the owner finished, the other took over.
  const owners = [a.output(), b.output()].filter((output) => output.startsWith('owner')).length;
  t.equal(owners, 1, 'one owner at a time');
  t.match(a.output() + b.output(), /owner/);
  const database = createDatabase({ dataDir });
  t.teardown(() => database.close());
  const rows = await database.query<{ client: string; count: number }>(
    'SELECT client, count(*)::int AS count FROM budget_charges GROUP BY client ORDER BY client',
  );
  t.same(rows, [
    { client: 'a', count: 40 },
    { client: 'b', count: 80 },
  ]);
});

t.test(
  'pglite: the owner killed with SIGKILL loses nothing it acknowledged; the other process takes over',
  async (t) => {
    const dataDir = dataFolder(t);
    const first = startWriter(dataDir, 'first', 100_000, 10);
    t.teardown(() => kill(first.child));
    await until(() => /row 5\n/.test(first.output()), 'the first writer');
    const second = startWriter(dataDir, 'second', 30, 10);
    t.teardown(() => kill(second.child));
    await until(() => /row 3\n/.test(second.output()), 'the second writer');
    first.child.kill('SIGKILL');
    await first.exited;
    const acknowledged = [...first.output().matchAll(/row (\d+)\n/g)].length;
    t.equal(await second.exited, 0, second.output());
    t.match(second.output(), /owner/, 'the second process became the owner');
    const database = createDatabase({ dataDir });
    t.teardown(() => database.close());
    const rows = await database.query<{ client: string; count: number }>(
      'SELECT client, count(*)::int AS count FROM budget_charges GROUP BY client ORDER BY client',
    );
    t.equal(rows.find((row) => row.client === 'second')?.count, 30);
    t.ok(
      (rows.find((row) => row.client === 'first')?.count ?? 0) >= acknowledged,
      'every acknowledged row kept',
    );
  },
);
