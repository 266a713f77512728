import t, { type Test } from 'tap';
import { sha256Hex } from '@uig/core';
import { loggerOptions } from '../src/logger-options.js';
import { startGateway } from './helpers.js';
import { databaseBackends, pglite } from './database-backends.js';

// PGlite opens in seconds on a busy machine; each backend's gateways share these minutes.
t.setTimeout(300_000);

const adminKey = 'admin-key-0123456789abcdef';
const admin = { authorization: `Bearer ${adminKey}` };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const generate = (key: string, model = 'local/placeholder') => ({
  method: 'POST' as const,
  url: '/v1/images/generations',
  headers: bearer(key),
  payload: { prompt: 'a fox', model, size: '256x256', response_format: 'url' },
});

async function adminGateway(t: Test, databaseEnv: Record<string, string>, logs?: string[]) {
  return startGateway(
    t,
    { UIG_ADMIN_KEY: adminKey, UIG_API_KEYS: 'sk-from-env', ...databaseEnv },
    {
      configFile: { clients: [{ name: 'design', key: 'sk-design', limits: { rpm: 30 } }] },
      ...(logs ? { logger: loggerOptions('debug', { write: (line: string) => void logs.push(line) }) } : {}),
    },
  );
}

for (const backend of databaseBackends) {
  t.test(`${backend.name}: the admin API`, async (t) => {
    t.test('create shows the key once; it works at once with its limits and models', async (t) => {
      const logs: string[] = [];
      const { app, runtime } = await adminGateway(t, await backend.env(t), logs);
      const created = await app.inject({
        method: 'POST',
        url: '/v1/admin/clients',
        headers: admin,
        payload: {
          id: 'app-1',
          name: 'App one',
          limits: { rpm: 2, imagesPerDay: 10 },
          models: ['local/placeholder'],
        },
      });
      t.equal(created.statusCode, 201, created.body);
      t.equal(created.headers['cache-control'], 'no-store');
      const body = created.json();
      t.match(body, {
        object: 'client',
        id: 'app-1',
        name: 'App one',
        source: 'managed',
        read_only: false,
        limits: { rpm: 2, imagesPerDay: 10 },
        models: ['local/placeholder'],
      });
      t.match(body.key, /^uig_[A-Za-z0-9_-]{43}$/);
      const key: string = body.key;

      t.equal((await app.inject(generate(key))).statusCode, 200, 'the key works on this instance at once');
      const other = await app.inject(generate(key, 'local/placeholder-blocks'));
      t.equal(other.statusCode, 403, 'models apply as for config clients');
      t.equal(other.json().error.code, 'model_not_allowed');
      t.equal((await app.inject(generate(key))).statusCode, 200, 'a refused model does not count');
      const third = await app.inject(generate(key));
      t.equal(third.statusCode, 429, 'rpm applies as for config clients');
      t.match(third.json().error.message, /"app-1".*2 requests per minute/);

      const fetched = await app.inject({ method: 'GET', url: '/v1/admin/clients/app-1', headers: admin });
      t.equal(fetched.statusCode, 200);
      t.equal(fetched.json().key, undefined, 'the key is shown only once');

      const list = await app.inject({ method: 'GET', url: '/v1/admin/clients', headers: admin });
      t.equal(list.statusCode, 200);
      t.same(
        list
          .json()
          .data.map((client: { id: string; source: string; read_only: boolean }) => [
            client.id,
            client.source,
            client.read_only,
          ]),
        [
          ['env-key-1', 'env', true],
          ['design', 'config', true],
          ['app-1', 'managed', false],
        ],
      );
      t.match(list.json().data[1], { limits: { rpm: 30 }, models: null });
      for (const text of [list.body, fetched.body]) {
        for (const secret of [
          key,
          sha256Hex(key),
          sha256Hex('sk-design'),
          sha256Hex('sk-from-env'),
          'sk-design',
        ])
          t.notOk(text.includes(secret), 'no key or hash in admin answers');
      }

      // The database holds the hash, never the key.
      const rows = await runtime.database.query<Record<string, unknown>>('SELECT * FROM managed_clients');
      t.equal(rows.length, 1);
      t.equal(rows[0]!.key_hash, sha256Hex(key));
      t.notOk(JSON.stringify(rows).includes(key));

      const allLogs = logs.join('');
      t.ok(allLogs.includes('/v1/admin/clients'), 'admin calls are logged');
      t.notOk(allLogs.includes(adminKey), 'never the admin key');
      t.notOk(allLogs.includes(key), 'never the new key');
    });

    t.test(
      'PATCH changes limits, models and name; DELETE revokes; the id can be created again',
      async (t) => {
        const { app } = await adminGateway(t, await backend.env(t));
        const { key } = (
          await app.inject({
            method: 'POST',
            url: '/v1/admin/clients',
            headers: admin,
            payload: { id: 'app-2', limits: { rpm: 1, concurrency: 3 } },
          })
        ).json();
        t.equal((await app.inject(generate(key))).statusCode, 200);
        t.equal((await app.inject(generate(key))).statusCode, 429);

        const patched = await app.inject({
          method: 'PATCH',
          url: '/v1/admin/clients/app-2',
          headers: admin,
          payload: { name: 'Renamed', limits: { rpm: null, imagesPerDay: 50 }, models: ['local/*'] },
        });
        t.equal(patched.statusCode, 200, patched.body);
        t.match(patched.json(), {
          id: 'app-2',
          name: 'Renamed',
          limits: { concurrency: 3, imagesPerDay: 50 },
        });
        t.equal(patched.json().limits.rpm, undefined, 'a null limit is removed');
        t.same(patched.json().models, ['local/*']);
        t.equal((await app.inject(generate(key))).statusCode, 200, 'no rpm limit any more');
        t.equal((await app.inject(generate(key, 'local/placeholder-blocks'))).statusCode, 200);

        const unrestricted = await app.inject({
          method: 'PATCH',
          url: '/v1/admin/clients/app-2',
          headers: admin,
          payload: { models: null },
        });
        t.equal(unrestricted.json().models, null);

        const deleted = await app.inject({
          method: 'DELETE',
          url: '/v1/admin/clients/app-2',
          headers: admin,
        });
        t.equal(deleted.statusCode, 200);
        t.same(deleted.json(), { object: 'client.deleted', id: 'app-2', deleted: true });
        const refused = await app.inject(generate(key));
        t.equal(refused.statusCode, 401, 'a revoked key is refused at once');
        t.equal(refused.json().error.code, 'invalid_api_key');
        for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
          const response = await app.inject({
            method,
            url: '/v1/admin/clients/app-2',
            headers: admin,
            ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
          });
          t.equal(response.statusCode, 404, method);
          t.equal(response.json().error.code, 'client_not_found');
        }

        const again = await app.inject({
          method: 'POST',
          url: '/v1/admin/clients',
          headers: admin,
          payload: { id: 'app-2' },
        });
        t.equal(again.statusCode, 201, 'a revoked id may be created again');
        t.not(again.json().key, key);
        t.equal((await app.inject(generate(again.json().key))).statusCode, 200);
        t.equal(
          (await app.inject(generate(key))).statusCode,
          401,
          'with a new key: the old one stays revoked',
        );
      },
    );

    t.test('env and config clients are read-only (409); a taken id is a 409', async (t) => {
      const { app } = await adminGateway(t, await backend.env(t));
      for (const [id, where] of [
        ['env-key-1', /UIG_API_KEYS/],
        ['design', /UIG_CONFIG/],
      ] as const) {
        const shown = await app.inject({ method: 'GET', url: `/v1/admin/clients/${id}`, headers: admin });
        t.equal(shown.statusCode, 200);
        t.equal(shown.json().read_only, true);
        for (const method of ['PATCH', 'DELETE'] as const) {
          const response = await app.inject({
            method,
            url: `/v1/admin/clients/${id}`,
            headers: admin,
            ...(method === 'PATCH' ? { payload: { limits: { rpm: 1 } } } : {}),
          });
          t.equal(response.statusCode, 409, `${method} ${id}`);
          t.match(response.json().error, { code: 'client_read_only', message: where });
          t.match(response.json().error.message, /edit it there/);
        }
        const taken = await app.inject({
          method: 'POST',
          url: '/v1/admin/clients',
          headers: admin,
          payload: { id },
        });
        t.equal(taken.statusCode, 409);
        t.equal(taken.json().error.code, 'client_exists');
      }
      t.equal((await app.inject(generate('sk-design'))).statusCode, 200, 'the config client still works');
      await app.inject({
        method: 'POST',
        url: '/v1/admin/clients',
        headers: admin,
        payload: { id: 'twice' },
      });
      const twice = await app.inject({
        method: 'POST',
        url: '/v1/admin/clients',
        headers: admin,
        payload: { id: 'twice' },
      });
      t.equal(twice.statusCode, 409);
      t.match(twice.json().error, { code: 'client_exists', param: 'id' });
    });
  });
}

t.test('bad input is a 400 naming the field, before anything reaches the database', async (t) => {
  const { app } = await adminGateway(t, {});
  const cases: Array<[string, 'POST' | 'PATCH', unknown, string, string]> = [
    ['/v1/admin/clients', 'POST', {}, 'id', 'missing_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'has space' }, 'id', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: '-dash-first' }, 'id', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', limits: { rpm: -1 } }, 'limits.rpm', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', limits: { rpm: 1.5 } }, 'limits.rpm', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', limits: { rps: 1 } }, 'limits.rps', 'unknown_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', models: 'local/*' }, 'models', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', models: [] }, 'models', 'invalid_parameter'],
    ['/v1/admin/clients', 'POST', { id: 'a', key: 'mine' }, 'key', 'unknown_parameter'],
    [
      '/v1/admin/clients',
      'POST',
      { id: 'a', prompt_optimization: 'maybe' },
      'prompt_optimization',
      'invalid_parameter',
    ],
    ['/v1/admin/clients', 'POST', [], '', 'invalid_body'],
    ['/v1/admin/clients/a', 'PATCH', {}, '', 'missing_parameter'],
    [
      '/v1/admin/clients/a',
      'PATCH',
      { limits: { concurrency: 0 } },
      'limits.concurrency',
      'invalid_parameter',
    ],
    ['/v1/admin/clients/a', 'PATCH', { id: 'b' }, 'id', 'unknown_parameter'],
  ];
  for (const [url, method, payload, param, code] of cases) {
    const response = await app.inject({ method, url, headers: admin, payload: payload as object });
    t.equal(response.statusCode, 400, `${method} ${JSON.stringify(payload)}`);
    t.match(response.json().error, { code, ...(param ? { param } : {}) }, JSON.stringify(payload));
  }
});

t.test('the admin key guards the admin API, and only it', async (t) => {
  const { app } = await adminGateway(t, {});
  for (const headers of [{}, bearer('wrong-admin-key-0123456'), bearer('sk-design'), bearer('sk-from-env')]) {
    const response = await app.inject({ method: 'GET', url: '/v1/admin/clients', headers });
    t.equal(response.statusCode, 401, JSON.stringify(headers));
    t.equal(response.json().error.code, 'invalid_admin_key');
  }
  const asClient = await app.inject(generate(adminKey));
  t.equal(asClient.statusCode, 401, 'the admin key is not a client key');
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/admin/clients/design', headers: admin })).statusCode,
    200,
  );
});

t.test('without UIG_ADMIN_KEY the admin API is off (404) and an open gateway stays open', async (t) => {
  const { app, runtime } = await startGateway(t, {});
  t.equal(runtime.authenticator.enabled, false);
  const response = await app.inject({ method: 'GET', url: '/v1/admin/clients', headers: admin });
  t.equal(response.statusCode, 404);
  t.match(response.json().error, { code: 'admin_api_disabled', message: /UIG_ADMIN_KEY/ });
  t.equal((await app.inject({ ...generate('anything'), headers: {} })).statusCode, 200);
});

t.test('with UIG_ADMIN_KEY alone, key checking is on before the first managed key', async (t) => {
  const { app } = await startGateway(t, { UIG_ADMIN_KEY: adminKey, ...(await pglite.env(t)) });
  t.equal((await app.inject({ ...generate('x'), headers: {} })).statusCode, 401);
  const { key } = (
    await app.inject({ method: 'POST', url: '/v1/admin/clients', headers: admin, payload: { id: 'first' } })
  ).json();
  t.equal((await app.inject(generate(key))).statusCode, 200);
});
