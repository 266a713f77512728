import t from 'tap';
import { createFalFake, tinyPng } from '@uig/testkit';
import { createFalProvider } from '../src/index.js';
import { callFor } from './helpers.js';

const image = { data: tinyPng(), mimeType: 'image/png', width: 8, height: 8 };

t.test('an endpoint the config names is offered, with its input mapping', async (t) => {
  const fake = await createFalFake({
    endpoints: ['fal-ai/flux-pro/v1/fill', 'fal-ai/recraft/v3/text-to-image'],
  }).start();
  t.teardown(() => fake.close());
  const provider = createFalProvider({
    id: 'fal',
    baseURL: fake.url,
    fetch: globalThis.fetch,
    sleep: async () => {},
    options: {
      onlyDeclared: true,
      endpoints: [
        {
          id: 'fal-ai/recraft/v3/text-to-image',
          input: {
            aspectRatio: 'aspect_ratio',
            negativePrompt: 'negative_prompt',
            fixed: { style: 'digital_illustration' },
          },
          aspectRatios: ['1:1', '16:9'],
          price: { usd: 0.04, readOn: '2026-11-20', source: 'https://fal.ai/models/fal-ai/recraft/v3' },
        },
        {
          id: 'fal-ai/flux-pro/v1/fill',
          description: 'FLUX.1 Fill [pro]: inpainting with a mask.',
          input: { image: 'image_url', mask: 'mask_url', size: { field: 'size', format: 'string' } },
          sizes: { allowed: ['1024x1024'], default: '1024x1024' },
        },
      ],
    },
  });
  t.same(
    provider.models.map((model) => model.id),
    ['fal-ai/recraft/v3/text-to-image', 'fal-ai/flux-pro/v1/fill'],
  );
  t.equal(provider.defaultModel, 'fal-ai/recraft/v3/text-to-image', 'the first declared one');
  const recraft = provider.models[0]!;
  t.match(recraft.capabilities, {
    generate: true,
    edit: false,
    negativePrompt: true,
    seed: false,
    aspectRatios: ['1:1', '16:9'],
  });
  t.same(recraft.price, {
    readOn: '2026-11-20',
    source: 'https://fal.ai/models/fal-ai/recraft/v3',
    perImage: [{ usd: 0.04 }],
  });
  const fill = provider.models[1]!;
  t.match(fill.capabilities, {
    generate: false,
    edit: true,
    mask: true,
    maxInputImages: 1,
    sizes: { allowed: ['1024x1024'] },
  });

  await provider.generate(
    callFor({
      model: 'fal-ai/recraft/v3/text-to-image',
      size: undefined,
      aspectRatio: '16:9',
      negativePrompt: 'blur',
    }),
  );
  await provider.edit!(callFor({ model: 'fal-ai/flux-pro/v1/fill', images: [image], mask: image }));
  const [recraftSubmit, fillSubmit] = fake.requests.filter((request) => request.method === 'POST');
  t.equal(recraftSubmit!.path, '/fal-ai/recraft/v3/text-to-image');
  t.same(recraftSubmit!.json, {
    style: 'digital_illustration',
    prompt: 'a red fox in snow',
    aspect_ratio: '16:9',
    negative_prompt: 'blur',
  });
  const dataUri = `data:image/png;base64,${tinyPng().toString('base64')}`;
  t.same(fillSubmit!.json, {
    prompt: 'a red fox in snow',
    size: '1024x1024',
    image_url: dataUri,
    mask_url: dataUri,
  });
  t.ok(fake.requests.some((request) => request.path.startsWith('/fal-ai/recraft/requests/')));
});

t.test('bad endpoint declarations stop startup naming the field', async (t) => {
  const make =
    (endpoint: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    () =>
      createFalProvider({
        id: 'fal',
        baseURL: 'http://127.0.0.1:9',
        fetch: globalThis.fetch,
        options: { endpoints: [endpoint], ...extra },
      });
  t.throws(make({ id: 'no-slash' }), /options\.endpoints\.0\.id/);
  t.throws(make({ id: 'a/b', maxImagesPerCall: 4 }), /maxImagesPerCall: above 1 needs input.numImages/);
  t.throws(make({ id: 'a/b', input: { aspectRatio: 'ratio' } }), /aspectRatios/);
  t.throws(make({ id: 'a/b', input: { mask: 'mask_url' } }), /input\.mask/);
  t.throws(make({ id: 'a/b', input: { promt: 'x' } }), /input/, 'strict: a misspelt field');
  t.throws(make({ id: 'a/b' }, { defaultModel: 'c/d' }), /defaultModel/);
  t.doesNotThrow(make({ id: 'a/b' }), 'a bare id takes a prompt only');
});
