import t from 'tap';
import { tinyPng } from '@uig/testkit';
import { createReplicateFake } from '@uig/testkit';
import { createReplicateProvider } from '../src/index.js';
import { callFor, setup } from './helpers.js';

t.test('Prefer: wait answers a finished prediction: no poll, the id reported, a list output', async (t) => {
  const { fake, provider, sleeps } = await setup(t);
  const taskIds: string[] = [];
  const result = await provider.generate(
    callFor({
      n: 2,
      seed: 3,
      aspectRatio: '16:9',
      providerOptions: { input: { output_format: 'png' } },
      onTaskId: (id) => taskIds.push(id),
    }),
  );
  const [create] = fake.requests.filter((request) => request.method === 'POST');
  t.equal(create!.path, '/v1/models/black-forest-labs/flux-schnell/predictions');
  t.equal(create!.headers.authorization, 'Bearer r8_token');
  t.equal(create!.headers.prefer, 'wait=60', 'docs/providers/replicate.md §10.1: hold up to 60 s');
  t.same(create!.json, {
    input: {
      output_format: 'png',
      prompt: 'a red fox in snow',
      aspect_ratio: '16:9',
      num_outputs: 2,
      seed: 3,
    },
  });
  const [prediction] = [...fake.predictions.values()];
  t.same(taskIds, [prediction!.id]);
  t.same(sleeps, []);
  t.equal(result.images.length, 2);
  t.equal(result.vendorRequestId, prediction!.id);
  const image = result.images[0]!;
  t.equal(image.kind, 'url');
  if (image.kind === 'url') t.same(Buffer.from(await (await fetch(image.url)).arrayBuffer()), tinyPng());
});

t.test('an unfinished prediction is polled at urls.get; output as one string', async (t) => {
  const { fake, provider, sleeps } = await setup(t, { fake: { pollsUntilDone: 3, outputShape: 'string' } });
  const result = await provider.generate(callFor({ model: 'black-forest-labs/flux-1.1-pro' }));
  const [prediction] = [...fake.predictions.values()];
  const gets = fake.requests.filter(
    (request) => request.method === 'GET' && request.path.startsWith('/v1/predictions/'),
  );
  t.equal(gets.length, 3);
  t.ok(
    gets.every(
      (get) =>
        get.path === `/v1/predictions/${prediction!.id}` && get.headers.authorization === 'Bearer r8_token',
    ),
  );
  t.same(sleeps, [500, 500, 500], 'docs/providers/replicate.md §10.3: the SDK polls every 500 ms');
  t.equal(result.images.length, 1);
});

t.test('Kontext edits send the input image as a data URL; large ones need a public URL', async (t) => {
  const { fake, provider } = await setup(t);
  const small = { data: tinyPng(), mimeType: 'image/png', width: 8, height: 8 };
  await provider.edit!(
    callFor({ model: 'black-forest-labs/flux-kontext-pro', aspectRatio: undefined, images: [small] }),
  );
  const [create] = fake.requests.filter((request) => request.method === 'POST');
  t.same(create!.json, {
    input: {
      prompt: 'a red fox in snow',
      input_image: `data:image/png;base64,${tinyPng().toString('base64')}`,
    },
  });

  const large = { ...small, data: new Uint8Array(300 * 1024) };
  const refused = await provider.edit!(
    callFor({ model: 'black-forest-labs/flux-kontext-pro', images: [large] }),
  ).catch((error) => error);
  t.equal(refused.code, 'IMAGE_TOO_LARGE');
  await provider.edit!(
    callFor({
      model: 'black-forest-labs/flux-kontext-pro',
      images: [large],
      publicUrlFor: async () => 'https://gateway.example/i/1',
    }),
  );
  const last = fake.requests.filter((request) => request.method === 'POST').at(-1)!;
  t.equal((last.json as { input: { input_image: string } }).input.input_image, 'https://gateway.example/i/1');
});

t.test('a configured community model runs by version through POST /predictions', async (t) => {
  const version = 'a'.repeat(64);
  const fake = await createReplicateFake({ versions: [version] }).start();
  t.teardown(() => fake.close());
  const provider = createReplicateProvider({
    id: 'replicate',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: {
      models: [
        {
          id: 'someone/pixel-art',
          version,
          input: {
            width: 'width',
            height: 'height',
            negativePrompt: 'negative_prompt',
            fixed: { style: 'pixel' },
          },
          sizes: { minSide: 256, maxSide: 1024, multipleOf: 64, default: '512x512' },
        },
      ],
    },
  });
  const declared = provider.models.find((model) => model.id === 'someone/pixel-art')!;
  t.match(declared.capabilities, { negativePrompt: true, seed: false, sizes: { default: '512x512' } });
  t.ok(
    provider.models.some((model) => model.id === 'black-forest-labs/flux-schnell'),
    'built-in ones stay',
  );
  await provider.generate(
    callFor({
      model: 'someone/pixel-art',
      aspectRatio: undefined,
      size: { width: 512, height: 768 },
      negativePrompt: 'blur',
    }),
  );
  const [create] = fake.requests.filter((request) => request.method === 'POST');
  t.equal(create!.path, '/v1/predictions');
  t.same(create!.json, {
    version,
    input: { style: 'pixel', prompt: 'a red fox in snow', width: 512, height: 768, negative_prompt: 'blur' },
  });
  t.throws(
    () =>
      provider.check!(callFor({ model: 'someone/pixel-art', size: { width: 500, height: 500 } }), 'generate'),
    { code: 'INVALID_SIZE' },
  );
});

t.test('the catalog and check()', async (t) => {
  const { fake, provider } = await setup(t);
  t.equal(provider.defaultModel, 'black-forest-labs/flux-schnell');
  for (const id of [
    'black-forest-labs/flux-dev',
    'ideogram-ai/ideogram-v3-turbo',
    'recraft-ai/recraft-v3',
    'bytedance/seedream-4',
  ])
    t.ok(
      provider.models.some((model) => model.id === id),
      id,
    );
  t.ok(
    provider.models.every(
      (model) => model.capabilities.promptLanguage === 'en' && model.lifecycle?.status === 'active',
    ),
  );
  t.ok(
    provider.models.every((model) => model.price === undefined),
    'docs/providers/replicate.md §16: no price captured, none made up',
  );
  t.throws(() => provider.check!(callFor({ n: 5 }), 'generate'), { code: 'INVALID_N' });
  t.throws(() => provider.check!(callFor({ providerOptions: { input: { seed: 1 } } }), 'generate'), {
    code: 'INVALID_PROVIDER_OPTION',
  });
  t.throws(() => provider.check!(callFor({ model: 'black-forest-labs/flux-kontext-pro' }), 'generate'), {
    code: 'IMAGE_REQUIRED',
  });
  t.throws(() => provider.check!(callFor({ model: 'nobody/nothing' }), 'generate'), {
    code: 'MODEL_NOT_FOUND',
  });
  t.equal(provider.optionsSchema.safeParse({ inputs: {} }).success, false, 'strict options');
  t.throws(
    () =>
      createReplicateProvider({
        id: 'replicate',
        baseURL: 'x',
        fetch,
        options: { models: [{ id: 'a/b', maxImagesPerCall: 2 }] },
      }),
    /options\.models\.0\.maxImagesPerCall/,
  );
  t.equal(fake.requests.length, 0);
});

t.test(
  'a create answered 200 instead of 201 (docs/providers/replicate.md §10.1, unverified) works the same',
  async (t) => {
    const { provider } = await setup(t, { fake: { createStatus: 200 } });
    t.equal((await provider.generate(callFor())).images.length, 1);
  },
);
