import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  ClientAuthenticator,
  createDatabase,
  ManagedClients,
  ManagedClientStore,
  sha256Hex,
  type Database,
} from '@uig/core';
import { pgliteDataFolder } from './pglite-folder.js';
import { postgresUrl } from './postgres-server.js';

t.setTimeout(180_000);

function dataFolder(t: Test): string {
  const folder = mkdtempSync(join(tmpdir(), 'uig-db-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Two connections to one database, as two instances have. */
async function twoDatabases(t: Test, backend: 'pglite' | 'postgres'): Promise<[Database, Database]> {
  const options =
    backend === 'postgres'
      ? { dataDir: dataFolder(t), url: await postgresUrl(t) }
      : { dataDir: await pgliteDataFolder(t) };
  const first = createDatabase(options);
  const second = createDatabase(options);
  t.teardown(async () => {
    await second.close();
    await first.close();
  });
  return [first, second];
}

function instance(t: Test, database: Database, refreshIntervalMs = 60_000) {
  const authenticator = new ClientAuthenticator([
    { name: 'fixed', source: 'config', keyHash: sha256Hex('fixed-key') },
  ]);
  const managed = new ManagedClients({
    store: new ManagedClientStore(database),
    authenticator,
    refreshIntervalMs,
  });
  t.teardown(() => managed.close());
  return { authenticator, managed };
}

for (const backend of ['pglite', 'postgres'] as const) {
  t.test(`${backend}: the store keeps hashes only; another instance follows every change`, async (t) => {
    const [databaseA, databaseB] = await twoDatabases(t, backend);
    const a = instance(t, databaseA);
    const b = instance(t, databaseB);
    await a.managed.start();
    await b.managed.start();

    const { client, key } = await a.managed.create({
      id: 'app',
      name: 'App',
      limits: { rpm: 5 },
      models: ['local/*'],
      promptOptimization: 'translate',
    });
    t.match(key, /^uig_[A-Za-z0-9_-]{43}$/);
    t.match(client, {
      id: 'app',
      name: 'App',
      keyHash: sha256Hex(key),
      limits: { rpm: 5 },
      models: ['local/*'],
    });
    const rows = await databaseA.query('SELECT * FROM managed_clients');
    t.notOk(JSON.stringify(rows).includes(key), 'the key is not in the database');

    t.match(a.authenticator.authenticate(`Bearer ${key}`), {
      name: 'app',
      source: 'managed',
      limits: { rpm: 5 },
      models: ['local/*'],
      promptOptimization: 'translate',
    });
    t.throws(
      () => b.authenticator.authenticate(`Bearer ${key}`),
      { code: 'INVALID_API_KEY' },
      'B has not looked yet',
    );
    await b.managed.refresh();
    t.equal(b.authenticator.authenticate(`Bearer ${key}`)?.name, 'app', 'B knows it after one refresh');

    await a.managed.update('app', { limits: { rpm: null, concurrency: 2 }, models: null });
    await b.managed.refresh();
    const changed = b.authenticator.authenticate(`Bearer ${key}`)!;
    t.same(changed.limits, { concurrency: 2 });
    t.equal(changed.models, undefined, 'every model again');

    t.equal(await a.managed.update('nobody', { name: 'x' }), undefined);
    t.equal(await a.managed.revoke('nobody'), undefined);
    await t.rejects(a.managed.create({ id: 'app', name: 'again', limits: {} }), {
      code: 'CLIENT_EXISTS',
      status: 409,
    });

    t.ok(await a.managed.revoke('app'));
    await b.managed.refresh();
    t.throws(() => b.authenticator.authenticate(`Bearer ${key}`), { code: 'INVALID_API_KEY' });
    t.equal(b.authenticator.clientNamed('app'), undefined);
    t.same(await b.managed.list(), []);

    // A third instance starting now learns only what is in force.
    const c = instance(t, databaseB);
    const again = await a.managed.create({ id: 'app', name: 'reborn', limits: {} });
    const resuming = instance(t, databaseA);
    t.equal(
      (await resuming.managed.clientNamed('app'))?.keyHash,
      sha256Hex(again.key),
      'a job resumed by a process that never read the keys finds its managed client',
    );
    await c.managed.start();
    t.equal(c.authenticator.authenticate(`Bearer ${again.key}`)?.name, 'app');
    t.throws(() => c.authenticator.authenticate(`Bearer ${key}`), { code: 'INVALID_API_KEY' });
    t.equal(c.authenticator.authenticate('Bearer fixed-key')?.name, 'fixed');
  });

  t.test(`${backend}: concurrent writers on two instances; a polling instance misses nothing`, async (t) => {
    const [databaseA, databaseB] = await twoDatabases(t, backend);
    const a = instance(t, databaseA);
    const b = instance(t, databaseB);
    const watcher = instance(t, databaseB, 20);
    await Promise.all([a.managed.start(), b.managed.start(), watcher.managed.start()]);
    const keys = new Map<string, string>();
    await Promise.all(
      Array.from({ length: 24 }, async (_, index) => {
        const writer = index % 2 ? a : b;
        const { key } = await writer.managed.create({ id: `c${index}`, name: `c${index}`, limits: {} });
        keys.set(`c${index}`, key);
        if (index % 3 === 0) await (index % 2 ? b : a).managed.revoke(`c${index}`);
        else await writer.managed.update(`c${index}`, { limits: { rpm: index + 1 } });
      }),
    );
    await watcher.managed.refresh();
    for (const [id, key] of keys) {
      const index = Number(id.slice(1));
      if (index % 3 === 0)
        t.throws(
          () => watcher.authenticator.authenticate(`Bearer ${key}`),
          { code: 'INVALID_API_KEY' },
          `${id} revoked`,
        );
      else
        t.equal(watcher.authenticator.authenticate(`Bearer ${key}`)?.limits?.rpm, index + 1, `${id} changed`);
    }
  });

  t.test(`${backend}: the refresh timer picks changes up without being asked`, async (t) => {
    const [databaseA, databaseB] = await twoDatabases(t, backend);
    const a = instance(t, databaseA);
    const b = instance(t, databaseB, 50);
    await a.managed.start();
    await b.managed.start();
    const { key } = await a.managed.create({ id: 'timed', name: 'timed', limits: {} });
    const started = Date.now();
    while (!b.authenticator.clientNamed('timed') && Date.now() - started < 5000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    t.equal(b.authenticator.authenticate(`Bearer ${key}`)?.name, 'timed');
  });
}
