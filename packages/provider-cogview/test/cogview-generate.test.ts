import t from 'tap';
import {
  InvalidRequestError,
  ModelNotFoundError,
  UnsupportedCapabilityError,
  planCall,
  type ImageRequest,
} from '@uig/core';
import { tinyPng } from '@uig/testkit';
import { cogviewPlugin, createCogviewProvider } from '../src/index.js';
import { callFor, caught, setup } from './helpers.js';

t.test('each sync model returns the URL the fake serves, with content_filter', async (t) => {
  const { fake, provider } = await setup(t);
  for (const model of ['cogview-4-250304', 'cogview-4', 'cogview-3-flash', 'cogview-3-plus']) {
    const result = await provider.generate(callFor({ model }));
    t.equal(result.images.length, 1, model);
    const image = result.images[0]!;
    t.equal(image.kind, 'url', model);
    if (image.kind !== 'url') continue;
    t.ok(image.url.startsWith(fake.url), model);
    t.same(Buffer.from(await (await fetch(image.url)).arrayBuffer()), tinyPng(), model);
    t.same(result.metadata, { content_filter: [{ role: 'assistant', level: 3 }] }, model);
    t.same(result.warnings, [], model);
  }
  t.equal(fake.callsTo('/images/generations').length, 4);
});

t.test(
  'the request body follows docs/providers/cogview.md §1.3 and the key goes in a bearer header',
  async (t) => {
    const { fake, provider } = await setup(t);
    await provider.generate(
      callFor({
        size: { width: 1344, height: 768 },
        quality: 'hd',
        providerOptions: { user_id: 'end-user-42', watermark_enabled: false },
      }),
    );
    const [sent] = fake.callsTo('/api/paas/v4/images/generations');
    t.equal(sent!.method, 'POST');
    t.equal(sent!.headers.authorization, 'Bearer key-id.key-secret');
    t.match(sent!.headers['content-type'], /application\/json/);
    t.same(sent!.json, {
      model: 'cogview-4-250304',
      prompt: 'a red fox in snow',
      size: '1344x768',
      quality: 'hd',
      user_id: 'end-user-42',
      watermark_enabled: false,
    });

    await provider.generate(callFor({ providerOptions: { quality: 'standard', user_id: null } }));
    t.same(fake.callsTo('/images/generations')[1]!.json, {
      model: 'cogview-4-250304',
      prompt: 'a red fox in snow',
      size: '1024x1024',
      quality: 'standard',
    });
    await provider.generate(callFor());
    t.same(fake.callsTo('/images/generations')[2]!.json, {
      model: 'cogview-4-250304',
      prompt: 'a red fox in snow',
      size: '1024x1024',
    });
  },
);

t.test('a credential base URL wins over the provider base URL', async (t) => {
  const { fake } = await setup(t);
  const provider = createCogviewProvider({
    id: 'cogview',
    baseURL: 'http://127.0.0.1:9/nowhere',
    fetch: globalThis.fetch,
    options: {},
  });
  const result = await provider.generate(
    callFor({ credential: { id: 'cogview#2', apiKey: 'k', baseURL: `${fake.apiBaseURL}/` } }),
  );
  t.equal(result.images.length, 1);
  t.equal(fake.callsTo('/images/generations').length, 1);
});

t.test('vendorRequestId comes from the body when the vendor sends one', async (t) => {
  const { provider } = await setup(t, { fake: { requestIdInBodies: true } });
  const result = await provider.generate(callFor());
  t.type(result.vendorRequestId, 'string');
});

t.test('sizes the vendor would reject are refused before any call', async (t) => {
  const { fake, provider } = await setup(t);
  const refused: Array<[string, number, number]> = [
    ['cogview-4', 1000, 1000], // not a multiple of 16
    ['cogview-4', 2048, 2048], // over 2^21 px
    ['cogview-3-flash', 256, 256], // under 512
    ['glm-image', 1040, 1040], // a multiple of 16, not of 32
    ['glm-image', 768, 1344], // under 1024: a CogView size, not a glm-image one
  ];
  for (const [model, width, height] of refused) {
    const call = callFor({ model, size: { width, height } });
    const checkError = await caught(
      t,
      Promise.resolve().then(() => provider.check!(call, 'generate')),
    );
    t.type(checkError, InvalidRequestError, `${model} ${width}x${height}`);
    t.equal(checkError.code, 'INVALID_SIZE');
    t.equal(checkError.param, 'size');
    const generateError = await caught(t, provider.generate(call));
    t.type(generateError, InvalidRequestError);
    t.equal(generateError.param, 'size');
  }
  t.equal(fake.requests.length, 0);
  t.same(
    provider.check!(callFor({ model: 'glm-image', size: { width: 2048, height: 2048 } }), 'generate'),
    [],
  );
  t.same(
    provider.check!(callFor({ model: 'cogview-4', size: { width: 1440, height: 720 } }), 'generate'),
    [],
  );
});

t.test('quality: core field and provider option must agree; glm-image takes hd only', async (t) => {
  const { fake, provider } = await setup(t);
  const conflict = await caught(
    t,
    provider.generate(callFor({ quality: 'standard', providerOptions: { quality: 'hd' } })),
  );
  t.type(conflict, InvalidRequestError);
  t.equal(conflict.param, 'provider_options.cogview.quality');
  const glm = await caught(
    t,
    provider.generate(
      callFor({
        model: 'glm-image',
        size: { width: 1280, height: 1280 },
        providerOptions: { quality: 'standard' },
      }),
    ),
  );
  t.type(glm, InvalidRequestError);
  t.equal(glm.param, 'provider_options.cogview.quality');
  const glmCore = await caught(
    t,
    provider.generate(
      callFor({ model: 'glm-image', size: { width: 1280, height: 1280 }, quality: 'standard' }),
    ),
  );
  t.equal(glmCore.param, 'quality');
  t.equal(fake.requests.length, 0);
  await provider.generate(callFor({ quality: 'hd', providerOptions: { quality: 'hd' } }));
  t.equal((fake.callsTo('/images/generations')[0]!.json as any).quality, 'hd');
});

t.test('edits and unknown models are refused', async (t) => {
  const { provider } = await setup(t);
  const edit = await caught(
    t,
    Promise.resolve().then(() => provider.check!(callFor(), 'edit')),
  );
  t.type(edit, UnsupportedCapabilityError);
  const unknown = await caught(t, provider.generate(callFor({ model: 'cogview-9' })));
  t.type(unknown, ModelNotFoundError);
  t.equal(unknown.code, 'MODEL_NOT_FOUND');
});

t.test('provider options are strict', async (t) => {
  const { provider } = await setup(t);
  t.notOk(provider.optionsSchema.safeParse({ watermark: false }).success, 'unknown key');
  t.notOk(provider.optionsSchema.safeParse({ user_id: 'abc' }).success, 'user_id under 6 chars');
  t.notOk(provider.optionsSchema.safeParse({ user_id: 'x'.repeat(129) }).success, 'user_id over 128 chars');
  t.notOk(provider.optionsSchema.safeParse({ quality: 'ultra' }).success, 'quality');
  t.ok(
    provider.optionsSchema.safeParse({ quality: 'hd', user_id: 'abcdef', watermark_enabled: true }).success,
  );
  t.ok(provider.optionsSchema.safeParse({ quality: null }).success, 'null is "not given"');
});

t.test('capabilities drive core planning: one image per call, model defaults', async (t) => {
  const { provider } = await setup(t);
  t.equal(provider.defaultModel, 'cogview-4-250304');
  const glm = provider.models.find((model) => model.id === 'glm-image')!;
  t.equal(glm.capabilities.longRunning, true);
  t.same(glm.capabilities.qualities, ['hd']);
  const cogview = provider.models.find((model) => model.id === 'cogview-4')!;
  const request = {
    kind: 'generate',
    prompt: 'x',
    n: 3,
    images: [],
    providerOptions: {},
  } as unknown as ImageRequest;
  const plan = planCall(request, cogview, 'cogview/cogview-4');
  t.same(plan.batches, [1, 1, 1]);
  t.same(plan.size, { width: 1024, height: 1024 });
  t.same(planCall(request, glm, 'cogview/glm-image').size, { width: 1280, height: 1280 });
  const wide = planCall({ ...request, aspectRatio: '16:9' } as ImageRequest, cogview, 'cogview/cogview-4')
    .size!;
  t.same(
    provider.check!(callFor({ model: 'cogview-4', size: wide }), 'generate'),
    [],
    `16:9 planned as ${wide.width}x${wide.height}`,
  );
});

t.test('a call asking more than one image gets one and a warning', async (t) => {
  const { provider } = await setup(t);
  const result = await provider.generate(callFor({ n: 2 }));
  t.equal(result.images.length, 1);
  t.equal(result.warnings[0]?.feature, 'n');
});

t.test('plugin wiring and settings', async (t) => {
  t.equal(cogviewPlugin.type, 'cogview');
  t.same(cogviewPlugin.env, { apiKey: 'ZHIPU_API_KEY', baseURL: 'ZHIPU_BASE_URL' });
  t.equal(cogviewPlugin.defaultBaseURL, 'https://open.bigmodel.cn/api/paas/v4');
  t.same(cogviewPlugin.settingsSchema!.parse({}), { pollIntervalMs: 5000, pollTimeoutMs: 300000 });
  t.notOk(cogviewPlugin.settingsSchema!.safeParse({ pollInterval: 5 }).success);
  t.throws(() =>
    cogviewPlugin.create({
      id: 'cogview',
      baseURL: 'http://x',
      fetch: globalThis.fetch,
      options: { pollIntervalMs: 1 },
    }),
  );
  t.equal(
    cogviewPlugin.create({ id: 'zhipu-intl', baseURL: 'http://x', fetch: globalThis.fetch, options: {} }).id,
    'zhipu-intl',
  );
});
