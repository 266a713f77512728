import t, { type Test } from 'tap';
import {
  CredentialPool,
  ImageService,
  FileImageStore,
  ModelRegistry,
  type ImageProvider,
  type ImageRequest,
} from '@uig/core';
import { geminiTriggers } from '@uig/testkit';
import { providerFor, startFake, testKey } from './helpers.js';

/**
 * The adapter inside core's request path: batching splits n for the native models,
 * the adapter check refuses what Imagen would reject before any call, and retries
 * honour RetryInfo. Sleeps are recorded, not waited.
 */

function serviceFor(t: Test, provider: ImageProvider) {
  const dir = t.testdir();
  const sleeps: number[] = [];
  const service = new ImageService({
    registry: new ModelRegistry([{ provider, type: 'gemini' }]),
    pools: new Map([
      [
        provider.id,
        new CredentialPool({ provider: provider.id, credentials: [{ id: 'gemini#1', apiKey: testKey }] }),
      ],
    ]),
    store: new FileImageStore(dir),
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10_000 },
    sleep: async (ms) => void sleeps.push(ms),
    upstreamTimeoutMs: 5_000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5_000,
  });
  return { service, sleeps };
}

const context = () => ({ requestId: 'req_core', signal: new AbortController().signal });
const request = (fields: Partial<ImageRequest> = {}): ImageRequest => ({
  kind: 'generate',
  prompt: 'a lighthouse',
  n: 1,
  images: [],
  providerOptions: {},
  ...fields,
});

t.test('n = 3 on a native model is three parallel generateContent calls', async (t) => {
  const fake = await startFake(t);
  const { service } = serviceFor(t, providerFor(fake));
  const result = await service.run(
    request({ model: 'gemini/gemini-2.5-flash-image', n: 3, size: '1792x1024' }),
    context(),
  );
  t.equal(result.images.length, 3);
  t.equal(fake.callsTo(':generateContent').length, 3);
  t.same(
    fake.calls.map((call) => call.body.generationConfig.imageConfig),
    [{ aspectRatio: '16:9' }, { aspectRatio: '16:9' }, { aspectRatio: '16:9' }],
    'core mapped the size to a ratio',
  );
  t.ok(result.warnings.some((warning) => warning.feature === 'size'));
});

t.test(
  'Imagen, shut down on the Gemini API, is a 400 model_retired naming gemini-3.1-flash-image, with zero upstream calls',
  async (t) => {
    const fake = await startFake(t);
    const { service } = serviceFor(t, providerFor(fake));
    for (const model of ['gemini/imagen-4.0-generate-001', 'gemini/imagen-3.0-generate-002']) {
      const error = await service
        .run(request({ model, n: 4, aspectRatio: '3:4', seed: 5 }), context())
        .catch((caught: unknown) => caught);
      t.match(error, { code: 'MODEL_RETIRED', status: 400, param: 'model' }, model);
      t.match((error as Error).message, /2026-08-17.*gemini\/gemini-3\.1-flash-image/);
    }
    t.equal(fake.requests.length, 0);
    // A native model ignores a seed with a warning instead.
    const native = await service.run(request({ model: 'gemini/gemini-2.5-flash-image', seed: 5 }), context());
    t.ok(native.warnings.some((warning) => warning.feature === 'seed'));
    t.notOk(JSON.stringify(fake.requests[0]!.json).includes('seed'));
  },
);

t.test('a 429 is retried after RetryInfo.retryDelay', async (t) => {
  const fake = await startFake(t);
  fake.failWith('RESOURCE_EXHAUSTED', { retryDelay: '3s' });
  const { service, sleeps } = serviceFor(t, providerFor(fake));
  const result = await service.run(request(), context());
  t.equal(result.images.length, 1);
  t.equal(fake.requests.length, 2);
  t.same(sleeps, [3_000]);
});

t.test('a refusal is not retried and reaches the caller as a content policy error', async (t) => {
  const fake = await startFake(t);
  const { service, sleeps } = serviceFor(t, providerFor(fake));
  await t.rejects(service.run(request({ prompt: geminiTriggers.finish('IMAGE_SAFETY') }), context()), {
    code: 'CONTENT_POLICY_VIOLATION',
    vendorCode: 'IMAGE_SAFETY',
  });
  t.equal(fake.requests.length, 1);
  t.same(sleeps, []);
});
