import t from 'tap';
import { join } from 'node:path';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const generate = (key: string, payload: Record<string, unknown> = {}) => ({
  method: 'POST' as const,
  url: '/v1/images/generations',
  headers: bearer(key),
  payload: { prompt: 'a fox', response_format: 'b64_json', ...payload },
});

t.test(
  'per-key rpm: headers on every /v1 response, 429 with Retry-After when spent, refilled over time',
  async (t) => {
    let now = Date.UTC(2026, 4, 1, 10, 0, 0);
    const { app } = await startGateway(
      t,
      { SCRIPTED_API_KEY: 'v' },
      {
        plugins: [scriptedPlugin().plugin],
        configFile: {
          clients: [
            { name: 'design', key: 'sk-d', limits: { rpm: 3 } },
            { name: 'free', key: 'sk-free' },
          ],
        },
        runtime: { now: () => now },
      },
    );
    const seen: Array<[number, string | undefined, string | undefined]> = [];
    const record = (response: { statusCode: number; headers: Record<string, unknown> }) =>
      seen.push([
        response.statusCode,
        response.headers['x-ratelimit-limit-requests'] as string,
        response.headers['x-ratelimit-remaining-requests'] as string,
      ]);
    record(await app.inject({ method: 'GET', url: '/v1/models', headers: bearer('sk-d') }));
    record(await app.inject(generate('sk-d')));
    record(await app.inject(generate('sk-d', { size: '7x7' })));
    record(await app.inject(generate('sk-d', { model: 'nope' })));
    record(await app.inject(generate('sk-d')));
    record(await app.inject(generate('sk-d')));
    record(await app.inject({ method: 'GET', url: '/v1/models', headers: bearer('sk-d') }));
    t.same(
      seen,
      [
        [200, '3', '3'],
        [200, '3', '2'],
        [400, '3', '1'],
        [404, '3', '1'],
        [200, '3', '0'],
        [429, '3', '0'],
        [200, '3', '0'],
      ],
      'model lookups (404/403) are not counted but report; a request admitted and then refused (400) is counted',
    );
    const unknownField = await app.inject(generate('sk-d', { colour: 'red' }));
    t.equal(unknownField.statusCode, 400);
    t.equal(
      unknownField.headers['x-ratelimit-remaining-requests'],
      '0',
      'a body refused before the limiter still reports',
    );
    const refused = await app.inject(generate('sk-d'));
    t.equal(refused.statusCode, 429);
    t.match(refused.json(), { error: { code: 'rate_limit_exceeded', type: 'rate_limit_error' } });
    t.equal(refused.headers['retry-after'], '20', 'one request comes back every 60/rpm seconds');
    now += 20_000;
    const again = await app.inject(generate('sk-d'));
    t.equal(again.statusCode, 200);
    t.equal(again.headers['x-ratelimit-remaining-requests'], '0');
    const free = await app.inject(generate('sk-free'));
    t.equal(free.statusCode, 200);
    t.notOk(
      free.headers['x-ratelimit-limit-requests'],
      'a key without an rpm limit has no numbers to report',
    );
  },
);

t.test('per-key concurrency and images per day', async (t) => {
  const scripted = scriptedPlugin();
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    {
      plugins: [scripted.plugin],
      configFile: {
        clients: [
          { name: 'one-at-a-time', key: 'sk-c', limits: { concurrency: 1 } },
          { name: 'daily', key: 'sk-day', limits: { imagesPerDay: 3 } },
        ],
      },
    },
  );
  const first = app.inject(generate('sk-c', { prompt: triggers.hold }));
  await scripted.held();
  const second = await app.inject(generate('sk-c'));
  t.equal(second.statusCode, 429);
  t.equal(second.headers['retry-after'], '1');
  scripted.release();
  t.equal((await first).statusCode, 200);
  t.equal((await app.inject(generate('sk-c'))).statusCode, 200, 'the slot is free again');

  t.equal((await app.inject(generate('sk-day', { n: 2 }))).statusCode, 200);
  const over = await app.inject(generate('sk-day', { n: 2 }));
  t.equal(over.statusCode, 429);
  t.ok(Number(over.headers['retry-after']) > 0, 'retry after midnight UTC');
  t.equal((await app.inject(generate('sk-day', { prompt: triggers.down }))).statusCode, 502);
  t.equal(
    (await app.inject(generate('sk-day', { n: 1 }))).statusCode,
    200,
    'a failed request gives its reservation back',
  );
  t.equal((await app.inject(generate('sk-day', { n: 1 }))).statusCode, 429);
});

t.test('images per day survive a restart: the count comes back from the usage ledger', async (t) => {
  const env = { SCRIPTED_API_KEY: 'v', UIG_DATA_DIR: join(t.testdir(), 'data') };
  const configFile = { clients: [{ name: 'daily', key: 'sk-day', limits: { imagesPerDay: 2 } }] };
  const first = await startGateway(t, env, { plugins: [scriptedPlugin().plugin], configFile });
  t.equal((await first.app.inject(generate('sk-day', { n: 2 }))).statusCode, 200);
  await first.app.close();
  await first.runtime.close();
  const second = await startGateway(t, env, { plugins: [scriptedPlugin().plugin], configFile });
  t.equal((await second.app.inject(generate('sk-day'))).statusCode, 429);
});

t.test(
  'upstream credentials: each has its own limiter, load spreads, a rejected key leaves rotation and is logged',
  async (t) => {
    const scripted = scriptedPlugin();
    const disabled: Array<[string, string]> = [];
    const { app, runtime } = await startGateway(
      t,
      { SK1: 'vendor-1', SK2: 'vendor-2' },
      {
        plugins: [scripted.plugin],
        configFile: {
          providers: {
            scripted: {
              apiKeys: ['env:SK1', { key: 'env:SK2', limits: { concurrency: 1 } }],
              limits: { concurrency: 1 },
            },
          },
        },
        runtime: { onCredentialDisabled: (id, reason) => void disabled.push([id, reason]) },
      },
    );
    const held = [1, 2, 3].map(() => app.inject(generate('unused', { prompt: triggers.hold })));
    await scripted.held();
    // Both keys' calls started (a busy machine may start the second late), then a moment
    // in which the third would start if it were not queued.
    for (const end = Date.now() + 5000; scripted.calls.length < 2 && Date.now() < end; )
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.same(
      scripted.calls.map((call) => call.credential.id).sort(),
      ['scripted#1', 'scripted#2'],
      'one call per key runs; the third waits in a queue',
    );
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    t.match(metrics, /uig_limiter_queue_depth\{provider="scripted"\} 1/);
    scripted.release();
    t.same(
      (await Promise.all(held)).map((response) => response.statusCode),
      [200, 200, 200],
    );

    t.equal((await app.inject(generate('unused', { prompt: triggers.badKey }))).statusCode, 502);
    t.equal(disabled.length, 1);
    t.match(disabled[0], [/^scripted#[12]$/, 'UPSTREAM_AUTHENTICATION']);
    t.equal(runtime.pools.get('scripted')!.available, 1);
    const ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
    t.match(ready.providers, [{ id: 'scripted', credentials: 2, credentials_available: 1 }]);
    const before = scripted.calls.length;
    await app.inject(generate('unused'));
    await app.inject(generate('unused'));
    const survivor = scripted.calls.slice(before).map((call) => call.credential.id);
    t.same(new Set(survivor).size, 1, 'only the good key is used');
    t.not(survivor[0], disabled[0]![0]);
    t.match(
      (await app.inject({ method: 'GET', url: '/metrics' })).body,
      /uig_credentials_disabled_total\{provider="scripted",credential="scripted#[12]",reason="upstream_authentication"\} 1/,
    );
  },
);
