import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ContentPolicyError,
  CredentialPool,
  ImageService,
  FileImageStore,
  ModelRegistry,
  QuotaExhaustedError,
  RateLimitedError,
  solidPng,
  UpstreamUnavailableError,
  RequestTally,
  type ImageProvider,
  type ImageRequest,
  type ProviderResult,
} from '@uig/core';
import { model, pngResult, scriptedProvider } from './helpers.js';

const request = (fields: Partial<ImageRequest> = {}): ImageRequest => ({
  kind: 'generate',
  prompt: 'a cat',
  n: 1,
  images: [],
  providerOptions: {},
  ...fields,
});

function setup(
  t: Test,
  providers: ImageProvider[],
  extra: { fallbacks?: Record<string, string[]>; keys?: number } = {},
) {
  const dir = t.testdir();
  const sleeps: number[] = [];
  const pools = new Map(
    providers.map((provider) => [
      provider.id,
      new CredentialPool({
        provider: provider.id,
        credentials: Array.from({ length: extra.keys ?? 1 }, (_, index) => ({
          id: `${provider.id}#${index + 1}`,
          apiKey: `key-${index + 1}`,
        })),
      }),
    ]),
  );
  const store = new FileImageStore(dir);
  const service = new ImageService({
    registry: new ModelRegistry(providers.map((provider) => ({ provider, type: provider.id }))),
    pools,
    store,
    retry: { retries: 2, minDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 10_000 },
    sleep: async (ms) => void sleeps.push(ms),
    fallbacks: extra.fallbacks ?? {},
    upstreamTimeoutMs: 5000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5000,
  });
  return { service, sleeps, pools, store };
}
const context = { requestId: 'req_1', signal: new AbortController().signal };

const tallyFor = (client = 'anonymous') =>
  new RequestTally({ requestId: 'req_1', client, route: '/v1/images', started: 1000 });

t.test('a generation is stored, recorded and returned with usage', async (t) => {
  const { provider, calls } = scriptedProvider(
    'alpha',
    [
      model(
        'one',
        {},
        { price: { readOn: '2026-11-27', source: 'https://example.test/prices', perImage: [{ usd: 0.01 }] } },
      ),
    ],
    [() => pngResult(30, 20)],
  );
  const { service, store } = setup(t, [provider]);
  const tally = tallyFor('design');
  tally.askedFor({ kind: 'generate', n: 3, prompt: 'a cat' });
  const result = await service.run(request({ n: 3 }), { ...context, client: { name: 'design' }, tally });
  t.equal(calls.length, 3, 'n=3 with one image per call makes three calls');
  t.equal(result.model, 'alpha/one');
  t.equal(result.images.length, 3);
  t.same(
    [result.images[0]!.width, result.images[0]!.height, result.images[0]!.mimeType],
    [30, 20, 'image/png'],
  );
  t.same(await readFile(store.filePath(result.images[0]!)), result.images[0]!.data);
  t.same(result.usage, { images: 3, estimatedCostUsd: 0.03 });
  t.same(tally.finish({ status: 200 }, 1250), {
    time: new Date(1250).toISOString(),
    requestId: 'req_1',
    client: 'design',
    route: '/v1/images',
    kind: 'generate',
    status: 200,
    attempts: 1,
    vendorCalls: 3,
    modelResolved: 'alpha/one',
    provider: 'alpha',
    model: 'one',
    imagesAsked: 3,
    images: 3,
    estimatedCostUsd: 0.03,
    prompt: 'a cat',
    imageIds: result.images.map((image) => image.id),
    latencyMs: 250,
  });
});

t.test("a retryable error is retried with the vendor's Retry-After; a quota error is not", async (t) => {
  const flaky = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => {
        throw new RateLimitedError('busy', { retryAfterMs: 1500 });
      },
      () => pngResult(),
    ],
  );
  const first = setup(t, [flaky.provider]);
  await first.service.run(request(), context);
  t.equal(flaky.calls.length, 2);
  t.same(first.sleeps, [1500]);

  const broke = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => {
        throw new QuotaExhaustedError('no balance');
      },
    ],
  );
  const second = setup(t, [broke.provider]);
  await t.rejects(second.service.run(request(), context), QuotaExhaustedError);
  t.equal(broke.calls.length, 1);
  t.same(second.sleeps, []);
});

t.test('a failing model falls back to the next one, with a warning', async (t) => {
  const down = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => {
        throw new UpstreamUnavailableError('down');
      },
    ],
  );
  const up = scriptedProvider('beta', [model('two')], [() => pngResult()]);
  const { service } = setup(t, [down.provider, up.provider], { fallbacks: { 'alpha/one': ['beta/two'] } });
  const result = await service.run(request(), context);
  t.equal(result.model, 'beta/two');
  t.equal(down.calls.length, 3, 'the primary was retried first');
  t.match(result.warnings, [{ feature: 'model' }]);
});

t.test('a refusal does not fall back: another vendor must not launder it', async (t) => {
  const refusing = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => {
        throw new ContentPolicyError('no');
      },
    ],
  );
  const up = scriptedProvider('beta', [model('two')], [() => pngResult()]);
  const { service } = setup(t, [refusing.provider, up.provider]);
  await t.rejects(service.run(request({ fallbackModels: ['beta/two'] }), context), ContentPolicyError);
  t.equal(up.calls.length, 0);
});

t.test('zero images is never a success', async (t) => {
  const empty = scriptedProvider(
    'alpha',
    [model('one')],
    [(): ProviderResult => ({ images: [], warnings: [] })],
  );
  const { service } = setup(t, [empty.provider]);
  await t.rejects(service.run(request(), context), { code: 'INVALID_UPSTREAM_RESPONSE', status: 502 });
});

t.test('some batches failing returns the rest with a partial_failure warning', async (t) => {
  const half = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => pngResult(),
      () => {
        throw new QuotaExhaustedError('gone');
      },
    ],
  );
  const { service } = setup(t, [half.provider], { keys: 2 });
  const result = await service.run(request({ n: 2 }), context);
  t.equal(result.images.length, 1);
  t.match(result.warnings, [{ type: 'partial_failure' }]);
});

t.test('URL results are downloaded and stored; a URL that is not an image is a 502', async (t) => {
  const png = solidPng(12, 12);
  const server = createServer((incoming, response) => {
    if (incoming.url === '/good.png') response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = scriptedProvider(
    'alpha',
    [model('one')],
    [
      () => ({ images: [{ kind: 'url', url: `${base}/good.png` }], warnings: [] }),
      () => ({ images: [{ kind: 'url', url: `${base}/bad.png` }], warnings: [] }),
    ],
  );
  const { service } = setup(t, [urls.provider]);
  const result = await service.run(request(), context);
  t.same(result.images[0]!.data, png);
  await t.rejects(service.run(request(), context), { code: 'INVALID_UPSTREAM_RESPONSE' });
});

t.test("provider options are checked by the adapter's strict schema", async (t) => {
  const { provider, calls } = scriptedProvider('alpha', [model('one')], [() => pngResult()]);
  const { service } = setup(t, [provider]);
  await t.rejects(service.run(request({ providerOptions: { alpha: { colour: 'red' } } }), context), {
    status: 400,
    code: 'UNKNOWN_PARAMETER',
    param: 'provider_options.alpha.colour',
  });
  await t.rejects(service.run(request({ providerOptions: { alpha: { style: 'c' } } }), context), {
    status: 400,
    code: 'INVALID_PROVIDER_OPTION',
    param: 'provider_options.alpha.style',
  });
  await t.rejects(service.run(request({ providerOptions: { gamma: {} } }), context), {
    status: 400,
    code: 'UNKNOWN_PROVIDER_OPTIONS',
  });
  t.equal(calls.length, 0, 'no call was made for a bad option');
  await service.run(request({ providerOptions: { alpha: { style: 'a' } } }), context);
  t.same(calls[0]!.providerOptions, { style: 'a' });
});

t.test('OpenAI-only settings warn on other providers instead of vanishing', async (t) => {
  const { provider } = scriptedProvider('alpha', [model('one')], [() => pngResult()]);
  const { service } = setup(t, [provider]);
  const result = await service.run(request({ openaiOptions: { style: 'vivid' } }), context);
  t.match(result.warnings, [{ type: 'unsupported', feature: 'style' }]);
});

t.test('a client limited to some models gets 403 for others', async (t) => {
  const { provider } = scriptedProvider('alpha', [model('one'), model('two')], [() => pngResult()]);
  const { service } = setup(t, [provider]);
  const client = { name: 'design', models: ['alpha/one'] };
  await service.run(request({ model: 'alpha/one' }), { ...context, client });
  await t.rejects(service.run(request({ model: 'alpha/two' }), { ...context, client }), {
    status: 403,
    code: 'MODEL_NOT_ALLOWED',
  });
});

t.test('a rejected credential leaves rotation; the pool moves to the next key', async (t) => {
  const seen: string[] = [];
  const { provider } = scriptedProvider(
    'alpha',
    [model('one')],
    [
      (call) => {
        seen.push(call.credential.id);
        throw new QuotaExhaustedError('gone');
      },
      (call) => {
        seen.push(call.credential.id);
        return pngResult();
      },
    ],
  );
  const { service, pools } = setup(t, [provider], { keys: 2 });
  await t.rejects(service.run(request(), context), QuotaExhaustedError);
  await service.run(request(), context);
  await service.run(request(), context);
  t.same(seen, ['alpha#1', 'alpha#2', 'alpha#2']);
  t.equal(pools.get('alpha')!.available, 1);
});

t.test('split calls learn their place in the request', async (t) => {
  const { provider, calls } = scriptedProvider(
    'alpha',
    [model('one', { maxImagesPerCall: 2, maxImagesPerRequest: 5 })],
    [() => pngResult()],
  );
  const { service } = setup(t, [provider]);
  await service.run(request({ n: 5 }), context);
  t.same(calls.map((call) => [call.n, call.imageOffset]).sort(), [
    [1, 4],
    [2, 0],
    [2, 2],
  ]);
});

t.test(
  'a vendor image that is not whole is never stored: retried, then 502 invalid_upstream_response',
  async (t) => {
    const png = solidPng(32, 32);
    let served = 0;
    const server = createServer((_incoming, response) => {
      served++;
      // The first half of the PNG, then the connection closes cleanly.
      response.writeHead(200, { 'content-type': 'image/png' }).end(png.subarray(0, png.length >> 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/half.png`;
    const halves = scriptedProvider(
      'alpha',
      [model('one')],
      [() => ({ images: [{ kind: 'url', url }], warnings: [] })],
    );
    const { service } = setup(t, [halves.provider]);
    const tally = tallyFor();
    const error = await service.run(request(), { ...context, tally }).catch((caught: unknown) => caught);
    t.match(error, { code: 'INVALID_UPSTREAM_RESPONSE', status: 502, provider: 'alpha' });
    t.equal(served, 3, 'fetched again like any failed download (retries: 2)');
    t.match(tally.finish({ status: 502, errorCode: 'invalid_upstream_response' }, 2000), {
      images: 0,
      vendorCalls: 1,
      errorCode: 'invalid_upstream_response',
    });

    // Inline bytes: the vendor call itself is retried, and the second answer is used.
    const truncated = scriptedProvider(
      'beta',
      [model('one')],
      [
        () => ({
          images: [{ kind: 'base64', data: Buffer.from(png.subarray(0, 100)).toString('base64') }],
          warnings: [],
        }),
        () => pngResult(24, 24),
      ],
    );
    const second = setup(t, [truncated.provider]);
    const result = await second.service.run(request(), context);
    t.equal(truncated.calls.length, 2);
    t.equal(result.images[0]!.width, 24);

    const alwaysBroken = scriptedProvider(
      'gamma',
      [model('one')],
      [() => ({ images: [{ kind: 'bytes', data: png.subarray(0, png.length - 12) }], warnings: [] })],
    );
    const third = setup(t, [alwaysBroken.provider]);
    await t.rejects(third.service.run(request(), context), { code: 'INVALID_UPSTREAM_RESPONSE' });
    t.equal(alwaysBroken.calls.length, 3);
  },
);
