import t from 'tap';
import { ConfigError, sha256Hex } from '@uig/core';
import { isLoopbackHost, listenRefusal } from '../src/listen-policy.js';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

const plugins = () => [scriptedPlugin().plugin];
const generate = (headers: Record<string, string>, model?: string) => ({
  method: 'POST' as const,
  url: '/v1/images/generations',
  headers,
  payload: { prompt: 'a fox', response_format: 'b64_json', ...(model ? { model } : {}) },
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

t.test(
  'keys from UIG_API_KEYS and the file (literal, env:, sha256:) all work; anything else is a 401',
  async (t) => {
    const { app } = await startGateway(
      t,
      { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-env-one, sk-env-two', TEAM_KEY: 'sk-from-env-ref' },
      {
        plugins: plugins(),
        configFile: {
          clients: [
            { name: 'literal', key: 'sk-literal' },
            { name: 'env-ref', key: 'env:TEAM_KEY' },
            { name: 'hashed', key: `sha256:${sha256Hex('sk-hashed')}` },
          ],
        },
      },
    );
    for (const key of ['sk-env-one', 'sk-env-two', 'sk-literal', 'sk-from-env-ref', 'sk-hashed']) {
      t.equal((await app.inject(generate(bearer(key)))).statusCode, 200, key);
    }
    const refusals: Array<[Record<string, string>, string]> = [
      [{}, 'missing_api_key'],
      [bearer('sk-literal-but-longer'), 'invalid_api_key'],
      [bearer(`sha256:${sha256Hex('sk-hashed')}`), 'invalid_api_key'],
      [{ authorization: 'sk-literal' }, 'missing_api_key'],
      [{ authorization: 'Basic c2stbGl0ZXJhbDo=' }, 'missing_api_key'],
    ];
    for (const [headers, code] of refusals) {
      const response = await app.inject(generate(headers));
      t.equal(response.statusCode, 401, JSON.stringify(headers));
      t.match(response.json(), { error: { type: 'authentication_error', code } });
    }
  },
);

t.test('every /v1 route checks the key; health, readiness, metrics and docs are public', async (t) => {
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-one' },
    { plugins: plugins() },
  );
  for (const [method, url] of [
    ['GET', '/v1/models'],
    ['POST', '/v1/images'],
    ['POST', '/v1/images/edits'],
    ['POST', '/v1/images/generations'],
    ['GET', '/v1/anything'],
  ] as const) {
    const response = await app.inject({ method, url });
    t.equal(response.statusCode, 401, `${method} ${url}`);
  }
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/models', headers: bearer('sk-one') })).statusCode,
    200,
  );
  for (const url of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
  }
});

t.test('a key limited to model globs gets a 403 for other models, before any vendor call', async (t) => {
  const scripted = scriptedPlugin();
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    {
      plugins: [scripted.plugin],
      configFile: {
        clients: [
          { name: 'painters', key: 'sk-p', models: ['scripted/paint*'] },
          { name: 'all', key: 'sk-all' },
        ],
      },
    },
  );
  t.equal((await app.inject(generate(bearer('sk-p'), 'scripted/painter'))).statusCode, 200);
  t.equal(
    (await app.inject(generate(bearer('sk-p'), 'painter'))).statusCode,
    200,
    'a bare name resolves first, then the glob applies',
  );
  const denied = await app.inject(generate(bearer('sk-p'), 'scripted/sketcher'));
  t.equal(denied.statusCode, 403);
  t.match(denied.json(), { error: { type: 'permission_error', code: 'model_not_allowed', param: 'model' } });
  const native = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: bearer('sk-p'),
    payload: { prompt: 'x', model: 'scripted/sketcher' },
  });
  t.equal(native.statusCode, 403);
  t.equal(
    (await app.inject(generate(bearer('sk-all'), 'scripted/sketcher'))).statusCode,
    200,
    'a key without globs may use every model',
  );
  t.equal(scripted.calls.length, 3);
});

t.test('with no keys the gateway is open and ignores any Authorization header', async (t) => {
  const { app, runtime } = await startGateway(t, { SCRIPTED_API_KEY: 'v' }, { plugins: plugins() });
  t.equal(runtime.authenticator.enabled, false);
  t.equal((await app.inject(generate({}))).statusCode, 200);
  t.equal((await app.inject(generate(bearer('anything at all')))).statusCode, 200);
});

t.test('an open gateway refuses a non-loopback HOST at startup, saying why', async (t) => {
  const open = { clients: [], admin: { refreshIntervalMs: 2000 } };
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
    t.equal(isLoopbackHost(host), true, host);
    t.equal(listenRefusal({ host, ...open }), undefined, host);
  }
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'gateway.internal', '::ffff:10.0.0.1']) {
    const refusal = listenRefusal({ host, ...open });
    t.type(refusal, 'string', host);
    t.match(refusal, /UIG_API_KEYS/, `${host}: says how to fix it`);
  }
  t.equal(
    listenRefusal({ ...open, host: '0.0.0.0', clients: [{ name: 'a', keyHash: sha256Hex('k') }] }),
    undefined,
    'with keys any host is fine',
  );
  t.equal(
    listenRefusal({
      ...open,
      host: '0.0.0.0',
      admin: { keyHash: sha256Hex('admin-key-0123456789'), refreshIntervalMs: 2000 },
    }),
    undefined,
    'with the admin key (keys come from the admin API) any host is fine',
  );
});

t.test('a bad key reference stops startup with the field named', async (t) => {
  await t.rejects(
    startGateway(
      t,
      { SCRIPTED_API_KEY: 'v' },
      { plugins: plugins(), configFile: { clients: [{ name: 'a', key: 'env:NOT_SET_ANYWHERE' }] } },
    ),
    ConfigError,
  );
  await t.rejects(
    startGateway(
      t,
      { SCRIPTED_API_KEY: 'v' },
      { plugins: plugins(), configFile: { clients: [{ name: 'a', key: 'sha256:abc' }] } },
    ),
    ConfigError,
  );
});
