import t, { type Test } from 'tap';
import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  RequestAbortedError,
  UpstreamUnavailableError,
  type ProgressEvent,
} from '@uig/core';
import { FakeUpstream, openaiTriggers, parseMultipart, tinyPng, type SseEvent } from '@uig/testkit';
import { createOpenAIProvider } from '@uig/provider-openai';
import { call, inputImage, providerFor, startFake } from './helpers.js';

async function sseServer(t: Test, events: SseEvent[]) {
  const server = new FakeUpstream();
  server.route('POST', '/v1/images/generations', () => ({
    headers: { 'x-request-id': 'req_sse' },
    sse: events,
  }));
  await server.start();
  t.teardown(() => server.close());
  return createOpenAIProvider({
    id: 'openai',
    baseURL: `${server.url}/v1`,
    fetch: globalThis.fetch,
    options: {},
  });
}

t.test(
  'partial_images > 0 streams: each partial goes to onProgress, the completed image is the result',
  async (t) => {
    const fake = await startFake(t);
    const events: ProgressEvent[] = [];
    const result = await providerFor(fake).generate(
      call({
        providerOptions: { partial_images: 2, output_format: 'webp' },
        onProgress: (event) => events.push(event),
      }),
    );
    t.match(fake.requests[0]!.json, { stream: true, partial_images: 2 });
    t.same(
      events.map((event) =>
        event.type === 'partial_image' ? [event.type, event.index, event.mimeType] : [event.type],
      ),
      [
        ['partial_image', 0, 'image/webp'],
        ['partial_image', 1, 'image/webp'],
      ],
    );
    const first = events[0]!;
    if (first.type === 'partial_image') t.same(Buffer.from(first.b64, 'base64'), tinyPng());
    t.equal(result.images.length, 1);
    t.equal(result.images[0]!.kind, 'base64');
    t.equal(result.images[0]!.mimeType, 'image/webp');
    t.type(result.usage?.outputTokens, 'number');
    t.match(result.vendorRequestId, /^req_/);
    t.match(result.metadata, { output_format: 'webp', size: '1024x1024' });
  },
);

t.test('stream: true alone streams without partials; n=2 gives two images and summed usage', async (t) => {
  const fake = await startFake(t, { sendDone: true });
  const events: ProgressEvent[] = [];
  const result = await providerFor(fake).generate(
    call({
      n: 2,
      quality: 'low',
      providerOptions: { stream: true },
      onProgress: (event) => events.push(event),
    }),
  );
  t.same(fake.requests[0]!.json, {
    model: 'gpt-image-1',
    prompt: 'a red fox in the snow',
    n: 2,
    size: '1024x1024',
    quality: 'low',
    stream: true,
  });
  t.equal(events.length, 0);
  t.equal(result.images.length, 2);
  t.equal(result.usage?.outputTokens, 2 * 272);
  t.equal(result.usage?.inputTokens, Math.ceil('a red fox in the snow'.length / 4));
  t.same(
    result.usage?.outputTokensDetails,
    { textTokens: 0, imageTokens: 2 * 272 },
    'summed over the events',
  );
});

t.test('an edit streams image_edit events through multipart', async (t) => {
  const fake = await startFake(t);
  const events: ProgressEvent[] = [];
  const result = await providerFor(fake).edit!(
    call({
      images: [inputImage(16, 16)],
      providerOptions: { partial_images: 1 },
      onProgress: (event) => events.push(event),
    }),
  );
  const request = fake.requests[0]!;
  const parts = parseMultipart(request.body, String(request.headers['content-type']))!;
  t.equal(parts.find((part) => part.name === 'stream')?.data.toString(), 'true');
  t.equal(parts.find((part) => part.name === 'partial_images')?.data.toString(), '1');
  t.equal(events.length, 1);
  t.equal(result.images.length, 1);
});

t.test('a listener that throws does not fail the generation', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(
    call({
      providerOptions: { partial_images: 1 },
      onProgress: () => {
        throw new Error('client gone');
      },
    }),
  );
  t.equal(result.images.length, 1);
});

t.test('an error event mid-stream is a retryable upstream failure', async (t) => {
  const fake = await startFake(t);
  const events: ProgressEvent[] = [];
  const error = await providerFor(fake)
    .generate(
      call({
        prompt: openaiTriggers.streamError,
        providerOptions: { partial_images: 1 },
        onProgress: (event) => events.push(event),
      }),
    )
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  t.equal(events.length, 1, 'the partial before the error was delivered');
  t.ok(error instanceof UpstreamUnavailableError);
  t.equal((error as UpstreamUnavailableError).retryable, true);
  t.equal((error as UpstreamUnavailableError).provider, 'openai');
});

t.test('a Responses-style error event ({type:"error", code}) is mapped by its code', async (t) => {
  const provider = await sseServer(t, [
    {
      event: 'error',
      data: JSON.stringify({ type: 'error', code: 'moderation_blocked', message: 'blocked' }),
    },
  ]);
  const error = await provider.generate(call({ providerOptions: { stream: true } })).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  t.ok(error instanceof ContentPolicyError);
  t.equal((error as ContentPolicyError).vendorCode, 'moderation_blocked');
});

t.test('a stream that ends without a completed image is an invalid upstream response', async (t) => {
  const partial = {
    type: 'image_generation.partial_image',
    b64_json: tinyPng().toString('base64'),
    partial_image_index: 0,
  };
  const provider = await sseServer(t, [
    { event: 'image_generation.partial_image', data: JSON.stringify(partial) },
  ]);
  await t.rejects(
    provider.generate(call({ providerOptions: { partial_images: 1 } })),
    InvalidUpstreamResponseError,
  );
});

t.test('a compatible server that ignores stream and answers JSON still works', async (t) => {
  const fake = await startFake(t);
  fake.inject({
    fault: {
      kind: 'status',
      status: 200,
      body: { created: 1, data: [{ b64_json: tinyPng().toString('base64') }] },
      headers: { 'x-request-id': 'req_plain' },
    },
  });
  const result = await providerFor(fake).generate(call({ providerOptions: { partial_images: 2 } }));
  t.equal(result.images.length, 1);
  t.equal(result.vendorRequestId, 'req_plain');
});

t.test('cancelling mid-stream is a RequestAbortedError, not a success', async (t) => {
  const fake = await startFake(t);
  const controller = new AbortController();
  const error = await providerFor(fake)
    .generate(
      call({
        n: 3,
        signal: controller.signal,
        providerOptions: { partial_images: 3 },
        onProgress: () => controller.abort(),
      }),
    )
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  t.ok(error instanceof RequestAbortedError);
});
