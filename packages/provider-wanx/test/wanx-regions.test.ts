import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamAuthenticationError, loadConfig } from '@uig/core';
import { createDashScopeFake } from '@uig/testkit';
import { createWanxProvider, wanxPlugin, wanxRegionBaseURLs } from '../src/index.js';
import { caught, callFor, setup } from './helpers.js';

t.test('the plugin: env names, default base, regions (docs/providers/wanx.md §4.1)', async (t) => {
  t.equal(wanxPlugin.type, 'wanx');
  t.same(wanxPlugin.env, { apiKey: 'DASHSCOPE_API_KEY', baseURL: 'DASHSCOPE_BASE_URL' });
  t.equal(wanxPlugin.defaultBaseURL, 'https://dashscope.aliyuncs.com/api/v1');
  t.equal(wanxPlugin.regionBaseURL!('beijing'), 'https://dashscope.aliyuncs.com/api/v1');
  t.equal(wanxPlugin.regionBaseURL!('singapore'), 'https://dashscope-intl.aliyuncs.com/api/v1');
  t.equal(wanxPlugin.regionBaseURL!('virginia'), 'https://dashscope-us.aliyuncs.com/api/v1');
  t.equal(wanxPlugin.regionBaseURL!('frankfurt'), undefined);
  t.equal(wanxPlugin.regionBaseURL!('toString'), undefined);
});

t.test("a credential's base URL wins: one pool, keys of two regions", async (t) => {
  const beijing = await createDashScopeFake({
    region: 'beijing',
    apiKeys: ['sk-beijing'],
    pendingPolls: 0,
    runningPolls: 0,
  }).start();
  const singapore = await createDashScopeFake({
    region: 'singapore',
    apiKeys: ['sk-singapore'],
    pendingPolls: 0,
    runningPolls: 0,
  }).start();
  t.teardown(() => Promise.all([beijing.close(), singapore.close()]));
  const provider = createWanxProvider({
    id: 'wanx',
    baseURL: beijing.apiBaseURL,
    fetch: globalThis.fetch,
    options: {},
    sleep: async () => {},
  });
  const home = await provider.generate(callFor({ credential: { id: 'wanx#1', apiKey: 'sk-beijing' } }));
  t.equal(home.images.length, 1);
  const away = await provider.generate(
    callFor({ credential: { id: 'wanx#2', apiKey: 'sk-singapore', baseURL: singapore.apiBaseURL } }),
  );
  t.equal(away.images.length, 1);
  t.equal(singapore.requests.filter((request) => request.path.includes('/tasks/')).length, 1);
  t.equal(beijing.requests.filter((request) => request.path.includes('/tasks/')).length, 1);
  // docs/providers/wanx.md §4.1: a key used in the wrong region fails auth.
  const wrong = await caught(
    t,
    provider.generate(callFor({ credential: { id: 'wanx#2', apiKey: 'sk-singapore' } })),
  );
  t.type(wrong, UpstreamAuthenticationError);
  t.equal(wrong.vendorCode, 'InvalidApiKey');
});

t.test('the region setting picks the host; an explicit base URL wins', async (t) => {
  const seen: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    seen.push(String(input));
    throw new Error('no network in tests');
  };
  const regional = createWanxProvider({
    id: 'wanx',
    baseURL: wanxPlugin.defaultBaseURL,
    fetch,
    options: { region: 'virginia' },
  });
  await caught(t, regional.generate(callFor()));
  t.equal(seen.at(-1), `${wanxRegionBaseURLs.virginia}/services/aigc/text2image/image-synthesis`);
  const explicit = createWanxProvider({
    id: 'wanx',
    baseURL: 'https://dashscope-proxy.example/api/v1/',
    fetch,
    options: { region: 'virginia' },
  });
  await caught(t, explicit.generate(callFor()));
  t.equal(seen.at(-1), 'https://dashscope-proxy.example/api/v1/services/aigc/text2image/image-synthesis');
  const byCredential = createWanxProvider({
    id: 'wanx',
    baseURL: wanxPlugin.defaultBaseURL,
    fetch,
    options: { region: 'virginia' },
  });
  await caught(
    t,
    byCredential.generate(
      callFor({ credential: { id: 'wanx#1', apiKey: 'k', baseURL: wanxRegionBaseURLs.singapore } }),
    ),
  );
  t.equal(seen.at(-1), `${wanxRegionBaseURLs.singapore}/services/aigc/text2image/image-synthesis`);
});

t.test('settings are strict and checked', async (t) => {
  const base = { id: 'wanx', baseURL: wanxPlugin.defaultBaseURL, fetch: globalThis.fetch };
  t.throws(() => createWanxProvider({ ...base, options: { region: 'frankfurt' } }), TypeError);
  t.throws(() => createWanxProvider({ ...base, options: { pollIntervalMs: 10 } }), TypeError);
  t.throws(
    () => createWanxProvider({ ...base, options: { pollInitialIntervalMs: 6000, pollMaxIntervalMs: 5000 } }),
    TypeError,
  );
  t.ok(
    wanxPlugin.settingsSchema!.safeParse({
      region: 'singapore',
      workspaceId: 'ws-1',
      taskDeadlineMs: 120_000,
    }).success,
  );
});

t.test(
  'the workspace setting is sent as X-DashScope-WorkSpace on every call (docs/providers/wanx.md §4.1)',
  async (t) => {
    const { fake, provider } = await setup(t, { options: { workspaceId: 'ws-42' } });
    await provider.generate(callFor());
    t.ok(fake.requests.length >= 2);
    for (const request of fake.requests.filter((entry) => !entry.path.startsWith('/files/')))
      t.equal(request.headers['x-dashscope-workspace'], 'ws-42', request.path);
  },
);

t.test("the config file shape for per-region keys, through core's loader", async (t) => {
  const directory = t.testdir();
  const file = join(directory, 'uig.yaml');
  writeFileSync(
    file,
    [
      'providers:',
      '  wanx:',
      '    apiKeys:',
      '      - env:DASHSCOPE_KEY_BEIJING',
      '      - { key: env:DASHSCOPE_KEY_SG, region: singapore }',
      '      - { key: env:DASHSCOPE_KEY_US, region: virginia, limits: { rpm: 60 } }',
      '    options: { region: beijing, taskDeadlineMs: 120000 }',
    ].join('\n'),
  );
  const config = loadConfig({
    env: {
      UIG_CONFIG: file,
      DASHSCOPE_KEY_BEIJING: 'sk-bj',
      DASHSCOPE_KEY_SG: 'sk-sg',
      DASHSCOPE_KEY_US: 'sk-us',
    },
    plugins: [wanxPlugin],
    cwd: directory,
  });
  const wanx = config.providers.find((provider) => provider.id === 'wanx')!;
  t.equal(wanx.baseURL, wanxRegionBaseURLs.beijing);
  t.same(
    wanx.credentials.map((credential) => [credential.apiKey, credential.baseURL]),
    [
      ['sk-bj', undefined],
      ['sk-sg', wanxRegionBaseURLs.singapore],
      ['sk-us', wanxRegionBaseURLs.virginia],
    ],
  );
  t.equal(wanx.options.taskDeadlineMs, 120000);
  t.equal(wanx.options.pollInitialIntervalMs, 1000);
});
