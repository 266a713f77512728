import t, { type Test } from 'tap';
import OpenAI, { toFile } from 'openai';
import { sniffImage, solidPng } from '@uig/core';
import { createOpenAIFake } from '@uig/testkit';
import { openaiDefaultFormat } from '../src/openai-response.js';
import { startGateway } from './helpers.js';

/**
 * The typed openai SDK reads every field its types declare: a GPT-image answer's
 * top-level settings and `usage.input_tokens_details`, and the fields of streamed
 * `partial_image` and `completed` events.
 */
async function openaiGateway(t: Test) {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    { listen: true },
  );
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  return { fake, client, ...gateway };
}

t.test('a GPT-image answer has its settings and the vendor usage with token details', async (t) => {
  const { client } = await openaiGateway(t);
  const answer = await client.images.generate({ model: 'gpt-image-1', prompt: 'a red fox', quality: 'low' });
  t.ok(answer.data![0]!.b64_json, 'b64_json without asking for it');
  t.notOk(answer.data![0]!.url);
  t.match(answer, { background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' });
  t.equal(answer.usage!.input_tokens_details.image_tokens, 0, 'a generation has no input image tokens');
  t.equal(answer.usage!.input_tokens_details.text_tokens, answer.usage!.input_tokens);
  t.ok(answer.usage!.output_tokens_details!.image_tokens > 0, 'the output split came through');
  t.equal(answer.usage!.total_tokens, answer.usage!.input_tokens + answer.usage!.output_tokens);

  const edited = await client.images.edit({
    model: 'gpt-image-1',
    prompt: 'add a hat',
    image: await toFile(solidPng(64, 64, [10, 20, 30, 255]), 'fox.png', { type: 'image/png' }),
  });
  t.ok(edited.data![0]!.b64_json, 'edits default to b64_json too');
  t.ok(edited.usage!.input_tokens_details.image_tokens > 0, "the input image's tokens");
});

t.test('a model that counts no tokens answers without usage, never invented numbers', async (t) => {
  const { client } = await openaiGateway(t);
  const answer = await client.images.generate({ model: 'local/placeholder', prompt: 'a red fox' });
  t.equal(answer.usage, undefined);
  t.match(answer, { output_format: 'png', size: String });
  t.match(sniffImage(Buffer.from(answer.data![0]!.b64_json!, 'base64')), { mimeType: 'image/png' });
});

t.test('response_format: url gives gateway URLs for GPT-image models', async (t) => {
  const { client, url } = await openaiGateway(t);
  const viaUrl = await client.images.generate({
    model: 'gpt-image-1',
    prompt: 'a red fox',
    response_format: 'url',
  });
  t.ok(viaUrl.data![0]!.url!.startsWith(`${url}/v1/images/`));
  t.equal((await fetch(viaUrl.data![0]!.url!)).status, 200);
});

t.test("the dall-e-2 / dall-e-3 names keep OpenAI's old url default, by name", async (t) => {
  t.equal(openaiDefaultFormat('dall-e-3', 'openai/dall-e-3'), 'url');
  t.equal(openaiDefaultFormat(undefined, 'azure/dall-e-2'), 'url', 'the resolved name counts too');
  t.equal(openaiDefaultFormat('openai/dall-e-2', 'openai/dall-e-2'), 'url');
  t.equal(openaiDefaultFormat('gpt-image-1', 'openai/gpt-image-1'), 'b64_json');
  t.equal(openaiDefaultFormat(undefined, 'local/placeholder'), 'b64_json');
  t.equal(openaiDefaultFormat('dall-e-3-lookalike', 'x/dall-e-3-lookalike'), 'b64_json');
});

t.test('streamed partial_image and completed events carry every field the SDK types declare', async (t) => {
  const { client } = await openaiGateway(t);
  const stream = await client.images.generate({
    model: 'gpt-image-1',
    prompt: 'a red fox',
    stream: true,
    partial_images: 1,
    n: 2,
  });
  const events = [];
  for await (const event of stream) events.push(event);
  t.same(
    events.map((event) => event.type),
    [
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.completed',
      'image_generation.completed',
    ],
  );
  const partial = events[0] as OpenAI.Images.ImageGenPartialImageEvent;
  t.match(partial, {
    b64_json: String,
    background: 'opaque',
    output_format: 'png',
    quality: String,
    size: '1024x1024',
    partial_image_index: 0,
    created_at: Number,
  });
  const completed = events.slice(2) as OpenAI.Images.ImageGenCompletedEvent[];
  for (const event of completed) {
    t.match(event, {
      b64_json: String,
      background: 'opaque',
      output_format: 'png',
      quality: String,
      size: '1024x1024',
      created_at: Number,
      usage: {
        input_tokens: Number,
        output_tokens: Number,
        total_tokens: Number,
        input_tokens_details: { text_tokens: Number, image_tokens: Number },
      },
    });
  }
  t.ok(
    completed.reduce((total, event) => total + event.usage.output_tokens, 0) > 0,
    "the vendor's tokens are in the events",
  );
});

t.test('a model without tokens streams zero usage counts, as documented', async (t) => {
  const { client } = await openaiGateway(t);
  const stream = await client.images.generate({ model: 'local/placeholder', prompt: 'a fox', stream: true });
  const events = [];
  for await (const event of stream) events.push(event);
  t.equal(events.length, 1);
  t.match(events[0], {
    type: 'image_generation.completed',
    background: 'auto',
    output_format: 'png',
    quality: 'auto',
    size: String,
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, input_tokens_details: { image_tokens: 0 } },
  });
});
