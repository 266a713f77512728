import t from 'tap';
import { z } from 'zod';
import { ConfigError, ModelRegistry, type ImageProvider, type ModelDescriptor } from '@uig/core';
import { resolveSeedDefaults } from '../src/seed-defaults.js';

const model = (id: string): ModelDescriptor => ({
  id,
  description: id,
  capabilities: {
    generate: true,
    edit: true,
    mask: false,
    maxImagesPerCall: 1,
    maxImagesPerRequest: 1,
    maxInputImages: 1,
    seed: false,
    negativePrompt: false,
    delivery: 'bytes',
    maxPromptLength: 100,
  },
});

const provider = (id: string, models: string[], defaultModel = models[0]!): ImageProvider => ({
  id,
  models: models.map(model),
  defaultModel,
  optionsSchema: z.object({}).strict(),
  generate: async () => ({ images: [], warnings: [] }),
});

const registry = new ModelRegistry([
  {
    provider: provider('gemini', [
      'gemini-2.5-flash-image',
      'imagen-4.0-generate-001',
      'imagen-4.0-fast-generate-001',
    ]),
    type: 'gemini',
  },
  { provider: provider('cogview', ['cogview-4-250304', 'cogview-3-flash']), type: 'cogview' },
  { provider: provider('wanx', ['wanx2.1-t2i-turbo', 'wanx2.1-imageedit']), type: 'wanx' },
]);

t.test('IMAGE_PROVIDER and its aliases pick the seed tools’ models', async (t) => {
  for (const name of ['google', 'gemini', 'GOOGLE']) {
    const seed = resolveSeedDefaults({ IMAGE_PROVIDER: name }, registry);
    t.equal(seed.provider, 'google');
    t.equal(seed.generateModel(), 'gemini/gemini-2.5-flash-image', name);
    t.equal(seed.generateModel('imagen'), 'gemini/imagen-4.0-generate-001');
    t.equal(seed.editModel(), 'gemini/gemini-2.5-flash-image', 'Imagen cannot edit: transforms use Gemini');
  }
  const imagen = resolveSeedDefaults({ IMAGE_PROVIDER: 'google', GOOGLE_MODEL: 'imagen' }, registry);
  t.equal(imagen.generateModel(), 'gemini/imagen-4.0-generate-001');
  t.equal(
    imagen.generateModel('gemini'),
    'gemini/gemini-2.5-flash-image',
    'model_type overrides GOOGLE_MODEL',
  );
  for (const name of ['zhipuai', 'cogview', 'cogview-4', 'zhipu']) {
    t.equal(
      resolveSeedDefaults({ IMAGE_PROVIDER: name }, registry).generateModel(),
      'cogview/cogview-4-250304',
      name,
    );
  }
  for (const name of ['bailian', 'dashscope', 'alibaba']) {
    const seed = resolveSeedDefaults({ IMAGE_PROVIDER: name }, registry);
    t.equal(seed.generateModel(), 'wanx/wanx2.1-t2i-turbo', name);
    t.equal(seed.editModel(), 'wanx/wanx2.1-imageedit', name);
  }
  const unset = resolveSeedDefaults({}, registry);
  t.equal(unset.generateModel(), undefined, 'no IMAGE_PROVIDER: the gateway default');
  t.equal(unset.problem, undefined);
});

t.test(
  'a provider that is not configured is reported with the key it needs; bad values stop startup',
  async (t) => {
    const onlyCogview = new ModelRegistry([
      { provider: provider('cogview', ['cogview-4-250304']), type: 'cogview' },
    ]);
    t.match(resolveSeedDefaults({ IMAGE_PROVIDER: 'bailian' }, onlyCogview).problem, /DASHSCOPE_API_KEY/);
    t.throws(() => resolveSeedDefaults({ IMAGE_PROVIDER: 'midjourney' }, registry), ConfigError);
    t.throws(() => resolveSeedDefaults({ GOOGLE_MODEL: 'dalle' }, registry), ConfigError);
  },
);
