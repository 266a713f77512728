import t from 'tap';
import { sniffImage, type ProgressEvent } from '@uig/core';
import { tinyPng } from '@uig/testkit';
import { callFor, setup } from './helpers.js';

t.test(
  'a generation is submitted to the full endpoint id, polled under owner/app, and its result read',
  async (t) => {
    const { fake, provider, sleeps } = await setup(t, { fake: { queuePolls: 2, progressPolls: 1 } });
    const events: ProgressEvent[] = [];
    const taskIds: string[] = [];
    const result = await provider.generate(
      callFor({
        n: 2,
        seed: 7,
        size: { width: 1024, height: 768 },
        providerOptions: { num_inference_steps: 20, output_format: 'png', priority: 'low' },
        onProgress: (event) => events.push(event),
        onTaskId: (id) => taskIds.push(id),
      }),
    );
    const [submit] = fake.requests.filter((request) => request.method === 'POST');
    t.equal(submit!.path, '/fal-ai/flux/dev');
    t.equal(submit!.headers.authorization, 'Key fal-key-1', 'docs/providers/fal.md §9.1: Key, not Bearer');
    t.equal(submit!.headers['x-fal-queue-priority'], 'low');
    t.same(submit!.json, {
      prompt: 'a red fox in snow',
      image_size: { width: 1024, height: 768 },
      num_images: 2,
      seed: 7,
      num_inference_steps: 20,
      output_format: 'png',
    });
    const [request] = [...fake.queued.values()];
    t.same(taskIds, [request!.id], 'the request id is reported as soon as it is known');
    const statusPolls = fake.requests.filter((entry) => entry.path.endsWith('/status'));
    t.equal(statusPolls.length, 4, '2 IN_QUEUE, 1 IN_PROGRESS, then COMPLETED');
    t.ok(statusPolls.every((poll) => poll.path === `/fal-ai/flux/requests/${request!.id}/status`));
    t.ok(statusPolls.every((poll) => poll.headers.authorization === 'Key fal-key-1'));
    t.same(sleeps, [500, 500, 500, 500], 'docs/providers/fal.md §9.2: 500 ms between polls');
    t.ok(events.some((event) => event.type === 'status' && /IN_QUEUE, position/.test(event.message)));

    t.equal(result.images.length, 2);
    t.equal(result.vendorRequestId, request!.id);
    t.same(result.warnings, []);
    t.match(result.metadata, { request_id: request!.id, seed: 7 });
    const image = result.images[0]!;
    t.equal(image.kind, 'url');
    if (image.kind === 'url') {
      t.equal(image.mimeType, 'image/png');
      t.same(Buffer.from(await (await fetch(image.url)).arrayBuffer()), tinyPng());
    }
  },
);

t.test('sync_mode answers with data URIs, delivered as base64', async (t) => {
  const { provider } = await setup(t);
  const result = await provider.generate(callFor({ providerOptions: { sync_mode: true } }));
  const image = result.images[0]!;
  t.equal(image.kind, 'base64');
  if (image.kind === 'base64')
    t.match(sniffImage(Buffer.from(image.data, 'base64')), { mimeType: 'image/png' });
});

t.test('an endpoint answering a single `image` (docs/providers/fal.md §9.3) is read too', async (t) => {
  const { provider } = await setup(t, { fake: { outputShape: 'image', nsfwField: 'nsfw_content_detected' } });
  const result = await provider.generate(callFor());
  t.equal(result.images.length, 1);
});

t.test('Kontext edits send the input image as a data URI in image_url', async (t) => {
  const { fake, provider } = await setup(t);
  const png = tinyPng();
  const result = await provider.edit!(
    callFor({
      model: 'fal-ai/flux-pro/kontext',
      size: undefined,
      images: [{ data: png, mimeType: 'image/png', width: 8, height: 8 }],
    }),
  );
  t.equal(result.images.length, 1);
  const [submit] = fake.requests.filter((request) => request.method === 'POST');
  t.equal(submit!.path, '/fal-ai/flux-pro/kontext');
  t.same(submit!.json, {
    prompt: 'a red fox in snow',
    image_url: `data:image/png;base64,${png.toString('base64')}`,
  });
  t.ok(
    fake.requests.some((request) => request.path.startsWith('/fal-ai/flux-pro/requests/')),
    'polled under owner/app',
  );
});

t.test('FLUX.2 edit takes several reference images as image_urls', async (t) => {
  const { fake, provider } = await setup(t);
  const image = { data: tinyPng(), mimeType: 'image/png', width: 8, height: 8 };
  await provider.edit!(callFor({ model: 'fal-ai/flux-2/edit', size: undefined, images: [image, image] }));
  const [submit] = fake.requests.filter((request) => request.method === 'POST');
  t.equal((submit!.json as { image_urls: string[] }).image_urls.length, 2);
});

t.test('the catalog: capabilities, prompt language, lifecycle and dated prices', async (t) => {
  const { provider } = await setup(t);
  t.equal(provider.defaultModel, 'fal-ai/flux/dev');
  const dev = provider.models.find((model) => model.id === 'fal-ai/flux/dev')!;
  t.match(dev.capabilities, {
    generate: true,
    edit: false,
    maxImagesPerCall: 4,
    seed: true,
    promptLanguage: 'en',
  });
  t.match(dev.price, { readOn: /^\d{4}-\d{2}-\d{2}$/, perMegapixel: { usd: 0.025, roundUp: true } });
  t.same(dev.lifecycle, { status: 'active' });
  const kontext = provider.models.find((model) => model.id === 'fal-ai/flux-pro/kontext')!;
  t.match(kontext.capabilities, { generate: false, edit: true, maxInputImages: 1 });
  t.same(kontext.price?.perImage, [{ usd: 0.04 }]);
  t.equal(
    provider.models.find((model) => model.id === 'fal-ai/flux-2/edit')!.price,
    undefined,
    'unknown price is absent',
  );
  t.ok(provider.models.every((model) => model.capabilities.promptLanguage === 'en'));
});

t.test('check() refuses what the endpoint cannot do before any call', async (t) => {
  const { fake, provider } = await setup(t);
  t.throws(() => provider.check!(callFor({ n: 5 }), 'generate'), { code: 'INVALID_N' });
  t.throws(() => provider.check!(callFor({ size: { width: 1000, height: 1000 } }), 'generate'), {
    code: 'INVALID_SIZE',
  });
  t.throws(() => provider.check!(callFor({ model: 'fal-ai/flux-pro/kontext' }), 'generate'), {
    code: 'IMAGE_REQUIRED',
  });
  t.throws(() => provider.check!(callFor(), 'edit'), { code: 'EDIT_NOT_SUPPORTED' });
  t.throws(() => provider.check!(callFor({ model: 'fal-ai/nope' }), 'generate'), { code: 'MODEL_NOT_FOUND' });
  t.equal(provider.optionsSchema.safeParse({ steps: 3 }).success, false, 'options are strict');
  t.equal(fake.requests.length, 0);
});
