import t from 'tap';
import { solidPng, type ProgressEvent } from '@uig/core';
import { tinyPng } from '@uig/testkit';
import { geminiModels, geminiPlugin } from '../src/index.js';
import { inputImage, lastBody, makeCall, providerFor, startFake, testKey } from './helpers.js';

const png64 = tinyPng().toString('base64');

t.test('the plugin and the model list', async (t) => {
  t.equal(geminiPlugin.type, 'gemini');
  t.same(geminiPlugin.env, { apiKey: 'GEMINI_API_KEY', baseURL: 'GEMINI_BASE_URL' });
  t.equal(geminiPlugin.defaultBaseURL, 'https://generativelanguage.googleapis.com/v1beta');
  const fake = await startFake(t);
  const provider = geminiPlugin.create({ id: 'gemini', baseURL: fake.apiBaseURL, fetch, options: {} });
  t.equal(provider.defaultModel, 'gemini-2.5-flash-image');
  const ids = geminiModels.map((model) => model.id);
  const retired = new Set([
    'gemini-2.5-flash-image-preview',
    'gemini-2.0-flash-preview-image-generation',
    'imagen-4.0-generate-001',
    'imagen-4.0-ultra-generate-001',
    'imagen-4.0-fast-generate-001',
    'imagen-3.0-generate-002',
  ]);
  for (const id of [
    'gemini-2.5-flash-image',
    'gemini-3-pro-image-preview',
    'gemini-3.1-flash-image-preview',
    'gemini-2.5-flash-image-preview',
    'gemini-2.0-flash-preview-image-generation',
    'imagen-4.0-generate-001',
    'imagen-4.0-ultra-generate-001',
    'imagen-4.0-fast-generate-001',
    'imagen-3.0-generate-002',
  ]) {
    t.ok(ids.includes(id), id);
  }
  for (const model of geminiModels) {
    t.notOk(model.capabilities.sizes, `${model.id} takes ratios only`);
    t.ok(model.capabilities.aspectRatios?.length, model.id);
    t.equal(model.capabilities.delivery, 'base64');
    t.equal(model.capabilities.seed, false);
    t.equal(model.capabilities.negativePrompt, false);
    t.equal(model.capabilities.mask, false);
    t.equal(
      model.lifecycle?.status === 'retired',
      retired.has(model.id),
      `${model.id} lifecycle (docs/providers/gemini.md §15)`,
    );
    if (model.id.startsWith('imagen'))
      t.equal(model.lifecycle?.replacement, 'gemini-3.1-flash-image', `${model.id} names its replacement`);
  }
  t.equal(
    geminiModels.find((model) => model.id === 'gemini-2.5-flash-image')!.capabilities.maxImagesPerCall,
    1,
  );
  t.equal(
    geminiModels.find((model) => model.id === 'imagen-4.0-generate-001')!.capabilities.maxImagesPerCall,
    4,
  );
  t.throws(() =>
    geminiPlugin.create({
      id: 'gemini',
      baseURL: fake.apiBaseURL,
      fetch,
      options: { streaming: 'sometimes' },
    }),
  );
});

t.test('gemini-2.5-flash-image: the request body, the key header, the result', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(makeCall({ aspectRatio: '16:9' }));
  const request = fake.requests.at(-1)!;
  t.equal(request.path, '/v1beta/models/gemini-2.5-flash-image:generateContent');
  t.equal(request.headers['x-goog-api-key'], testKey);
  t.notOk(request.query.has('key'), 'the key never goes in the URL');
  t.same(request.json, {
    contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn' }] }],
    generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
  });
  t.same(result.images, [{ kind: 'base64', data: png64, mimeType: 'image/png' }]);
  t.equal(result.revisedPrompt, 'Here is the image you asked for.');
  t.equal(result.metadata?.text, 'Here is the image you asked for.');
  t.equal(result.metadata?.modelVersion, 'gemini-2.5-flash-image');
  t.type(result.vendorRequestId, 'string');
  t.ok(result.usage?.inputTokens);
  t.equal(result.usage?.outputTokens, 1290 + 8);
  t.equal(result.usage?.totalTokens, result.usage!.inputTokens! + result.usage!.outputTokens!);
  t.same(result.warnings, []);
});

t.test('imageConfig per model: imageSize only for gemini-3, none for 2.0', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const sent = async (fields: Parameters<typeof makeCall>[0]) => {
    await provider.generate(makeCall(fields));
    return lastBody(fake).generationConfig;
  };
  t.same(await sent({ model: 'gemini-3-pro-image-preview', aspectRatio: '21:9', quality: 'hd' }), {
    responseModalities: ['TEXT', 'IMAGE'],
    imageConfig: { aspectRatio: '21:9', imageSize: '2K' },
  });
  t.same(
    await sent({
      model: 'gemini-3.1-flash-image-preview',
      providerOptions: { image_size: '4K' },
      quality: 'hd',
    }),
    { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { imageSize: '4K' } },
    'image_size wins over quality',
  );
  t.same(
    await sent({ model: 'gemini-3-pro-image-preview', quality: 'standard' }),
    { responseModalities: ['TEXT', 'IMAGE'] },
    'standard leaves the vendor default',
  );
  t.same(
    await sent({
      model: 'gemini-2.5-flash-image',
      aspectRatio: '3:4',
      providerOptions: { image_size: '2K' },
    }),
    { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '3:4' } },
    '2.5 never gets imageSize',
  );
  t.same(await sent({ model: 'gemini-2.5-flash-image' }), { responseModalities: ['TEXT', 'IMAGE'] });
  t.same(
    await sent({ model: 'gemini-2.0-flash-preview-image-generation', aspectRatio: '1:1' }),
    { responseModalities: ['TEXT', 'IMAGE'] },
    '2.0 predates imageConfig',
  );
  t.same(await sent({ model: 'gemini-2.5-flash-image-preview', aspectRatio: '9:16' }), {
    responseModalities: ['TEXT', 'IMAGE'],
    imageConfig: { aspectRatio: '9:16' },
  });
});

t.test('thought parts are skipped; text after the image is kept', async (t) => {
  const fake = await startFake(t, {
    thoughtParts: 'always',
    textPosition: 'after',
    thoughtImage: solidPng(8, 8, [1, 2, 3, 255]),
  });
  const result = await providerFor(fake).generate(makeCall({ model: 'gemini-3-pro-image-preview' }));
  t.same(result.images, [{ kind: 'base64', data: png64, mimeType: 'image/png' }], 'only the final image');
  t.equal(result.revisedPrompt, 'Here is the image you asked for.', 'thought text is not the revised prompt');
  t.equal(result.metadata?.thoughtPartsSkipped, 2);
  t.equal(result.usage?.outputTokens, 1120 + 8 + 300, 'thought tokens count as output');

  const silent = await startFake(t, { textPosition: 'none' });
  const bare = await providerFor(silent).generate(makeCall());
  t.equal(bare.revisedPrompt, undefined);
  t.equal(bare.images.length, 1);
});

t.test('edits send every input image as inlineData after the text', async (t) => {
  const fake = await startFake(t);
  const images = [inputImage('image/png', 10), inputImage('image/jpeg', 20), inputImage('image/webp', 30)];
  const result = await providerFor(fake).edit!(
    makeCall({
      model: 'gemini-3-pro-image-preview',
      prompt: 'put the cat in the hat',
      images,
      aspectRatio: '4:3',
    }),
  );
  t.equal(result.images.length, 1);
  const parts = lastBody(fake).contents[0].parts as Array<Record<string, any>>;
  t.same(parts[0], { text: 'put the cat in the hat' });
  t.same(
    parts.slice(1),
    images.map((image) => ({
      inlineData: { mimeType: image.mimeType, data: Buffer.from(image.data).toString('base64') },
    })),
  );
  t.same(lastBody(fake).generationConfig.imageConfig, { aspectRatio: '4:3' });
  t.equal(fake.calls.at(-1)!.method, 'generateContent');
});

t.test('safety_settings go to safetySettings on native models', async (t) => {
  const fake = await startFake(t);
  const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
  await providerFor(fake).generate(makeCall({ providerOptions: { safety_settings: safetySettings } }));
  t.same(lastBody(fake).safetySettings, safetySettings);
});

t.test('a credential baseURL overrides the provider baseURL', async (t) => {
  const fake = await startFake(t);
  const other = await startFake(t);
  await providerFor(fake).generate(
    makeCall({ credential: { id: 'gemini#2', apiKey: testKey, baseURL: `${other.apiBaseURL}/` } }),
  );
  t.equal(fake.requests.length, 0);
  t.equal(other.requests.length, 1);
});

t.test('streaming: chunks are merged and reported as progress', async (t) => {
  const fake = await startFake(t, { streamChunkDelayMs: 2 });
  const events: ProgressEvent[] = [];
  const provider = providerFor(fake, { streaming: 'with-progress' });
  const result = await provider.generate(
    makeCall({ model: 'gemini-3-pro-image-preview', onProgress: (event) => events.push(event) }),
  );
  const request = fake.requests.at(-1)!;
  t.equal(request.path, '/v1beta/models/gemini-3-pro-image-preview:streamGenerateContent');
  t.equal(request.query.get('alt'), 'sse');
  t.same(result.images, [{ kind: 'base64', data: png64, mimeType: 'image/png' }]);
  t.equal(result.revisedPrompt, 'Here is the image you asked for.');
  t.equal(result.metadata?.finishReason, 'STOP');
  t.ok(result.usage?.totalTokens);
  const messages = events.map((event) => (event.type === 'status' ? event.message : ''));
  t.ok(messages.includes('Gemini sent the image.'));
  t.ok(messages.includes('Gemini is planning the image.'));
  t.notOk(
    messages.some((message) => message.includes(png64)),
    'no image data in progress',
  );

  await provider.generate(makeCall());
  t.equal(
    fake.requests.at(-1)!.path,
    '/v1beta/models/gemini-2.5-flash-image:generateContent',
    'with-progress streams only when someone listens',
  );
  const always = providerFor(fake, { streaming: 'always' });
  await always.generate(makeCall());
  t.equal(fake.requests.at(-1)!.path, '/v1beta/models/gemini-2.5-flash-image:streamGenerateContent');
});

t.test('streaming: a text split over chunks stays one sentence; a blocked stream is a refusal', async (t) => {
  const fake = await startFake(t);
  // A hand-written stream: two text chunks, the image, the finish.
  fake.route('POST', '/split/models/:target*', () => ({
    status: 200,
    sse: [
      {
        data: JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text: 'Here is ' }] }, index: 0 }],
        }),
      },
      {
        data: JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text: 'your image.' }] }, index: 0 }],
        }),
      },
      {
        data: JSON.stringify({
          candidates: [
            {
              content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: png64 } }] },
              index: 0,
            },
          ],
        }),
      },
      {
        data: JSON.stringify({
          candidates: [{ finishReason: 'STOP', index: 0 }],
          usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1290, totalTokenCount: 1293 },
          responseId: 'r1',
        }),
      },
    ],
  }));
  const provider = providerFor(fake, { streaming: 'always' });
  const result = await provider.generate(
    makeCall({ credential: { id: 'gemini#1', apiKey: testKey, baseURL: `${fake.url}/split` } }),
  );
  t.equal(result.revisedPrompt, 'Here is your image.');
  t.equal(result.vendorRequestId, 'r1');
  t.same(result.usage, { inputTokens: 3, outputTokens: 1290, totalTokens: 1293 });
});
