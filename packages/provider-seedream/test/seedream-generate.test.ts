import t from 'tap';
import { sniffImage } from '@uig/core';
import { seedreamTriggers } from '@uig/testkit';
import { createSeedreamProvider } from '../src/index.js';
import { callFor, pngInput, setup } from './helpers.js';

t.test('generate: the body, watermark off by default, a URL result and token usage', async (t) => {
  const { fake, provider } = await setup(t);
  const result = await provider.generate(callFor());
  const sent = fake.requests[0]!;
  t.equal(sent.path, '/api/v3/images/generations');
  t.equal(sent.headers.authorization, 'Bearer ark-test');
  t.same(sent.json, {
    model: 'seedream-4-0-250828',
    prompt: 'a tea house in the rain',
    response_format: 'url',
    watermark: false,
    size: '2048x2048',
  });
  const image = result.images[0]!;
  t.equal(image.kind, 'url');
  if (image.kind === 'url') t.ok(sniffImage(new Uint8Array(await (await fetch(image.url)).arrayBuffer())));
  t.same(result.usage, { outputTokens: 16_384, totalTokens: 16_384 });
  t.type(result.vendorRequestId, 'string');
});

t.test('image to image: one reference as a string, several as an array of data URIs; tiers', async (t) => {
  const { fake, provider } = await setup(t);
  await provider.edit!(callFor({ images: [pngInput()], size: undefined }));
  t.match(fake.calls[0]!.body, { image: /^data:image\/png;base64,/ });
  await provider.edit!(
    callFor({ images: [pngInput(), pngInput()], providerOptions: { size_tier: '4K', watermark: true } }),
  );
  const body = fake.calls[1]!.body;
  t.equal((body.image as string[]).length, 2);
  t.equal(body.size, '4K');
  t.equal(body.watermark, true);
  t.match(provider.check!(callFor({ providerOptions: { size_tier: '4K' } }), 'generate'), [
    { type: 'adjusted', feature: 'size' },
  ]);
  t.throws(
    () =>
      provider.check!(
        callFor({ model: 'seedream-4-5-251128', providerOptions: { size_tier: '1K' } }),
        'generate',
      ),
    { code: 'INVALID_REQUEST', param: 'provider_options.seedream.size_tier' },
  );
});

t.test(
  'image sets: sequential auto returns several images; a blocked one is a partial failure',
  async (t) => {
    const { fake, provider } = await setup(t);
    const options = { sequential_image_generation: 'auto', max_images: 3 };
    const set = await provider.generate(callFor({ providerOptions: options }));
    t.equal(set.images.length, 3);
    t.same(fake.calls[0]!.body.sequential_image_generation_options, { max_images: 3 });
    const partial = await provider.generate(
      callFor({ prompt: `x ${seedreamTriggers.lastImageBlocked}`, providerOptions: options }),
    );
    t.equal(partial.images.length, 2);
    t.match(partial.warnings, [{ type: 'partial_failure', message: /OutputImageSensitiveContentDetected/ }]);
    t.throws(() => provider.check!(callFor({ providerOptions: { max_images: 3 } }), 'generate'), {
      code: 'INVALID_REQUEST',
    });
  },
);

t.test(
  'streaming: partial_succeeded as progress, partial_failed as a warning, completed usage',
  async (t) => {
    const { fake, provider } = await setup(t);
    const messages: string[] = [];
    const result = await provider.generate(
      callFor({
        prompt: `x ${seedreamTriggers.lastImageBlocked}`,
        providerOptions: { stream: true, sequential_image_generation: 'auto', max_images: 2 },
        onProgress: (event) => event.type === 'status' && messages.push(event.message),
      }),
    );
    t.equal(fake.calls[0]!.stream, true);
    t.equal(result.images.length, 1);
    t.match(result.warnings, [{ type: 'partial_failure' }]);
    t.same(result.usage, { outputTokens: 16_384, totalTokens: 16_384 });
    t.match(messages, [/image 1 ready/, /image 2 failed/]);
    // §11.5: a validation error with stream: true is still JSON.
    await t.rejects(
      provider.generate(callFor({ size: { width: 100, height: 100 }, providerOptions: { stream: true } })),
      { code: 'INVALID_SIZE', vendorCode: 'InvalidParameter' },
    );
  },
);

t.test(
  'model ids: doubao- on Volcengine (CN) hosts, bare on BytePlus; output_format only for 5.0',
  async (t) => {
    const { fake } = await setup(t);
    const cn = createSeedreamProvider({
      id: 'seedream',
      baseURL: fake.apiBaseURL,
      fetch: globalThis.fetch,
      options: { modelIds: 'cn' },
    });
    await cn.generate(callFor());
    t.equal(fake.calls[0]!.body.model, 'doubao-seedream-4-0-250828');
    const seen: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(`${String(input)} ${JSON.parse(String(init?.body)).model}`);
      return new Response('{"error":{"code":"AuthenticationError","message":"no"}}', { status: 401 });
    };
    const intl = createSeedreamProvider({
      id: 'seedream',
      baseURL: '',
      fetch: recording,
      options: { region: 'intl' },
    });
    await t.rejects(intl.generate(callFor()), { code: 'UPSTREAM_AUTHENTICATION' });
    const china = createSeedreamProvider({ id: 'seedream', baseURL: '', fetch: recording, options: {} });
    await t.rejects(china.generate(callFor()));
    t.same(seen, [
      'https://ark.ap-southeast.bytepluses.com/api/v3/images/generations seedream-4-0-250828',
      'https://ark.cn-beijing.volces.com/api/v3/images/generations doubao-seedream-4-0-250828',
    ]);
    const { provider } = await setup(t);
    t.match(provider.check!(callFor({ providerOptions: { output_format: 'png' } }), 'generate'), [
      { type: 'unsupported', feature: 'provider_options.seedream.output_format' },
    ]);
    await provider.generate(
      callFor({ model: 'seedream-5-0-260128', providerOptions: { output_format: 'png' } }),
    );
  },
);
