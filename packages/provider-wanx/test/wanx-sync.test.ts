import t from 'tap';
import { ContentPolicyError, type ProviderCall } from '@uig/core';
import { dashScopeTriggers, type DashScopeFake } from '@uig/testkit';
import { callFor, caught, pngInput, setup } from './helpers.js';

/** Qwen-Image and Wan 2.6 on the synchronous multimodal-generation protocol (docs/providers/wanx.md §13.2). */

const syncCalls = (fake: DashScopeFake) =>
  fake.requests
    .filter((request) => request.path.endsWith('/multimodal-generation/generation'))
    .map((request) => ({ headers: request.headers, json: request.json as any }));

t.test('qwen-image-plus: one synchronous call, no async header, no polling, images as URLs', async (t) => {
  const { fake, provider, sleeps } = await setup(t);
  const result = await provider.generate(
    callFor({
      model: 'qwen-image-plus',
      size: { width: 1664, height: 928 },
      seed: 7,
      negativePrompt: 'blur',
    }),
  );
  t.equal(result.images.length, 1);
  t.match(result.images[0], { kind: 'url', url: /^http:\/\/127\.0\.0\.1/ });
  const [call] = syncCalls(fake);
  t.notOk(call!.headers['x-dashscope-async'], 'the sync protocol must not ask for a task');
  t.same(call!.json.input.messages, [
    { role: 'user', content: [{ text: 'a flower shop with carved windows' }] },
  ]);
  t.same(call!.json.parameters, { negative_prompt: 'blur', size: '1664*928', n: 1, seed: 7 });
  t.equal(fake.tasks.size, 0);
  t.same(sleeps, [], 'nothing to poll');
  t.match(result.vendorRequestId, /-/);
});

t.test('wan2.6-t2i asks for n images in one call', async (t) => {
  const { fake, provider } = await setup(t);
  const result = await provider.generate(
    callFor({ model: 'wan2.6-t2i', n: 4, size: { width: 1280, height: 1280 } }),
  );
  t.equal(result.images.length, 4);
  t.equal(syncCalls(fake)[0]!.json.parameters.n, 4);
});

t.test(
  'qwen-image-edit with two local images and no public URL: temporary uploads for that model, images before the text',
  async (t) => {
    const { fake, provider } = await setup(t);
    const { publicUrlFor: _unused, ...call } = callFor({
      model: 'qwen-image-edit',
      size: undefined,
      images: [pngInput(600, 600), pngInput(512, 768)],
      prompt: 'put the cat on the sofa',
    });
    const result = await provider.edit!(call as ProviderCall);
    t.equal(result.images.length, 1);
    t.equal(fake.uploads.files.size, 2);
    t.same(
      [...fake.uploads.files.values()].map((file) => file.model),
      ['qwen-image-edit', 'qwen-image-edit'],
    );
    const [sync] = syncCalls(fake);
    t.equal(sync!.headers['x-dashscope-ossresourceresolve'], 'enable');
    const content = sync!.json.input.messages[0].content;
    t.match(content, [{ image: /^oss:\/\// }, { image: /^oss:\/\// }, { text: 'put the cat on the sofa' }]);
  },
);

t.test('a refusal on the sync protocol is a content policy error', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(
    t,
    provider.generate(
      callFor({ model: 'qwen-image-max', size: undefined, prompt: dashScopeTriggers.dataInspection }),
    ),
  );
  t.type(error, ContentPolicyError);
});

t.test('the sync models are listed with their own rules', async (t) => {
  const { provider } = await setup(t);
  const byId = Object.fromEntries(provider.models.map((model) => [model.id, model]));
  for (const id of [
    'qwen-image-max',
    'qwen-image-plus',
    'qwen-image-2.0',
    'qwen-image-2.0-pro',
    'wan2.6-t2i',
  ])
    t.ok(byId[id]?.capabilities.generate, id);
  for (const id of ['qwen-image-edit', 'qwen-image-edit-plus', 'wan2.6-image'])
    t.ok(byId[id]?.capabilities.edit, id);
  t.equal(byId['qwen-image-plus']!.capabilities.maxImagesPerCall, 1);
  t.notOk(byId['qwen-image-plus']!.capabilities.longRunning, 'synchronous: no task to poll');
  t.equal(byId['qwen-image-plus']!.capabilities.promptLanguage, 'zh');
});
