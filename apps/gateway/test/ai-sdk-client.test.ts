import t, { type Test } from 'tap';
import { createOpenAI } from '@ai-sdk/openai';
import { generateImage } from 'ai';
import { sniffImage, solidPng } from '@uig/core';
import { createOpenAIFake, parseMultipart } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * The Vercel AI SDK (`ai` + `@ai-sdk/openai`) with only `baseURL` pointed at the
 * gateway, in front of the OpenAI fake. It sends no `response_format` for GPT-image
 * model names, none at all on edits, and reads `data[].b64_json`: the gateway's
 * default must be `b64_json` (docs/api.md).
 */
async function aiSdkGateway(t: Test) {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    { listen: true },
  );
  const openai = createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused' });
  return { fake, openai, ...gateway };
}

t.test('generateImage with gpt-image-1 and openai/gpt-image-1', async (t) => {
  const { openai, fake } = await aiSdkGateway(t);
  for (const model of ['gpt-image-1', 'openai/gpt-image-1']) {
    const { image, images, usage, providerMetadata } = await generateImage({
      model: openai.image(model),
      prompt: 'a lighthouse at dusk',
      size: '1024x1024',
      n: 2,
    });
    t.equal(images.length, 2, `${model}: two images`);
    t.match(sniffImage(Buffer.from(image.uint8Array)), { mimeType: 'image/png' }, `${model}: a real PNG`);
    t.ok((usage.inputTokens ?? 0) > 0, `${model}: the vendor's input tokens came through`);
    const first = (providerMetadata.openai as { images: Array<Record<string, unknown>> }).images[0]!;
    t.match(first, { size: '1024x1024', outputFormat: 'png', quality: String }, `${model}: settings`);
  }
  // The gateway never passed response_format on to the GPT-image model.
  t.notOk(
    fake.requests.some((request) => (request.json as Record<string, unknown>).response_format !== undefined),
  );
});

t.test('generateImage edits with one image, two images, and a mask', async (t) => {
  const { openai, fake } = await aiSdkGateway(t);
  const first = solidPng(64, 64, [200, 30, 30, 255]);
  const second = solidPng(64, 64, [30, 30, 200, 255]);
  const mask = solidPng(64, 64, [0, 0, 0, 0]);
  const cases = [
    { name: 'one image', prompt: { text: 'make it blue', images: [first] }, files: 1, mask: false },
    { name: 'two images', prompt: { text: 'blend them', images: [first, second] }, files: 2, mask: false },
    {
      name: 'one image and a mask',
      prompt: { text: 'fill the hole', images: [first], mask },
      files: 1,
      mask: true,
    },
  ];
  for (const { name, prompt, files, mask: withMask } of cases) {
    const { image } = await generateImage({ model: openai.image('gpt-image-1'), prompt });
    t.match(sniffImage(Buffer.from(image.uint8Array)), { mimeType: 'image/png' }, `${name}: a PNG`);
    const sent = fake.requests.at(-1)!;
    const parts = parseMultipart(sent.body, String(sent.headers['content-type']))!;
    t.equal(
      parts.filter((part) => part.name === 'image' || part.name === 'image[]').length,
      files,
      `${name}: the images reached the vendor`,
    );
    t.equal(
      parts.some((part) => part.name === 'mask'),
      withMask,
      `${name}: the mask reached the vendor`,
    );
  }
});

t.test("the AI SDK's safetyIdentifier reaches the vendor as safety_identifier", async (t) => {
  const { openai, fake } = await aiSdkGateway(t);
  await generateImage({
    model: openai.image('gpt-image-1'),
    prompt: 'a kite',
    providerOptions: { openai: { safetyIdentifier: 'user-hash-1234' } },
  });
  t.equal((fake.requests.at(-1)!.json as Record<string, unknown>).safety_identifier, 'user-hash-1234');

  await generateImage({
    model: openai.image('gpt-image-1'),
    prompt: { text: 'a kite, in blue', images: [solidPng(64, 64, [1, 2, 3, 255])] },
    providerOptions: { openai: { safetyIdentifier: 'user-hash-5678' } },
  });
  const sent = fake.requests.at(-1)!;
  const parts = parseMultipart(sent.body, String(sent.headers['content-type']))!;
  t.equal(parts.find((part) => part.name === 'safety_identifier')?.data.toString(), 'user-hash-5678');
});
