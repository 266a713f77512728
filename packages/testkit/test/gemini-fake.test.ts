import t, { type Test } from 'tap';
import { sniffImage } from '@uig/core';
import {
  createGeminiFake,
  geminiBlockReasons,
  geminiErrorFault,
  geminiNoImageFinishReasons,
  geminiTriggers,
  tinyJpeg,
  tinyPng,
  type GeminiFakeOptions,
} from '@uig/testkit';

async function started(t: Test, options: GeminiFakeOptions = {}) {
  // A server that still serves the retired models, so their rules stay testable; the
  // default (retired answered 404, as the vendor does now) has its own test.
  const fake = await createGeminiFake({ retiredModels: [], ...options }).start();
  t.teardown(() => fake.close());
  return fake;
}

type Json = Record<string, any>;

async function call(
  baseURL: string,
  target: string,
  body: unknown,
  headers: Record<string, string> = { 'x-goog-api-key': 'test-key' },
) {
  const response = await fetch(`${baseURL}/models/${target}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: (isJson && text ? JSON.parse(text) : undefined) as Json,
  };
}

const generate = (prompt: string, generationConfig?: unknown) => ({
  contents: [{ role: 'user', parts: [{ text: prompt }] }],
  ...(generationConfig ? { generationConfig } : {}),
});

const png64 = tinyPng().toString('base64');

t.test(
  'generateContent answers docs/providers/gemini.md §3.3: text part, image part, usage, modelVersion, responseId',
  async (t) => {
    const fake = await started(t);
    const { status, json, headers } = await call(
      fake.apiBaseURL,
      'gemini-2.5-flash-image:generateContent',
      generate('a banana', { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } }),
    );
    t.equal(status, 200);
    t.match(headers.get('content-type'), /application\/json/);
    const parts = json.candidates[0].content.parts;
    t.equal(parts.length, 2);
    t.type(parts[0].text, 'string');
    t.same(parts[1].inlineData, { mimeType: 'image/png', data: png64 });
    t.equal(json.candidates[0].finishReason, 'STOP');
    t.equal(json.modelVersion, 'gemini-2.5-flash-image');
    t.type(json.responseId, 'string');
    t.equal(json.usageMetadata.candidatesTokensDetails[0].tokenCount, 1290);
    t.equal(
      json.usageMetadata.totalTokenCount,
      json.usageMetadata.promptTokenCount + json.usageMetadata.candidatesTokenCount,
    );
    t.equal(fake.calls.length, 1);
    t.equal(fake.calls[0]!.method, 'generateContent');
  },
);

t.test('snake_case requests are accepted and answered in camelCase', async (t) => {
  const fake = await started(t);
  const body = {
    contents: [
      {
        parts: [
          { text: 'edit this' },
          { inline_data: { mime_type: 'image/png', data: png64 } },
          { inline_data: { mime_type: 'image/jpeg', data: tinyJpeg().toString('base64') } },
        ],
      },
    ],
    generation_config: {
      response_modalities: ['Text', 'Image'],
      image_config: { aspect_ratio: '4:3', image_size: '2K' },
    },
  };
  const { status, text } = await call(fake.apiBaseURL, 'gemini-3-pro-image-preview:generateContent', body);
  t.equal(status, 200);
  t.notMatch(text, /inline_data|mime_type/);
  t.match(text, /inlineData/);
  t.same(fake.calls[0]!.body.generationConfig.imageConfig, { aspectRatio: '4:3', imageSize: '2K' });
  t.equal(fake.calls[0]!.body.contents[0].parts.length, 3);
});

t.test(
  'auth: header or ?key=; none is 403, a wrong key 400 API_KEY_INVALID, a disabled project 403',
  async (t) => {
    const fake = await started(t, {
      acceptKey: (key) => key.startsWith('good'),
      disabledKeys: ['good-but-disabled'],
    });
    const target = 'gemini-2.5-flash-image:generateContent';
    const missing = await call(fake.apiBaseURL, target, generate('x'), {});
    t.equal(missing.status, 403);
    t.equal(missing.json.error.status, 'PERMISSION_DENIED');
    t.equal(missing.json.error.code, 403);
    const wrong = await call(fake.apiBaseURL, target, generate('x'), { 'x-goog-api-key': 'bad-key' });
    t.equal(wrong.status, 400);
    t.equal(wrong.json.error.status, 'INVALID_ARGUMENT');
    t.equal(wrong.json.error.details[0].reason, 'API_KEY_INVALID');
    const disabled = await call(fake.apiBaseURL, target, generate('x'), {
      'x-goog-api-key': 'good-but-disabled',
    });
    t.equal(disabled.status, 403);
    t.equal(disabled.json.error.details[0].reason, 'SERVICE_DISABLED');
    t.equal((await call(fake.apiBaseURL, `${target}?key=good-query`, generate('x'), {})).status, 200);
    t.equal(
      (await call(fake.apiBaseURL, target, generate('x'), { 'x-goog-api-key': 'good-header' })).status,
      200,
    );
  },
);

t.test('by default Imagen and the shut-down previews answer 404 NOT_FOUND, as Google does now', async (t) => {
  const fake = await createGeminiFake().start();
  t.teardown(() => fake.close());
  const imagen = await call(fake.apiBaseURL, 'imagen-4.0-generate-001:predict', {
    instances: [{ prompt: 'x' }],
  });
  t.same([imagen.status, imagen.json.error.status], [404, 'NOT_FOUND']);
  const preview = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image-preview:generateContent',
    generate('x'),
  );
  t.equal(preview.status, 404);
  const current = await call(fake.apiBaseURL, 'gemini-3.1-flash-image:generateContent', {
    ...generate('x'),
    generationConfig: { imageConfig: { aspectRatio: '8:1', imageSize: '512' } },
  });
  t.equal(current.status, 200, 'the 512 tier and the 8:1 ratio are taken');
});

t.test('unknown, retired and wrong-method models are 404 NOT_FOUND', async (t) => {
  const fake = await started(t, { retiredModels: ['imagen-4.0-generate-001'] });
  const cases: Array<[string, unknown]> = [
    ['gemini-9-image:generateContent', generate('x')],
    ['imagen-4.0-fast-generate-001:generateContent', generate('x')],
    ['gemini-2.5-flash-image:predict', { instances: [{ prompt: 'x' }] }],
    ['imagen-4.0-generate-001:predict', { instances: [{ prompt: 'x' }] }],
    ['gemini-2.5-flash-image:countTokens', generate('x')],
  ];
  for (const [target, body] of cases) {
    const { status, json } = await call(fake.apiBaseURL, target, body);
    t.equal(status, 404, target);
    t.equal(json.error.status, 'NOT_FOUND', target);
  }
});

t.test('imageConfig is validated per docs/providers/gemini.md §3.3', async (t) => {
  const fake = await started(t);
  const target = (model: string) => `${model}:generateContent`;
  const cases: Array<[string, unknown, number]> = [
    ['gemini-2.5-flash-image', { aspectRatio: '21:9' }, 200],
    ['gemini-2.5-flash-image', { aspectRatio: '7:3' }, 400],
    ['gemini-3-pro-image-preview', { imageSize: '4K' }, 200],
    ['gemini-3.1-flash-image-preview', { imageSize: '1K' }, 200],
    ['gemini-3-pro-image-preview', { imageSize: '2k' }, 400], // upper-case K required
    ['gemini-3-pro-image-preview', { imageSize: '8K' }, 400],
    ['gemini-2.5-flash-image', { imageSize: '2K' }, 400], // gemini-3 only (default)
    ['gemini-2.5-flash-image', { outputMimeType: 'image/jpeg' }, 400], // not in the Gemini API
  ];
  for (const [model, imageConfig, expected] of cases) {
    const { status, json } = await call(
      fake.apiBaseURL,
      target(model),
      generate('x', { responseModalities: ['TEXT', 'IMAGE'], imageConfig }),
    );
    t.equal(status, expected, `${model} ${JSON.stringify(imageConfig)}`);
    if (expected === 400) t.equal(json.error.status, 'INVALID_ARGUMENT');
  }
  const lenient = await started(t, { imageSizeOnOtherModels: 'ignore' });
  t.equal(
    (
      await call(
        lenient.apiBaseURL,
        target('gemini-2.5-flash-image'),
        generate('x', { imageConfig: { imageSize: '2K' } }),
      )
    ).status,
    200,
  );
  const unknownField = await call(fake.apiBaseURL, target('gemini-2.5-flash-image'), {
    ...generate('x'),
    generationConfig: { responseModalities: ['IMAGE'], imageSizes: '1K' },
  });
  t.equal(unknownField.status, 400);
});

t.test(
  'response modalities: 2.0 needs TEXT and IMAGE; IMAGE alone is an option on 2.5; no IMAGE means text only',
  async (t) => {
    const fake = await started(t);
    const old = 'gemini-2.0-flash-preview-image-generation:generateContent';
    const imageOnly = await call(fake.apiBaseURL, old, generate('x', { responseModalities: ['IMAGE'] }));
    t.equal(imageOnly.status, 400);
    const both = await call(fake.apiBaseURL, old, generate('x', { responseModalities: ['TEXT', 'IMAGE'] }));
    t.ok(both.json.candidates[0].content.parts.some((part: Json) => part.inlineData));
    const absent = await call(fake.apiBaseURL, old, generate('x'));
    t.notOk(
      absent.json.candidates[0].content.parts.some((part: Json) => part.inlineData),
      '2.0 answers text by default',
    );
    t.equal(
      (
        await call(
          fake.apiBaseURL,
          'gemini-2.5-flash-image:generateContent',
          generate('x', { responseModalities: ['IMAGE'] }),
        )
      ).status,
      200,
    );
    const strict = await started(t, { imageOnlyModalities: 'reject' });
    t.equal(
      (
        await call(
          strict.apiBaseURL,
          'gemini-2.5-flash-image:generateContent',
          generate('x', { responseModalities: ['IMAGE'] }),
        )
      ).status,
      400,
    );
    const bogus = await call(
      fake.apiBaseURL,
      'gemini-2.5-flash-image:generateContent',
      generate('x', { responseModalities: ['VIDEO'] }),
    );
    t.equal(bogus.status, 400);
  },
);

t.test('thought parts come first on gemini-3-pro; text may follow the image', async (t) => {
  const fake = await started(t);
  const pro = await call(
    fake.apiBaseURL,
    'gemini-3-pro-image-preview:generateContent',
    generate('x', { responseModalities: ['TEXT', 'IMAGE'] }),
  );
  const parts = pro.json.candidates[0].content.parts as Json[];
  t.equal(parts[0]!.thought, true);
  t.equal(parts[1]!.thought, true);
  t.ok(parts[1]!.inlineData);
  t.not(parts[1]!.inlineData.data, png64, 'the thought image differs from the final one');
  t.same(parts.at(-1)!.inlineData.data, png64);
  t.type(pro.json.usageMetadata.thoughtsTokenCount, 'number');
  const flash = await call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate('x'));
  t.notOk((flash.json.candidates[0].content.parts as Json[]).some((part) => part.thought));

  const after = await started(t, { textPosition: 'after', thoughtParts: 'never' });
  const reordered = (
    await call(after.apiBaseURL, 'gemini-3-pro-image-preview:generateContent', generate('x'))
  ).json.candidates[0].content.parts as Json[];
  t.ok(reordered[0]!.inlineData);
  t.type(reordered[1]!.text, 'string');
});

t.test('edit inputs: bad base64 and unsupported types are 400', async (t) => {
  const fake = await started(t);
  const target = 'gemini-2.5-flash-image:generateContent';
  const badData = await call(fake.apiBaseURL, target, {
    contents: [{ parts: [{ text: 'x' }, { inlineData: { mimeType: 'image/png', data: 'not base64!' } }] }],
  });
  t.equal(badData.status, 400);
  const gif = await call(fake.apiBaseURL, target, {
    contents: [{ parts: [{ text: 'x' }, { inlineData: { mimeType: 'image/gif', data: png64 } }] }],
  });
  t.equal(gif.status, 400);
  const empty = await call(fake.apiBaseURL, target, { contents: [] });
  t.equal(empty.status, 400);
  const notJson = await fetch(`${fake.apiBaseURL}/models/${target}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
    body: '{oops',
  });
  t.equal(notJson.status, 400);
});

t.test('every prompt block reason is an HTTP 200 with promptFeedback and no candidates', async (t) => {
  const fake = await started(t);
  for (const reason of geminiBlockReasons) {
    const { status, json } = await call(
      fake.apiBaseURL,
      'gemini-2.5-flash-image:generateContent',
      generate(`x ${geminiTriggers.blockPrompt(reason)}`),
    );
    t.equal(status, 200, reason);
    t.equal(json.promptFeedback.blockReason, reason);
    t.notOk('candidates' in json);
  }
  const empty = await started(t, { blockedPromptCandidates: 'empty' });
  const withEmpty = await call(
    empty.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.blockPrompt('SAFETY')),
  );
  t.same(withEmpty.json.candidates, []);
  const feedbackOnly = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.feedbackOnly),
  );
  t.same(feedbackOnly.json.candidates, []);
  t.type(feedbackOnly.json.promptFeedback.blockReasonMessage, 'string');
  const none = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.noCandidates),
  );
  t.same(none.json.candidates, []);
  t.notOk('promptFeedback' in none.json);
});

t.test('every no-image finish reason is an HTTP 200 candidate without an image', async (t) => {
  const fake = await started(t);
  for (const reason of geminiNoImageFinishReasons) {
    const { status, json } = await call(
      fake.apiBaseURL,
      'gemini-2.5-flash-image:generateContent',
      generate(geminiTriggers.finish(reason)),
    );
    t.equal(status, 200, reason);
    t.equal(json.candidates[0].finishReason, reason);
    t.notOk(
      (json.candidates[0].content.parts as Json[]).some((part) => part.inlineData),
      reason,
    );
  }
  const textOnly = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.textOnly),
  );
  t.equal(textOnly.json.candidates[0].finishReason, 'STOP');
  t.same(Object.keys(textOnly.json.candidates[0].content.parts[0]), ['text']);
  const bare = await started(t, { refusalParts: 'absent' });
  const noContent = await call(
    bare.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.finish('IMAGE_SAFETY')),
  );
  t.notOk('content' in noContent.json.candidates[0]);
});

t.test('error triggers give the docs/providers/gemini.md §3.1 bodies', async (t) => {
  const fake = await started(t, { retryDelay: '2s' });
  const send = (word: string) =>
    call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate(`x ${word}`));
  const limited = await send(geminiTriggers.rateLimited);
  t.equal(limited.status, 429);
  t.equal(limited.json.error.status, 'RESOURCE_EXHAUSTED');
  t.equal(limited.json.error.code, 429);
  const details = limited.json.error.details as Json[];
  t.equal(details.find((detail) => detail['@type'].endsWith('RetryInfo'))!.retryDelay, '2s');
  t.match(
    details.find((detail) => detail['@type'].endsWith('QuotaFailure'))!.violations[0].quotaId,
    /PerMinute/,
  );
  const hint = await send(geminiTriggers.rateLimitedMessageHint);
  t.notOk((hint.json.error.details as Json[]).some((detail) => detail['@type'].endsWith('RetryInfo')));
  t.match(hint.json.error.message, /Please retry in 7\.96s\./);
  const daily = await send(geminiTriggers.dailyQuota);
  t.match(daily.json.error.details[0].violations[0].quotaId, /PerDay/);
  const zero = await send(geminiTriggers.zeroQuota);
  t.match(zero.json.error.message, /limit: 0/);
  const expected: Array<[string, number, string]> = [
    [geminiTriggers.internal, 500, 'INTERNAL'],
    [geminiTriggers.overloaded, 503, 'UNAVAILABLE'],
    [geminiTriggers.deadline, 504, 'DEADLINE_EXCEEDED'],
    [geminiTriggers.location, 400, 'FAILED_PRECONDITION'],
  ];
  for (const [word, status, name] of expected) {
    const answer = await send(word);
    t.equal(answer.status, status, word);
    t.equal(answer.json.error.status, name, word);
    t.equal(answer.json.error.code, status, word);
  }
  const noRetryInfo = await started(t, { retryDelay: null });
  const bare = await call(
    noRetryInfo.apiBaseURL,
    'gemini-2.5-flash-image:generateContent',
    generate(geminiTriggers.rateLimited),
  );
  t.notOk((bare.json.error.details as Json[]).some((detail) => detail['@type'].endsWith('RetryInfo')));
});

t.test('fault injection: 429 after N calls, resets and malformed JSON', async (t) => {
  const fake = await started(t);
  fake.failWith('RESOURCE_EXHAUSTED', { after: 1, times: 2, retryDelay: '1s' });
  const statuses: number[] = [];
  for (let index = 0; index < 4; index++)
    statuses.push(
      (await call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate('x'))).status,
    );
  t.same(statuses, [200, 429, 429, 200]);
  fake.inject({ fault: geminiErrorFault('UNAVAILABLE') });
  const unavailable = await call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate('x'));
  t.equal(unavailable.json.error.status, 'UNAVAILABLE');
  fake.inject({ fault: { kind: 'reset' } });
  await t.rejects(call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate('x')));
  fake.inject({ fault: { kind: 'malformed-json' } });
  const malformed = await fetch(`${fake.apiBaseURL}/models/gemini-2.5-flash-image:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
    body: '{}',
  });
  const malformedText = await malformed.text();
  t.throws(() => JSON.parse(malformedText));
});

t.test('latency is configurable', async (t) => {
  const fake = await started(t, { latencyMs: 60 });
  const before = Date.now();
  await call(fake.apiBaseURL, 'gemini-2.5-flash-image:generateContent', generate('x'));
  t.ok(Date.now() - before >= 50);
});

function sseEvents(text: string): Json[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice(6)));
}

t.test('streamGenerateContent?alt=sse: text chunks, then the image, then finishReason', async (t) => {
  const fake = await started(t, { streamChunkDelayMs: 5 });
  const { status, headers, text } = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:streamGenerateContent?alt=sse',
    generate('x', { responseModalities: ['TEXT', 'IMAGE'] }),
  );
  t.equal(status, 200);
  t.match(headers.get('content-type'), /text\/event-stream/);
  const chunks = sseEvents(text);
  t.equal(chunks.length, 3);
  t.type(chunks[0]!.candidates[0].content.parts[0].text, 'string');
  t.equal(chunks[1]!.candidates[0].content.parts[0].inlineData.data, png64);
  t.equal(chunks[2]!.candidates[0].finishReason, 'STOP');
  t.notOk(chunks[2]!.candidates[0].content);
  t.ok(chunks[2]!.usageMetadata);
  t.equal(fake.calls[0]!.method, 'streamGenerateContent');

  const blocked = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:streamGenerateContent?alt=sse',
    generate(geminiTriggers.blockPrompt('PROHIBITED_CONTENT')),
  );
  t.same(
    sseEvents(blocked.text).map((chunk) => chunk.promptFeedback?.blockReason),
    ['PROHIBITED_CONTENT'],
  );
  const array = await call(fake.apiBaseURL, 'gemini-2.5-flash-image:streamGenerateContent', generate('x'));
  t.ok(Array.isArray(array.json));
  t.equal(array.json.length, 3);
  const failing = await call(
    fake.apiBaseURL,
    'gemini-2.5-flash-image:streamGenerateContent?alt=sse',
    generate(geminiTriggers.overloaded),
  );
  t.equal(failing.status, 503);
});

const predict = (prompt: string, parameters: Json = {}) => ({ instances: [{ prompt }], parameters });

t.test('Imagen :predict: sampleCount (default 4), images as bytesBase64Encoded', async (t) => {
  const fake = await started(t);
  const defaulted = await call(fake.apiBaseURL, 'imagen-4.0-generate-001:predict', predict('a robot'));
  t.equal(defaulted.status, 200);
  t.equal(defaulted.json.predictions.length, 4);
  t.same(defaulted.json.predictions[0], { bytesBase64Encoded: png64, mimeType: 'image/png' });
  const two = await call(
    fake.apiBaseURL,
    'imagen-4.0-fast-generate-001:predict',
    predict('a robot', { sampleCount: 2, aspectRatio: '16:9', personGeneration: 'ALLOW_ADULT' }),
  );
  t.equal(two.json.predictions.length, 2);
  const one = await started(t, { imagenDefaultSampleCount: 1 });
  t.equal(
    (await call(one.apiBaseURL, 'imagen-3.0-generate-002:predict', predict('x'))).json.predictions.length,
    1,
  );
  const jpeg = await call(
    fake.apiBaseURL,
    'imagen-4.0-ultra-generate-001:predict',
    predict('x', {
      sampleCount: 1,
      outputOptions: { mimeType: 'image/jpeg', compressionQuality: 80 },
      sampleImageSize: '2K',
    }),
  );
  t.equal(jpeg.json.predictions[0].mimeType, 'image/jpeg');
  t.equal(
    sniffImage(Buffer.from(jpeg.json.predictions[0].bytesBase64Encoded, 'base64'))?.mimeType,
    'image/jpeg',
  );
  t.equal(fake.calls.at(-1)!.method, 'predict');
});

t.test('Imagen parameters are validated per docs/providers/gemini.md §3.2', async (t) => {
  const fake = await started(t, { allowAllPersonGeneration: false });
  const cases: Array<[string, Json, number]> = [
    ['imagen-4.0-generate-001', { sampleCount: 5 }, 400],
    ['imagen-4.0-generate-001', { sampleCount: 0 }, 400],
    ['imagen-4.0-generate-001', { aspectRatio: '3:2' }, 400],
    ['imagen-4.0-generate-001', { personGeneration: 'dont_allow' }, 200],
    ['imagen-4.0-generate-001', { personGeneration: 'DONT_ALLOW' }, 200],
    ['imagen-4.0-generate-001', { personGeneration: 'allow_all' }, 400],
    ['imagen-4.0-generate-001', { personGeneration: 'everyone' }, 400],
    ['imagen-4.0-generate-001', { sampleImageSize: '2K' }, 200],
    ['imagen-4.0-generate-001', { sampleImageSize: '4K' }, 400],
    ['imagen-4.0-fast-generate-001', { sampleImageSize: '1K' }, 400],
    ['imagen-4.0-generate-001', { outputOptions: { mimeType: 'image/webp' } }, 400],
    ['imagen-4.0-generate-001', { outputOptions: { mimeType: 'image/jpeg', compressionQuality: 101 } }, 400],
    ['imagen-4.0-generate-001', { safetySetting: 'BLOCK_ONLY_HIGH' }, 200],
    ['imagen-4.0-generate-001', { seed: 42 }, 400],
    ['imagen-4.0-generate-001', { negativePrompt: 'cars' }, 400],
    ['imagen-3.0-generate-002', { negativePrompt: 'cars' }, 400],
    ['imagen-4.0-generate-001', { addWatermark: false }, 400],
  ];
  for (const [model, parameters, expected] of cases) {
    const { status, json } = await call(fake.apiBaseURL, `${model}:predict`, predict('x', parameters));
    t.equal(status, expected, `${model} ${JSON.stringify(parameters)}`);
    if (expected === 400) t.equal(json.error.status, 'INVALID_ARGUMENT');
  }
  const legacy = await started(t, { negativePromptModels: ['imagen-3.0-generate-002'] });
  t.equal(
    (
      await call(
        legacy.apiBaseURL,
        'imagen-3.0-generate-002:predict',
        predict('x', { negativePrompt: 'cars' }),
      )
    ).status,
    200,
  );
  const snake = await call(fake.apiBaseURL, 'imagen-4.0-generate-001:predict', {
    instances: [{ prompt: 'x' }],
    parameters: { sample_count: 1, aspect_ratio: '9:16' },
  });
  t.equal(snake.json.predictions.length, 1);
});

t.test('Imagen safety: attributes, filtered slots, all filtered, prompt rejected', async (t) => {
  const fake = await started(t);
  const target = 'imagen-4.0-generate-001:predict';
  const safety = await call(
    fake.apiBaseURL,
    target,
    predict('x', { sampleCount: 2, includeSafetyAttributes: true }),
  );
  const predictions = safety.json.predictions as Json[];
  t.equal(predictions.length, 3);
  t.ok(predictions[0]!.safetyAttributes);
  t.equal(predictions[2]!.contentType, 'Positive Prompt');
  t.notOk(predictions[2]!.bytesBase64Encoded);

  const some = await call(
    fake.apiBaseURL,
    target,
    predict(geminiTriggers.filterSome, { sampleCount: 4, includeRaiReason: true }),
  );
  const kept = (some.json.predictions as Json[]).filter((prediction) => prediction.bytesBase64Encoded);
  const reasons = (some.json.predictions as Json[]).filter((prediction) => prediction.raiFilteredReason);
  t.equal(kept.length, 2);
  t.equal(reasons.length, 1);
  const silent = await call(fake.apiBaseURL, target, predict(geminiTriggers.filterSome, { sampleCount: 4 }));
  t.equal(silent.json.predictions.length, 2);
  t.notOk((silent.json.predictions as Json[]).some((prediction) => prediction.raiFilteredReason));

  const all = await call(
    fake.apiBaseURL,
    target,
    predict(geminiTriggers.filterAll, { sampleCount: 2, includeRaiReason: true }),
  );
  t.same(Object.keys(all.json.predictions[0]), ['raiFilteredReason']);
  t.equal(all.json.predictions.length, 1);
  const allSilent = await call(
    fake.apiBaseURL,
    target,
    predict(geminiTriggers.filterAll, { sampleCount: 2 }),
  );
  t.same(allSilent.json, {});

  const perImage = await started(t, { raiFilteredSlots: 'per-image' });
  const slots = await call(
    perImage.apiBaseURL,
    target,
    predict(geminiTriggers.filterSome, { sampleCount: 4, includeRaiReason: true }),
  );
  t.equal((slots.json.predictions as Json[]).filter((prediction) => prediction.raiFilteredReason).length, 2);

  const rejected = await call(
    fake.apiBaseURL,
    target,
    predict(geminiTriggers.promptRejected, { sampleCount: 1 }),
  );
  t.equal(rejected.status, 400);
  t.equal(rejected.json.error.status, 'INVALID_ARGUMENT');
  t.match(rejected.json.error.message, /Responsible AI/);
  const limited = await call(
    fake.apiBaseURL,
    target,
    predict(geminiTriggers.rateLimited, { sampleCount: 1 }),
  );
  t.equal(limited.status, 429);
});
