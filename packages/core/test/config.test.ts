import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig, sha256Hex, type ProviderPlugin } from '@uig/core';

const plugin = (type: string, extra: Partial<ProviderPlugin> = {}): ProviderPlugin => ({
  type,
  env: { apiKey: `${type.toUpperCase()}_KEY`, baseURL: `${type.toUpperCase()}_URL` },
  defaultBaseURL: `https://${type}.example/v1`,
  create: () => {
    throw new Error('not used');
  },
  ...extra,
});
const plugins = [
  plugin('cogview'),
  plugin('openai', { settingsSchema: z.object({ organization: z.string().optional() }).strict() }),
  plugin('wanx', {
    regionBaseURL: (region) => (region === 'singapore' ? 'https://intl.example/api/v1' : undefined),
  }),
  { ...plugin('local'), env: undefined, keyless: true } as ProviderPlugin,
];

t.test('defaults with no env and no file: local only, loopback, port 8080', async (t) => {
  const config = loadConfig({ env: { HOME: '/home/ada' }, plugins, cwd: '/', platform: 'linux' });
  t.equal(config.host, '127.0.0.1');
  t.equal(config.port, 8080);
  t.equal(
    config.dataDir,
    '/home/ada/.local/share/uig',
    'the per-user data folder, never the working directory',
  );
  t.equal(config.publicUrl, 'http://127.0.0.1:8080');
  t.equal(config.publicUrlConfigured, false);
  t.same(
    config.providers.map((p) => p.id),
    ['local'],
  );
  t.same(config.clients, []);
});

t.test('a vendor key in env enables that provider, with its base URL', async (t) => {
  const config = loadConfig({
    env: { COGVIEW_KEY: 'k1', COGVIEW_URL: 'http://127.0.0.1:9/api/', UIG_API_KEYS: 'a, b' },
    plugins,
  });
  t.same(
    config.providers.map((p) => p.id),
    ['cogview', 'local'],
  );
  t.equal(config.providers[0]!.baseURL, 'http://127.0.0.1:9/api');
  t.same(config.providers[0]!.credentials, [{ id: 'cogview#1', apiKey: 'k1' }]);
  t.same(
    config.clients.map((c) => c.keyHash),
    [sha256Hex('a'), sha256Hex('b')],
  );
});

t.test('the file adds pools, extra providers, clients with hashed keys, models', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'uig.yaml');
  writeFileSync(
    file,
    `
providers:
  cogview: { apiKeys: [env:Z1, literal-key], limits: { rpm: 60, concurrency: 5 } }
  localai: { type: openai, apiKey: x, baseURL: "http://127.0.0.1:9/v1", options: { organization: org } }
  wanx: { apiKeys: [{ key: env:Z1, region: singapore }] }
clients:
  - { name: design, key: "sha256:${sha256Hex('secret')}", limits: { rpm: 30 }, models: ["cogview/*"] }
  - { name: bot, key: env:BOT_KEY }
models:
  default: cogview/cogview-4
  aliases: { fast: cogview/cogview-3-flash }
  fallbacks: { "localai/gpt-image-1": ["cogview/cogview-4"] }
`,
  );
  const config = loadConfig({ env: { UIG_CONFIG: file, Z1: 'from-env', BOT_KEY: 'bot-secret' }, plugins });
  t.same(
    config.providers.map((p) => [p.id, p.type]),
    [
      ['cogview', 'cogview'],
      ['localai', 'openai'],
      ['wanx', 'wanx'],
      ['local', 'local'],
    ],
  );
  t.same(
    config.providers[0]!.credentials.map((c) => c.apiKey),
    ['from-env', 'literal-key'],
  );
  t.same(config.providers[0]!.limits, { rpm: 60, concurrency: 5 });
  t.same(config.providers[1]!.options, { organization: 'org' });
  t.equal(config.providers[2]!.credentials[0]!.baseURL, 'https://intl.example/api/v1');
  t.same(
    config.clients.map((c) => [c.name, c.keyHash]),
    [
      ['design', sha256Hex('secret')],
      ['bot', sha256Hex('bot-secret')],
    ],
  );
  t.same(config.clients[0]!.models, ['cogview/*']);
  t.equal(config.defaultModel, 'cogview/cogview-4');
  t.same(config.aliases, { fast: 'cogview/cogview-3-flash' });
});

t.test('a bad file names the field', async (t) => {
  const dir = t.testdir();
  const cases: Array<[string, RegExp]> = [
    ['providers:\n  cogview: { apiKey: k, limits: { rpm: -1 } }\n', /providers\.cogview\.limits\.rpm/],
    ['clients:\n  - { name: x }\n', /clients\.0\.key/],
    ['server: { prot: 80 }\n', /server.*prot/],
    ['providers:\n  mine: { type: nosuch, apiKey: k }\n', /providers\.mine\.type/],
    ['providers:\n  cogview: { apiKey: env:MISSING }\n', /providers\.cogview\.apiKeys\.0.*MISSING/],
    [
      'providers:\n  localai: { type: openai, apiKey: k, options: { organisation: x } }\n',
      /providers\.localai\.options/,
    ],
    ['providers:\n  wanx: { apiKeys: [{ key: k, region: mars }] }\n', /providers\.wanx\.apiKeys\.0\.region/],
    ['providers: [oops\n', /not valid YAML/],
    ['server: { maxInflightImageBytes: 1000 }\n', /server\.maxInflightImageBytes.*1048576/],
    ['server: { maxInflightImageBytes: lots }\n', /server\.maxInflightImageBytes/],
  ];
  for (const [text, pattern] of cases) {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const error = t.throws(() => loadConfig({ env: { UIG_CONFIG: file }, plugins }));
    t.ok(error instanceof ConfigError, text);
    t.match((error as Error).message, pattern);
  }
});

t.test('bad env values name the variable', async (t) => {
  t.throws(() => loadConfig({ env: { PORT: 'eighty' }, plugins }), /PORT/);
  t.throws(() => loadConfig({ env: { UIG_PUBLIC_URL: 'ftp://x' }, plugins }), /UIG_PUBLIC_URL/);
  t.throws(() => loadConfig({ env: { UIG_API_KEYS: 'sha256:xyz' }, plugins }), /UIG_API_KEYS/);
  t.throws(() => loadConfig({ env: { UIG_API_KEYS: 'same, same' }, plugins }), /same key/);
});

t.test('promptOptimization: file default, env override, client setting, model, timeout', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'uig.yaml');
  const chatPlugins = [
    plugin('gemini', { promptChat: () => ({ protocol: 'gemini', defaultModel: 'gemini-2.5-flash' }) }),
    ...plugins,
  ];
  writeFileSync(
    file,
    'promptOptimization: { default: translate, model: gemini/gemini-2.5-flash-lite, timeoutMs: 3000 }\nclients:\n  - { name: a, key: ka, promptOptimization: enhance }\n',
  );
  const config = loadConfig({ env: { UIG_CONFIG: file, GEMINI_KEY: 'g' }, plugins: chatPlugins });
  t.same(config.promptOptimization, {
    defaultMode: 'translate',
    model: 'gemini/gemini-2.5-flash-lite',
    timeoutMs: 3000,
  });
  t.equal(config.clients[0]!.promptOptimization, 'enhance');
  const overridden = loadConfig({
    env: { UIG_CONFIG: file, GEMINI_KEY: 'g', UIG_PROMPT_OPTIMIZATION: 'OFF' },
    plugins: chatPlugins,
  });
  t.equal(overridden.promptOptimization.defaultMode, 'off', 'UIG_PROMPT_OPTIMIZATION wins over the file');
  t.same(
    loadConfig({ env: {}, plugins }).promptOptimization,
    { timeoutMs: 10_000 },
    'default: no mode, 10 s',
  );

  t.throws(
    () => loadConfig({ env: { UIG_PROMPT_OPTIMIZATION: 'always' }, plugins }),
    /UIG_PROMPT_OPTIMIZATION/,
  );
  const cases: Array<[string, RegExp]> = [
    ['promptOptimization: { default: always }\n', /promptOptimization\.default/],
    ['promptOptimization: { model: gemini-2.5-flash }\n', /promptOptimization\.model.*provider\/model/],
    ['promptOptimization: { model: openai/gpt-4.1-mini }\n', /no provider "openai" is configured/],
    [
      'promptOptimization: { model: cogview/glm-4-flash }\nproviders: { cogview: { apiKey: k } }\n',
      /no chat endpoint/,
    ],
    ['clients:\n  - { name: a, key: k, promptOptimization: yes }\n', /clients\.0\.promptOptimization/],
  ];
  for (const [text, pattern] of cases) {
    writeFileSync(file, text);
    const error = t.throws(() => loadConfig({ env: { UIG_CONFIG: file }, plugins: chatPlugins }));
    t.ok(error instanceof ConfigError, text);
    t.match((error as Error).message, pattern, text);
  }
});

t.test('storage: the data folder by default; S3 with keys from env, defaults filled in', async (t) => {
  t.same(loadConfig({ env: {}, plugins }).storage, { type: 'file' });
  const dir = t.testdir();
  const file = join(dir, 'uig.json');
  writeFileSync(
    file,
    JSON.stringify({
      storage: {
        type: 's3',
        bucket: 'images',
        prefix: 'gateway',
        endpoint: 'http://127.0.0.1:9000',
        accessKeyId: 'env:S3_ID',
        secretAccessKey: 'env:S3_SECRET',
        urls: 'presigned',
      },
    }),
  );
  const config = loadConfig({ env: { UIG_CONFIG: file, S3_ID: 'id', S3_SECRET: 'secret' }, plugins });
  t.same(config.storage, {
    type: 's3',
    bucket: 'images',
    prefix: 'gateway/',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    accessKeyId: 'id',
    secretAccessKey: 'secret',
    urls: 'presigned',
    presignedTtlSeconds: 3600,
  });
  t.throws(() => loadConfig({ env: { UIG_CONFIG: file, S3_ID: 'id' }, plugins }), {
    name: 'ConfigError',
    message: /storage\.secretAccessKey: environment variable S3_SECRET is not set/,
  });
  writeFileSync(file, JSON.stringify({ storage: { type: 's3', bucket: 'images', accessKeyId: 'only-one' } }));
  t.throws(() => loadConfig({ env: { UIG_CONFIG: file }, plugins }), {
    name: 'ConfigError',
    message: /both/,
  });
  writeFileSync(file, JSON.stringify({ storage: { type: 'gcs', bucket: 'images' } }));
  t.throws(() => loadConfig({ env: { UIG_CONFIG: file }, plugins }), {
    name: 'ConfigError',
    message: /storage/,
  });
});

t.test('UIG_ADMIN_KEY (or admin.key) turns the admin API on, kept as a hash; refresh ≤ 10 s', async (t) => {
  const none = loadConfig({ env: {}, plugins });
  t.equal(none.admin.keyHash, undefined, 'off by default');
  t.ok(
    none.admin.refreshIntervalMs > 0 && none.admin.refreshIntervalMs <= 10_000,
    'default refresh within 10 s',
  );
  t.equal(none.admin.refreshIntervalMs, 2000);

  const fromEnv = loadConfig({ env: { UIG_ADMIN_KEY: 'adm-0123456789abcdef' }, plugins });
  t.equal(fromEnv.admin.keyHash, sha256Hex('adm-0123456789abcdef'));
  t.notMatch(JSON.stringify(fromEnv), /adm-0123456789abcdef/, 'the key itself is nowhere in the config');

  const dir = t.testdir();
  const path = join(dir, 'uig.yaml');
  writeFileSync(path, 'admin: { key: env:ADMIN, refreshIntervalMs: 500 }\n');
  const fromFile = loadConfig({ env: { UIG_CONFIG: path, ADMIN: 'from-file-key-0123456' }, plugins });
  t.equal(fromFile.admin.keyHash, sha256Hex('from-file-key-0123456'));
  t.equal(fromFile.admin.refreshIntervalMs, 500);
  const hashedPath = join(dir, 'hashed.yaml');
  writeFileSync(hashedPath, `admin: { key: "sha256:${sha256Hex('x'.repeat(20))}" }\n`);
  const hashed = loadConfig({ env: { UIG_CONFIG: hashedPath }, plugins });
  t.equal(hashed.admin.keyHash, sha256Hex('x'.repeat(20)), 'the file may hold only the hash');
  const envWins = loadConfig({
    env: { UIG_CONFIG: path, ADMIN: 'from-file-key-0123456', UIG_ADMIN_KEY: 'env-wins-0123456789' },
    plugins,
  });
  t.equal(envWins.admin.keyHash, sha256Hex('env-wins-0123456789'));
});

t.test('a weak admin key, a too slow refresh, or the admin key as a client key stop startup', async (t) => {
  t.throws(() => loadConfig({ env: { UIG_ADMIN_KEY: 'short' }, plugins }), {
    name: 'ConfigError',
    message: /UIG_ADMIN_KEY: .*at least 16/,
  });
  t.throws(
    () =>
      loadConfig({
        env: { UIG_ADMIN_KEY: 'shared-key-0123456789', UIG_API_KEYS: 'a,shared-key-0123456789' },
        plugins,
      }),
    { name: 'ConfigError', message: /UIG_ADMIN_KEY: .*client "env-key-2"/ },
  );
  const dir = t.testdir();
  const path = join(dir, 'uig.yaml');
  writeFileSync(path, 'admin: { refreshIntervalMs: 60000 }\n');
  t.throws(() => loadConfig({ env: { UIG_CONFIG: path }, plugins }), {
    name: 'ConfigError',
    message: /admin\.refreshIntervalMs/,
  });
});
