import t, { type Test } from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  CredentialPool,
  ImageService,
  FileImageStore,
  ModelRegistry,
  QuotaExhaustedError,
  loadConfig,
  type ImageRequest,
  type ProgressEvent,
} from '@uig/core';
import { openaiTriggers } from '@uig/testkit';
import { openaiPlugin } from '@uig/provider-openai';
import { startFake } from './helpers.js';

/**
 * End to end through core: a config file with OpenAI and an OpenAI-compatible extra
 * provider, the plugin creating both, core planning, retrying and storing.
 */
async function setup(t: Test) {
  const openaiFake = await startFake(t);
  const localFake = await startFake(t, { models: { stablediffusion: 'dall-e-2', 'dall-e-3': 'dall-e-3' } });
  const dir = t.testdir();
  const configPath = join(dir, 'uig.yaml');
  writeFileSync(
    configPath,
    `providers:
  openai: { apiKey: env:OPENAI_API_KEY, baseURL: ${openaiFake.apiBaseURL} }
  localai:
    type: openai
    apiKey: local-key
    baseURL: ${localFake.apiBaseURL}
    options:
      dalleResponseFormat: url
      models: [{ id: stablediffusion, family: dall-e-2 }, { id: dall-e-3 }]
`,
  );
  const config = loadConfig({
    env: { UIG_CONFIG: configPath, OPENAI_API_KEY: 'sk-openai' },
    plugins: [openaiPlugin],
    cwd: dir,
  });
  const providers = config.providers.map((entry) => ({
    entry,
    provider: entry.plugin.create({
      id: entry.id,
      baseURL: entry.baseURL,
      fetch: globalThis.fetch,
      options: entry.options,
    }),
  }));
  const sleeps: number[] = [];
  const service = new ImageService({
    registry: new ModelRegistry(providers.map(({ entry, provider }) => ({ provider, type: entry.type }))),
    pools: new Map(
      providers.map(({ entry }) => [
        entry.id,
        new CredentialPool({ provider: entry.id, credentials: entry.credentials }),
      ]),
    ),
    store: new FileImageStore(dir),
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10_000 },
    sleep: async (ms) => void sleeps.push(ms),
    upstreamTimeoutMs: 5000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5000,
    // Lifecycle dates are compared with this clock: a day before gpt-image-1.5 shuts down.
    now: () => Date.parse('2026-11-27T12:00:00Z'),
  });
  return { service, openaiFake, localFake, sleeps };
}

const request = (fields: Partial<ImageRequest>): ImageRequest => ({
  kind: 'generate',
  prompt: 'a lighthouse',
  n: 1,
  images: [],
  providerOptions: {},
  ...fields,
});
const context = (extra: { onProgress?: (event: ProgressEvent) => void } = {}) => ({
  requestId: 'req_e2e',
  signal: new AbortController().signal,
  ...extra,
});

t.test('OpenAI and a compatible server from the config file serve side by side through core', async (t) => {
  const { service, openaiFake, localFake } = await setup(t);
  const [fromOpenAI, fromLocal] = await Promise.all([
    service.run(request({ model: 'openai/gpt-image-1', n: 2, quality: 'low' }), context()),
    service.run(request({ model: 'localai/stablediffusion', size: '512x512' }), context()),
  ]);
  t.equal(fromOpenAI.provider, 'openai');
  t.equal(fromOpenAI.images.length, 2);
  t.equal(fromOpenAI.usage.outputTokens, 2 * 272);
  t.type(fromOpenAI.usage.inputTokens, 'number');
  t.match(fromOpenAI.vendorRequestIds[0], /^req_/);
  t.equal(fromLocal.provider, 'localai');
  t.equal(fromLocal.model, 'localai/stablediffusion');
  t.equal(fromLocal.images.length, 1, 'the URL answer was downloaded and stored');
  t.equal(fromLocal.images[0]!.mimeType, 'image/png');
  t.equal(openaiFake.callsTo('/images/generations').length, 1);
  t.equal(localFake.callsTo('/images/generations').length, 1);
  t.equal(localFake.callsTo('.png').length, 1, 'core fetched the served file');
});

t.test(
  'dall-e-3 on a compatible server that still serves it: n=2 becomes two calls; style from the OpenAI route reaches the vendor; revised prompts come back',
  async (t) => {
    const { service, localFake } = await setup(t);
    const result = await service.run(
      request({ model: 'localai/dall-e-3', n: 2, openaiOptions: { style: 'natural' } }),
      context(),
    );
    t.equal(result.images.length, 2);
    const calls = localFake.callsTo('/images/generations');
    t.equal(calls.length, 2);
    t.ok(
      calls.every(
        (call) =>
          (call.json as Record<string, unknown>).n === 1 &&
          (call.json as Record<string, unknown>).style === 'natural',
      ),
    );
    t.type(result.images[0]!.revisedPrompt, 'string');
  },
);

t.test(
  "OpenAI's retired dall-e-3 is a 400 model_retired naming gpt-image-2, with no vendor call",
  async (t) => {
    const { service, openaiFake } = await setup(t);
    const error = await service
      .run(request({ model: 'openai/dall-e-3' }), context())
      .catch((caught: unknown) => caught);
    t.match(error, { code: 'MODEL_RETIRED', status: 400, param: 'model' });
    t.match((error as Error).message, /openai\/gpt-image-2/);
    t.equal(openaiFake.requests.length, 0, 'the vendor was not called');
    const deprecated = await service.run(request({ model: 'openai/gpt-image-1.5' }), context());
    t.match(deprecated.warnings, [{ type: 'deprecated', message: /2026-12-01/ }]);
  },
);

t.test('a vendor 429 is retried honouring retry-after-ms; insufficient_quota is not retried', async (t) => {
  const { service, openaiFake, sleeps } = await setup(t);
  openaiFake.failWith('rate_limit_exceeded', { times: 1, retryAfterMs: '1500' });
  const result = await service.run(request({ model: 'openai/gpt-image-1' }), context());
  t.equal(result.images.length, 1);
  t.equal(openaiFake.requests.length, 2);
  t.ok(sleeps[0]! >= 1500, `waited ${sleeps[0]} ms`);
  const error = await service
    .run(request({ model: 'openai/gpt-image-1', prompt: openaiTriggers.quota }), context())
    .catch((caught: unknown) => caught);
  t.ok(error instanceof QuotaExhaustedError);
  t.equal(openaiFake.requests.length, 3, 'one call, no retry');
});

t.test("partial images reach the request's progress listener", async (t) => {
  const { service } = await setup(t);
  const events: ProgressEvent[] = [];
  const result = await service.run(
    request({ model: 'openai/gpt-image-1', providerOptions: { openai: { partial_images: 2 } } }),
    context({ onProgress: (event) => events.push(event) }),
  );
  t.equal(result.images.length, 1);
  t.equal(events.filter((event) => event.type === 'partial_image').length, 2);
});

t.test('an option the model cannot take is refused by core before any call', async (t) => {
  const { service, openaiFake } = await setup(t);
  const error = await service
    .run(request({ model: 'openai/gpt-image-1', providerOptions: { openai: { style: 'vivid' } } }), context())
    .catch((caught: unknown) => caught);
  t.match(error, { code: 'INVALID_PROVIDER_OPTION', param: 'provider_options.openai.style' });
  t.equal(openaiFake.requests.length, 0);
});
