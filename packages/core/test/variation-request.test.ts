import t, { type Test } from 'tap';
import {
  CredentialPool,
  FileImageStore,
  ImageService,
  InvalidRequestError,
  ModelRegistry,
  planCall,
  solidPng,
  sniffImage,
  UnsupportedCapabilityError,
  type ImageProvider,
  type ImageRequest,
  type InputImage,
} from '@uig/core';
import { model, pngResult, scriptedProvider } from './helpers.js';

/** Variations (OpenAI `/images/variations`): only models that declare them, one image, no prompt. */
const png = Buffer.from(solidPng(32, 32));
const input: InputImage = { data: png, mimeType: 'image/png', width: 32, height: 32 };
const variation = (fields: Partial<ImageRequest> = {}): ImageRequest => ({
  kind: 'variation',
  prompt: '',
  n: 1,
  images: [input],
  providerOptions: {},
  ...fields,
});

t.test('planCall: a model without variation is a 400 naming model; one image, no mask', async (t) => {
  const plain = model('plain', { edit: true, maxInputImages: 4 });
  const error = t.throws(() => planCall(variation(), plain, 'p/plain')) as UnsupportedCapabilityError;
  t.ok(error instanceof UnsupportedCapabilityError);
  t.equal(error.param, 'model');
  t.equal(error.code, 'VARIATION_NOT_SUPPORTED');

  const varies = model('varies', { variation: true, maxInputImages: 0 });
  t.same(
    planCall(variation(), varies, 'p/varies').size,
    undefined,
    'no size: the model keeps the input size',
  );
  t.same(planCall(variation({ size: '512x512' }), varies, 'p/varies').size, { width: 512, height: 512 });
  for (const wrong of [variation({ images: [input, input] }), variation({ mask: input })]) {
    const refused = t.throws(() => planCall(wrong, varies, 'p/varies')) as InvalidRequestError;
    t.ok(refused instanceof InvalidRequestError);
    t.equal(refused.param, 'image');
  }
});

function service(t: Test, providers: ImageProvider[], defaultModel?: string) {
  const dir = t.testdir();
  return new ImageService({
    registry: new ModelRegistry(
      providers.map((provider) => ({ provider, type: provider.id })),
      defaultModel ? { defaultModel } : {},
    ),
    pools: new Map(
      providers.map((provider) => [
        provider.id,
        new CredentialPool({ provider: provider.id, credentials: [{ id: `${provider.id}#1`, apiKey: 'k' }] }),
      ]),
    ),
    store: new FileImageStore(dir),
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1000 },
    upstreamTimeoutMs: 5000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5000,
  });
}

t.test('ImageService: variations go to provider.variation; others are refused listing who can', async (t) => {
  const alpha = scriptedProvider('alpha', [model('painter')], [() => pngResult()]);
  const beta = scriptedProvider(
    'beta',
    [
      model('varies', { variation: true }),
      model('retired', { variation: true }, { lifecycle: { status: 'retired' } }),
    ],
    [() => pngResult(24, 24)],
  );
  beta.provider.variation = beta.provider.generate;
  const images = service(t, [alpha.provider, beta.provider], 'alpha/painter');

  const refused = t.throws(() =>
    images.resolveVariation('alpha/painter', undefined),
  ) as UnsupportedCapabilityError;
  t.equal(refused.param, 'model');
  t.equal(refused.code, 'VARIATION_NOT_SUPPORTED');
  t.match(refused.message, /models that can: beta\/varies\.$/, 'retired models are not offered');
  const none = t.throws(() =>
    images.resolveVariation('alpha/painter', { name: 'k', models: ['alpha/*'] }),
  ) as UnsupportedCapabilityError;
  t.match(none.message, /no model this key may use can/);

  t.equal(images.resolveVariation(undefined, undefined).name, 'beta/varies', 'no model: the first that can');
  const result = await images.run(variation(), { requestId: 'r', signal: new AbortController().signal });
  t.equal(result.model, 'beta/varies');
  t.equal(beta.calls.length, 1);
  t.equal(beta.calls[0]!.prompt, '');
  t.equal(beta.calls[0]!.images.length, 1);
  t.equal(alpha.calls.length, 0);
  t.match(sniffImage(result.images[0]!.data), { width: 24 });
});
