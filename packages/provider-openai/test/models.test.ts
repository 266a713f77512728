import t from 'tap';
import { InvalidRequestError, UnsupportedCapabilityError, isUigError } from '@uig/core';
import { openaiPlugin } from '@uig/provider-openai';
import { inputImage, providerFor, startFake, throughCore } from './helpers.js';

t.test(
  'the built-in models, their default, lifecycle and delivery (docs/providers/openai.md §2.2)',
  async (t) => {
    const fake = await startFake(t);
    const provider = providerFor(fake);
    t.equal(provider.id, 'openai');
    t.equal(provider.defaultModel, 'gpt-image-1');
    t.same(
      provider.models.map((model) => model.id),
      [
        'gpt-image-1',
        'gpt-image-1-mini',
        'gpt-image-1.5',
        'gpt-image-2',
        'gpt-image-2-2026-04-21',
        'chatgpt-image-latest',
        'dall-e-3',
        'dall-e-2',
      ],
    );
    const byId = Object.fromEntries(provider.models.map((model) => [model.id, model]));
    // docs/providers/openai.md §15: DALL·E shut down 2026-05-12; 1.5 and 1-mini go on 2026-12-01.
    for (const id of ['dall-e-2', 'dall-e-3'])
      t.same(
        byId[id]!.lifecycle,
        { status: 'retired', shutdownDate: '2026-05-12', replacement: 'gpt-image-2' },
        id,
      );
    for (const id of ['gpt-image-1.5', 'gpt-image-1-mini'])
      t.same(
        byId[id]!.lifecycle,
        { status: 'deprecated', shutdownDate: '2026-12-01', replacement: 'gpt-image-2' },
        id,
      );
    for (const id of ['gpt-image-1', 'gpt-image-2', 'chatgpt-image-latest']) t.notOk(byId[id]!.lifecycle, id);
    for (const model of provider.models) {
      t.equal(model.capabilities.delivery, 'base64', model.id);
      t.equal(model.capabilities.seed, false, model.id);
      t.equal(model.capabilities.negativePrompt, false, model.id);
    }
    t.match(byId['gpt-image-1']!.capabilities, {
      maxImagesPerCall: 10,
      maxInputImages: 16,
      maxPromptLength: 32000,
      edit: true,
      mask: true,
      streaming: true,
    });
    t.match(byId['dall-e-3']!.capabilities, {
      maxImagesPerCall: 1,
      maxPromptLength: 4000,
      edit: false,
      mask: false,
    });
    t.notOk(byId['dall-e-3']!.capabilities.streaming);
    t.match(byId['dall-e-2']!.capabilities, {
      maxImagesPerCall: 10,
      maxInputImages: 1,
      maxPromptLength: 1000,
      edit: true,
      mask: true,
    });
    t.match(byId['gpt-image-1']!.price, { readOn: /^\d{4}-\d{2}-\d{2}$/, source: /^https:/ });
    t.same(byId['gpt-image-2']!.price?.perMillionTokens, { textInput: 5, imageInput: 8, imageOutput: 30 });
    t.notOk(byId['chatgpt-image-latest']!.price, 'no dated price: unknown, not guessed');
    t.equal(openaiPlugin.type, 'openai');
    t.same(openaiPlugin.env, { apiKey: 'OPENAI_API_KEY', baseURL: 'OPENAI_BASE_URL' });
    t.equal(openaiPlugin.defaultBaseURL, 'https://api.openai.com/v1');
  },
);

type Case = {
  label: string;
  model: string;
  request?: Record<string, unknown>;
  refused?: { code: string; param: string };
};

/** Each case goes through core's planning and the adapter's check, then to the fake, which validates docs/providers/openai.md §2.3 independently. */
const cases: Case[] = [
  { label: 'gpt-image-1 default size', model: 'gpt-image-1' },
  {
    label: 'gpt-image-1 1536x1024 high, n=10',
    model: 'gpt-image-1',
    request: { size: '1536x1024', quality: 'high', n: 10 },
  },
  { label: 'gpt-image-1 standard maps to medium', model: 'gpt-image-1', request: { quality: 'standard' } },
  {
    label: 'gpt-image-1 1792x1024',
    model: 'gpt-image-1',
    request: { size: '1792x1024' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'gpt-image-1 prompt of 32001',
    model: 'gpt-image-1',
    request: { prompt: 'x'.repeat(32001) },
    refused: { code: 'PROMPT_TOO_LONG', param: 'prompt' },
  },
  {
    label: 'gpt-image-1-mini 1024x1536 low',
    model: 'gpt-image-1-mini',
    request: { size: '1024x1536', quality: 'low' },
  },
  { label: 'gpt-image-1.5 auto size', model: 'gpt-image-1.5', request: { size: 'auto' } },
  { label: 'chatgpt-image-latest 1536x1024', model: 'chatgpt-image-latest', request: { size: '1536x1024' } },
  { label: 'gpt-image-2 3840x2160', model: 'gpt-image-2', request: { size: '3840x2160' } },
  { label: 'gpt-image-2 free 1280x720', model: 'gpt-image-2', request: { size: '1280x720' } },
  { label: 'gpt-image-2 2880x2880 (at the pixel cap)', model: 'gpt-image-2', request: { size: '2880x2880' } },
  { label: 'gpt-image-2 480x1440 (smallest side)', model: 'gpt-image-2', request: { size: '480x1440' } },
  { label: 'gpt-image-2 aspect ratio 21:9', model: 'gpt-image-2', request: { aspectRatio: '21:9' } },
  {
    label: 'gpt-image-2-2026-04-21 2048x1152',
    model: 'gpt-image-2-2026-04-21',
    request: { size: '2048x1152' },
  },
  {
    label: 'gpt-image-2 side over 3840',
    model: 'gpt-image-2',
    request: { size: '3856x1296' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'gpt-image-2 not multiples of 16',
    model: 'gpt-image-2',
    request: { size: '1000x1000' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'gpt-image-2 ratio over 3:1',
    model: 'gpt-image-2',
    request: { size: '3840x1248' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'gpt-image-2 over the pixel cap',
    model: 'gpt-image-2',
    request: { size: '3840x2400' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'gpt-image-2 under the pixel floor',
    model: 'gpt-image-2',
    request: { size: '512x512' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  { label: 'dall-e-3 1792x1024 hd', model: 'dall-e-3', request: { size: '1792x1024', quality: 'hd' } },
  { label: 'dall-e-3 high maps to hd', model: 'dall-e-3', request: { quality: 'high' } },
  { label: 'dall-e-3 n=3 is split into 3 calls', model: 'dall-e-3', request: { n: 3 } },
  {
    label: 'dall-e-3 1536x1024',
    model: 'dall-e-3',
    request: { size: '1536x1024' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'dall-e-3 prompt of 4001',
    model: 'dall-e-3',
    request: { prompt: 'x'.repeat(4001) },
    refused: { code: 'PROMPT_TOO_LONG', param: 'prompt' },
  },
  {
    label: 'dall-e-3 edit',
    model: 'dall-e-3',
    request: { kind: 'edit', images: [inputImage(16, 16)] },
    refused: { code: 'EDIT_NOT_SUPPORTED', param: 'image' },
  },
  { label: 'dall-e-2 256x256 n=10', model: 'dall-e-2', request: { size: '256x256', n: 10 } },
  {
    label: 'dall-e-2 hd',
    model: 'dall-e-2',
    request: { quality: 'hd' },
    refused: { code: 'INVALID_QUALITY', param: 'quality' },
  },
  {
    label: 'dall-e-2 1536x1024',
    model: 'dall-e-2',
    request: { size: '1536x1024' },
    refused: { code: 'INVALID_SIZE', param: 'size' },
  },
  {
    label: 'dall-e-2 prompt of 1001',
    model: 'dall-e-2',
    request: { prompt: 'x'.repeat(1001) },
    refused: { code: 'PROMPT_TOO_LONG', param: 'prompt' },
  },
  {
    label: 'dall-e-2 two input images',
    model: 'dall-e-2',
    request: { kind: 'edit', images: [inputImage(16, 16), inputImage(16, 16)] },
    refused: { code: 'TOO_MANY_IMAGES', param: 'image' },
  },
  {
    label: 'gpt-image-1 17 input images',
    model: 'gpt-image-1',
    request: { kind: 'edit', images: Array.from({ length: 17 }, () => inputImage(8, 8)) },
    refused: { code: 'TOO_MANY_IMAGES', param: 'image' },
  },
  {
    label: 'gpt-image-1 16 input images',
    model: 'gpt-image-1',
    request: { kind: 'edit', images: Array.from({ length: 16 }, () => inputImage(8, 8)) },
  },
  {
    label: 'dall-e-2 square PNG edit with mask',
    model: 'dall-e-2',
    request: { kind: 'edit', size: '512x512', images: [inputImage(16, 16)], mask: inputImage(16, 16) },
  },
];

t.test("each model's rules: accepted by us and the fake, or refused before any call", async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  for (const testCase of cases) {
    const before = fake.requests.length;
    const attempt = throughCore(provider, { model: testCase.model, ...testCase.request });
    if (testCase.refused) {
      const error = await attempt.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      t.ok(
        error instanceof InvalidRequestError || error instanceof UnsupportedCapabilityError,
        `${testCase.label}: refused`,
      );
      t.equal(isUigError(error) && error.code, testCase.refused.code, `${testCase.label}: code`);
      t.equal(isUigError(error) && error.param, testCase.refused.param, `${testCase.label}: param`);
      t.equal(fake.requests.length, before, `${testCase.label}: no upstream call`);
    } else {
      const results = await attempt;
      const expectedCalls = testCase.model === 'dall-e-3' ? Number(testCase.request?.n ?? 1) : 1;
      t.equal(fake.requests.length - before, expectedCalls, `${testCase.label}: upstream calls`);
      t.equal(
        results.flatMap((result) => result.images).length,
        Number(testCase.request?.n ?? 1),
        `${testCase.label}: images`,
      );
    }
  }
  const dalle3 = fake
    .callsTo('/images/generations')
    .filter((request) => (request.json as { model?: string }).model === 'dall-e-3');
  t.ok(
    dalle3.every((request) => (request.json as { n?: number }).n === 1),
    'dall-e-3 is always asked for n=1',
  );
});

t.test('gpt-image-2 sizes are sent as asked', async (t) => {
  const fake = await startFake(t);
  await throughCore(providerFor(fake), { model: 'gpt-image-2', size: '1280x720' });
  t.equal((fake.requests[0]!.json as { size: string }).size, '1280x720');
});
