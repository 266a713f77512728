import t from 'tap';
import { ContentPolicyError, InvalidRequestError, UnsupportedCapabilityError, sniffImage } from '@uig/core';
import { geminiTriggers, tinyPng } from '@uig/testkit';
import { lastBody, makeCall, providerFor, startFake, testKey } from './helpers.js';

const png64 = tinyPng().toString('base64');

t.test('imagen-4.0-generate-001: sampleCount = n, aspect ratio, includeRaiReason; images back', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(
    makeCall({ model: 'imagen-4.0-generate-001', n: 3, aspectRatio: '9:16' }),
  );
  const request = fake.requests.at(-1)!;
  t.equal(request.path, '/v1beta/models/imagen-4.0-generate-001:predict');
  t.equal(request.headers['x-goog-api-key'], testKey);
  t.same(request.json, {
    instances: [{ prompt: 'a lighthouse at dawn' }],
    parameters: { sampleCount: 3, aspectRatio: '9:16', includeRaiReason: true },
  });
  t.equal(result.images.length, 3);
  t.same(result.images[0], { kind: 'base64', data: png64, mimeType: 'image/png' });
  t.same(result.warnings, []);
  t.same(result.metadata, {});
});

t.test('sampleCount is always sent, even for one image (the default is 4 upstream)', async (t) => {
  const fake = await startFake(t, { imagenDefaultSampleCount: 4 });
  const result = await providerFor(fake).generate(makeCall({ model: 'imagen-3.0-generate-002', n: 1 }));
  t.equal(lastBody(fake).parameters.sampleCount, 1);
  t.equal(result.images.length, 1);
});

t.test('provider options map to docs/providers/gemini.md §3.2 parameters', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(
    makeCall({
      model: 'imagen-4.0-ultra-generate-001',
      n: 2,
      aspectRatio: '4:3',
      providerOptions: {
        person_generation: 'ALLOW_ADULT',
        image_size: '2K',
        output_mime_type: 'image/jpeg',
        output_compression_quality: 75,
        safety_setting: 'BLOCK_ONLY_HIGH',
        include_safety_attributes: true,
      },
    }),
  );
  t.same(lastBody(fake).parameters, {
    sampleCount: 2,
    aspectRatio: '4:3',
    personGeneration: 'allow_adult',
    sampleImageSize: '2K',
    outputOptions: { mimeType: 'image/jpeg', compressionQuality: 75 },
    safetySetting: 'block_only_high',
    includeRaiReason: true,
    includeSafetyAttributes: true,
  });
  t.equal(result.images.length, 2, 'the Positive Prompt entry is not an image');
  t.equal(result.images[0]!.mimeType, 'image/jpeg');
  t.equal(
    sniffImage(Buffer.from((result.images[0] as { data: string }).data, 'base64'))?.mimeType,
    'image/jpeg',
  );
  t.same(result.metadata?.safetyAttributes, [
    { categories: ['Porn', 'Violence'], scores: [0, 0] },
    { categories: ['Porn', 'Violence'], scores: [0, 0] },
  ]);
  t.ok(result.metadata?.promptSafetyAttributes);
});

t.test('quality hd becomes sampleImageSize 2K on Standard and Ultra, nothing on Fast', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  await provider.generate(makeCall({ model: 'imagen-4.0-generate-001', quality: 'hd' }));
  t.equal(lastBody(fake).parameters.sampleImageSize, '2K');
  await provider.generate(
    makeCall({ model: 'imagen-4.0-fast-generate-001', quality: 'hd', providerOptions: { image_size: '2K' } }),
  );
  t.notOk(
    'sampleImageSize' in lastBody(fake).parameters,
    'Fast takes no sampleImageSize (docs/providers/gemini.md §3.2)',
  );
});

t.test('filtered predictions are skipped; raiFilteredReason is a partial_failure warning', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(
    makeCall({ model: 'imagen-4.0-generate-001', n: 4, prompt: `a crowd ${geminiTriggers.filterSome}` }),
  );
  t.equal(result.images.length, 2);
  t.equal(result.warnings.length, 1);
  t.equal(result.warnings[0]!.type, 'partial_failure');
  t.equal(result.warnings[0]!.feature, 'n');
  t.equal((result.metadata?.raiFilteredReasons as string[]).length, 1);

  const perImage = await startFake(t, { raiFilteredSlots: 'per-image' });
  const slots = await providerFor(perImage).generate(
    makeCall({ model: 'imagen-4.0-generate-001', n: 4, prompt: geminiTriggers.filterSome }),
  );
  t.equal(slots.images.length, 2);
  t.equal(slots.warnings[0]!.type, 'partial_failure');
});

t.test('every image filtered is a ContentPolicyError, with or without a reason', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const error = await provider
    .generate(makeCall({ model: 'imagen-4.0-generate-001', n: 2, prompt: geminiTriggers.filterAll }))
    .catch((caught: unknown) => caught);
  t.type(error, ContentPolicyError);
  t.equal((error as ContentPolicyError).code, 'CONTENT_POLICY_VIOLATION');
  t.equal((error as ContentPolicyError).vendorCode, 'RAI_FILTERED');
  t.equal((error as ContentPolicyError).retryable, false);

  // docs/providers/gemini.md §3.2 (unverified): a bare `{}` when everything was filtered.
  fake.inject({ fault: { kind: 'status', status: 200, body: {} } });
  await t.rejects(provider.generate(makeCall({ model: 'imagen-4.0-generate-001' })), {
    name: 'ContentPolicyError',
    code: 'CONTENT_POLICY_VIOLATION',
  });
  fake.inject({
    fault: {
      kind: 'status',
      status: 200,
      body: { predictions: [{ contentType: 'Positive Prompt', safetyAttributes: {} }] },
    },
  });
  await t.rejects(provider.generate(makeCall({ model: 'imagen-4.0-generate-001' })), {
    name: 'ContentPolicyError',
  });
});

t.test('a prompt refused as Responsible AI (HTTP 400) is a ContentPolicyError', async (t) => {
  const fake = await startFake(t);
  const error = await providerFor(fake)
    .generate(makeCall({ model: 'imagen-4.0-fast-generate-001', prompt: geminiTriggers.promptRejected }))
    .catch((caught: unknown) => caught);
  t.type(error, ContentPolicyError);
  t.equal((error as ContentPolicyError).vendorCode, 'PROMPT_BLOCKED');
  t.equal((error as ContentPolicyError).status, 400);
});

t.test('seed and negative prompt are refused before any call', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  for (const model of [
    'imagen-4.0-generate-001',
    'imagen-4.0-ultra-generate-001',
    'imagen-4.0-fast-generate-001',
    'imagen-3.0-generate-002',
  ]) {
    const seed = t.throws(() =>
      provider.check!(makeCall({ model, seed: 7 }), 'generate'),
    ) as unknown as UnsupportedCapabilityError;
    t.type(seed, UnsupportedCapabilityError, model);
    t.equal(seed.code, 'SEED_NOT_SUPPORTED');
    t.equal(seed.param, 'seed');
    t.equal(seed.status, 400);
    const negative = t.throws(() =>
      provider.check!(makeCall({ model, negativePrompt: 'cars' }), 'generate'),
    ) as unknown as UnsupportedCapabilityError;
    t.type(negative, UnsupportedCapabilityError, model);
    t.equal(negative.code, 'NEGATIVE_PROMPT_NOT_SUPPORTED');
    t.equal(negative.param, 'negative_prompt');
  }
  t.equal(fake.requests.length, 0);
  // The native models only ignore them (core turns that into a warning).
  t.same(provider.check!(makeCall({ seed: 7, negativePrompt: 'cars' }), 'generate'), []);
});

t.test('check: options the model cannot use are warnings or 400s', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const fast = provider.check!(
    makeCall({
      model: 'imagen-4.0-fast-generate-001',
      providerOptions: { image_size: '2K', safety_settings: [] },
    }),
    'generate',
  );
  t.same(
    fast.map((warning) => [warning.type, warning.feature]),
    [
      ['unsupported', 'provider_options.gemini.safety_settings'],
      ['unsupported', 'provider_options.gemini.image_size'],
    ],
  );
  const fourK = t.throws(() =>
    provider.check!(
      makeCall({ model: 'imagen-4.0-generate-001', providerOptions: { image_size: '4K' } }),
      'generate',
    ),
  ) as unknown as InvalidRequestError;
  t.type(fourK, InvalidRequestError);
  t.equal(fourK.param, 'provider_options.gemini.image_size');
  const png = t.throws(() =>
    provider.check!(
      makeCall({ model: 'imagen-4.0-generate-001', providerOptions: { output_compression_quality: 80 } }),
      'generate',
    ),
  ) as unknown as InvalidRequestError;
  t.equal(png.param, 'provider_options.gemini.output_compression_quality');
  const edit = t.throws(() =>
    provider.check!(makeCall({ model: 'imagen-4.0-generate-001' }), 'edit'),
  ) as unknown as UnsupportedCapabilityError;
  t.equal(edit.code, 'EDIT_NOT_SUPPORTED');

  const native = provider.check!(
    makeCall({
      model: 'gemini-2.5-flash-image',
      providerOptions: { person_generation: 'allow_all', output_mime_type: 'image/jpeg', image_size: '2K' },
    }),
    'generate',
  );
  t.same(
    native.map((warning) => warning.feature),
    [
      'provider_options.gemini.person_generation',
      'provider_options.gemini.output_mime_type',
      'provider_options.gemini.image_size',
    ],
  );
  const both = provider.check!(
    makeCall({ model: 'gemini-3-pro-image-preview', quality: 'hd', providerOptions: { image_size: '4K' } }),
    'generate',
  );
  t.same(
    both.map((warning) => [warning.type, warning.feature]),
    [['adjusted', 'quality']],
  );
  const gif = t.throws(() =>
    provider.check!(
      makeCall({ images: [{ data: new Uint8Array(4), mimeType: 'image/gif', width: 1, height: 1 }] }),
      'edit',
    ),
  ) as unknown as InvalidRequestError;
  t.equal(gif.code, 'UNSUPPORTED_IMAGE_TYPE');
  t.equal(gif.param, 'image');
  t.equal(fake.requests.length, 0);
});

t.test('the options schema is strict', async (t) => {
  const fake = await startFake(t);
  const schema = providerFor(fake).optionsSchema;
  t.notOk(schema.safeParse({ imageSize: '2K' }).success, 'unknown key');
  t.notOk(
    schema.safeParse({ image_size: '2k' }).success,
    'upper-case K only (docs/providers/gemini.md §3.3)',
  );
  t.notOk(schema.safeParse({ person_generation: 'everyone' }).success);
  t.ok(schema.safeParse({ person_generation: 'DONT_ALLOW', image_size: null }).success);
});
