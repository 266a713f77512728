import t from 'tap';
import { sniffImage } from '@uig/core';
import { callFor, pngInput, setup } from './helpers.js';

t.test(
  'generate: submit with x-key, poll the polling_url as given, a delivery URL and the vendor cost',
  async (t) => {
    const { fake, provider } = await setup(t, { fake: { pendingPolls: 2 } });
    const taskIds: string[] = [];
    const result = await provider.generate(callFor({ seed: 7, onTaskId: (id) => taskIds.push(id) }));
    const submit = fake.submits[0]!;
    t.equal(submit.path, '/v1/flux-2-pro');
    t.equal(submit.headers['x-key'], 'bfl_test');
    t.same(submit.json, { prompt: 'a lighthouse at dawn', seed: 7, width: 1024, height: 1024 });
    // Every poll went to the sibling host the polling_url names, with the key.
    t.equal(fake.cluster.requests.length, 3);
    t.ok(fake.cluster.requests.every((request) => request.headers['x-key'] === 'bfl_test'));
    t.equal(taskIds.length, 1);
    t.ok(taskIds[0]!.startsWith(fake.cluster.url), 'the task handle is the polling URL');
    t.equal(result.images.length, 1);
    const image = result.images[0]!;
    t.equal(image.kind, 'url');
    if (image.kind !== 'url') return;
    t.ok(image.url.startsWith(fake.delivery.url));
    const download = await fetch(image.url);
    t.ok(sniffImage(new Uint8Array(await download.arrayBuffer())));
    t.equal(fake.deliveryRequestsWithKey, 0, 'the key never goes to the delivery host');
    // 1024x1024 = 1.05 MP: 3 + 0.05 × 1.5 credits, at $0.01 each.
    t.equal(fake.lastTask!.cost, 3.08);
    t.equal(result.usage?.vendorCostUsd, 0.0308);
    t.equal(result.vendorRequestId, fake.lastTask!.id);
    t.same(result.metadata, { seed: 7 });
  },
);

t.test('unknown statuses (Reasoning, Generating) keep the adapter polling', async (t) => {
  const { fake, provider } = await setup(t, { fake: { interimStatuses: ['Reasoning', 'Generating'] } });
  const messages: string[] = [];
  const result = await provider.generate(
    callFor({ onProgress: (event) => event.type === 'status' && messages.push(event.message) }),
  );
  t.equal(result.images.length, 1);
  t.equal(fake.polls.length, 4);
  t.ok(messages.some((message) => message.includes('Reasoning')));
});

t.test('resume: polls the reported task instead of paying for a new one', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 3 } });
  const first = new AbortController();
  let handle = '';
  const running = provider.generate(
    callFor({
      signal: first.signal,
      onTaskId: (id) => {
        handle = id;
      },
      onProgress: () => {
        if (fake.polls.length === 1) first.abort();
      },
    }),
  );
  await t.rejects(running);
  t.ok(handle);
  const resumed = await provider.generate(callFor({ resumeTaskId: handle }));
  t.equal(fake.submits.length, 1, 'one task, one payment');
  t.equal(resumed.images.length, 1);
  t.equal(resumed.usage, undefined, 'no submit answer, so no vendor cost: core prices it from the list');
  // A bare id resumes on the configured host.
  const again = await provider.generate(callFor({ resumeTaskId: fake.lastTask!.id }));
  t.equal(again.images.length, 1);
  t.equal(fake.submits.length, 1);
});

t.test('Kontext edit: reference images as input_image…, aspect ratio, options it takes', async (t) => {
  const { fake, provider } = await setup(t);
  const call = callFor({
    model: 'flux-kontext-pro',
    prompt: 'make it night',
    size: undefined,
    aspectRatio: '16:9',
    images: [pngInput(), pngInput(32, 32)],
    providerOptions: { prompt_upsampling: true, output_format: 'png', raw: true },
  });
  t.same(provider.check!(call, 'edit'), [
    {
      type: 'unsupported',
      feature: 'provider_options.bfl.raw',
      message: 'flux-kontext-pro has no raw setting; it was not sent.',
    },
  ]);
  const result = await provider.edit!(call);
  t.equal(result.images.length, 1);
  const body = fake.submits[0]!.json as Record<string, unknown>;
  t.equal(body.aspect_ratio, '16:9');
  t.equal(body.prompt_upsampling, true);
  t.equal(body.output_format, 'png');
  t.notOk('raw' in body);
  t.type(body.input_image, 'string');
  t.type(body.input_image_2, 'string');
  t.notOk('width' in body);
  t.equal(fake.lastTask!.cost, 4);
});

t.test('fill: image and mask as base64; a mask of another size is a 400 before any call', async (t) => {
  const { fake, provider } = await setup(t);
  const call = callFor({
    model: 'flux-pro-1.0-fill',
    size: undefined,
    images: [pngInput()],
    mask: pngInput(),
  });
  await provider.edit!(call);
  const body = fake.submits[0]!.json as Record<string, unknown>;
  t.equal(Buffer.from(String(body.image), 'base64').subarray(1, 4).toString(), 'PNG');
  t.type(body.mask, 'string');
  t.throws(() => provider.check!({ ...call, mask: pngInput(32, 32) }, 'edit'), {
    code: 'INVALID_MASK',
    param: 'mask',
  });
  t.equal(fake.submits.length, 1);
});

t.test('regions pick the host; an explicit base URL wins', async (t) => {
  const seen: string[] = [];
  const recordingFetch: typeof fetch = async (input) => {
    seen.push(String(input));
    return new Response(JSON.stringify({ detail: 'Not authenticated' }), { status: 403 });
  };
  const { createBflProvider } = await import('../src/index.js');
  const eu = createBflProvider({
    id: 'bfl',
    baseURL: 'https://api.bfl.ai/v1',
    fetch: recordingFetch,
    options: { region: 'eu' },
  });
  await t.rejects(eu.generate(callFor()), { code: 'UPSTREAM_AUTHENTICATION' });
  t.equal(seen[0], 'https://api.eu.bfl.ai/v1/flux-2-pro');
  t.throws(
    () => createBflProvider({ id: 'bfl', baseURL: '', fetch: recordingFetch, options: { region: 'mars' } }),
    TypeError,
  );
});
