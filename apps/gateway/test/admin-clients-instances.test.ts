import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseBackends } from './database-backends.js';
import { startGatewayProcess } from './gateway-process.js';

/**
 * Two gateway processes on one database: a key created, changed or revoked through one
 * is in force on the other within 10 s (docs/accounting.md#admin-api). PGlite runs with
 * the default refresh interval (2 s), so the default is what is measured there; the
 * PostgreSQL run uses 250 ms.
 */
t.setTimeout(300_000);

const adminKey = 'admin-key-0123456789abcdef';
const limit = 10_000;

async function until(check: () => Promise<boolean>, giveUpMs = limit + 5000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > giveUpMs) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

const generate = (url: string, key: string, model = 'local/placeholder') =>
  fetch(`${url}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'a fox', model, size: '256x256', response_format: 'url' }),
  }).then(async (response) => {
    await response.arrayBuffer();
    return response.status;
  });

const adminCall = async (url: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

for (const backend of databaseBackends) {
  t.test(`${backend.name}: a change on instance A is in force on instance B within 10 s`, async (t) => {
    const dir = t.testdir();
    const shared = await backend.env(t);
    // PGlite: both on one data folder (one process serves the database to the other).
    // PostgreSQL: each its own data folder; the database is all they share.
    const envFor = (name: string) => {
      const env: Record<string, string> = { UIG_ADMIN_KEY: adminKey, ...shared };
      if (backend.name === 'postgres') {
        writeFileSync(join(dir, 'uig.json'), JSON.stringify({ admin: { refreshIntervalMs: 250 } }));
        env.UIG_CONFIG = join(dir, 'uig.json');
        env.UIG_DATA_DIR = join(dir, `data-${name}`);
      }
      return env;
    };
    const a = await startGatewayProcess(envFor('a'));
    t.teardown(() => a.kill());
    const b = await startGatewayProcess(envFor('b'));
    t.teardown(() => b.kill());

    // Both read the database before the clock starts: on a fresh machine the first PGlite
    // database of the run is made from scratch (initdb in WASM), tens of seconds under load.
    for (const instance of [a, b]) {
      const up = await until(
        async () => (await adminCall(instance.url, 'GET', '/v1/admin/clients')).status === 200,
        120_000,
      );
      t.ok(up < 120_000, 'the database answers');
    }
    const created = await adminCall(a.url, 'POST', '/v1/admin/clients', { id: 'shared-app' });
    t.equal(created.status, 201);
    const key = created.body.key as string;
    t.equal(await generate(a.url, key), 200, 'A: at once');
    const works = await until(async () => (await generate(b.url, key)) === 200);
    t.ok(works < limit, `B accepts the new key after ${works} ms`);
    t.comment(`${backend.name}: created on A, accepted on B after ${works} ms`);

    const listed = await adminCall(b.url, 'GET', '/v1/admin/clients/shared-app');
    t.equal(listed.status, 200, 'B lists it');

    t.equal(
      (await adminCall(a.url, 'PATCH', '/v1/admin/clients/shared-app', { models: ['local/placeholder'] }))
        .status,
      200,
    );
    const restricted = await until(
      async () => (await generate(b.url, key, 'local/placeholder-blocks')) === 403,
    );
    t.ok(restricted < limit, `B applies the changed models after ${restricted} ms`);

    t.equal((await adminCall(a.url, 'DELETE', '/v1/admin/clients/shared-app')).status, 200);
    t.equal(await generate(a.url, key), 401, 'A: at once');
    const revoked = await until(async () => (await generate(b.url, key)) === 401);
    t.ok(revoked < limit, `B refuses the revoked key after ${revoked} ms`);
    t.comment(`${backend.name}: revoked on A, refused on B after ${revoked} ms`);
  });
}
