import t, { type Test } from 'tap';
import OpenAI from 'openai';
import { sniffImage } from '@uig/core';
import { cogviewTriggers, createCogviewFake, createOpenAIFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

interface Event {
  event: string;
  data: Record<string, unknown>;
}

function parseEvents(text: string): Event[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.+)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

async function openaiGateway(t: Test) {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  return {
    fake,
    ...(await startGateway(
      t,
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
      { listen: true },
    )),
  };
}

t.test('the openai SDK streams partial images, then the completed image, through the gateway', async (t) => {
  const { url } = await openaiGateway(t);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const stream = await client.images.generate({
    model: 'gpt-image-1',
    prompt: 'a cat',
    stream: true,
    partial_images: 2,
  });
  const types: string[] = [];
  let completed: string | undefined;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'image_generation.completed') completed = event.b64_json;
  }
  t.same(types, [
    'image_generation.partial_image',
    'image_generation.partial_image',
    'image_generation.completed',
  ]);
  t.match(sniffImage(Buffer.from(completed!, 'base64')), { mimeType: 'image/png' });
});

t.test('the native API streams progress then a completed event carrying the usual answer', async (t) => {
  const { url } = await openaiGateway(t);
  const response = await fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-image-1',
      prompt: 'a cat',
      stream: true,
      provider_options: { openai: { partial_images: 1 } },
    }),
  });
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/event-stream/);
  t.ok(response.headers.get('x-request-id'));
  const events = parseEvents(await response.text());
  t.same(
    events.map((event) => event.event),
    ['partial_image', 'completed'],
  );
  t.match(events[0]!.data, { index: 0, b64_json: String, mime_type: 'image/png' });
  t.match(events[1]!.data, {
    model: 'openai/gpt-image-1',
    provider: 'openai',
    data: [{ id: /^[a-f0-9]{32}$/, url: String }],
  });
});

t.test('a request refused before any work starts gets a plain JSON error with its status', async (t) => {
  const { app } = await startGateway(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'x', model: 'nosuch', stream: true },
  });
  t.equal(response.statusCode, 404);
  t.match(response.json(), { error: { code: 'model_not_found' } });
});

t.test('a failure after the stream opened is an error event in the OpenAI envelope', async (t) => {
  const fake = await createCogviewFake().start();
  t.teardown(() => fake.close());
  const { app } = await startGateway(t, { ZHIPU_API_KEY: 'k', ZHIPU_BASE_URL: fake.apiBaseURL });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: `a cat ${cogviewTriggers.taskFailure}`, model: 'cogview/glm-image', stream: true },
  });
  t.equal(response.statusCode, 200);
  const events = parseEvents(response.body);
  t.equal(events[0]!.event, 'progress', 'the glm-image task reported progress first');
  const last = events.at(-1)!;
  t.equal(last.event, 'error');
  t.match(last.data, { error: { type: String, code: String }, request_id: String });
});
