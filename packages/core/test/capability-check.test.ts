import t from 'tap';
import { InvalidRequestError, planCall, UnsupportedCapabilityError, type ImageRequest } from '@uig/core';
import { model } from './helpers.js';

const request = (fields: Partial<ImageRequest> = {}): ImageRequest => ({
  kind: 'generate',
  prompt: 'a cat',
  n: 1,
  images: [],
  providerOptions: {},
  ...fields,
});
const sized = model('sized');
const ratios = model('ratios', { sizes: undefined, aspectRatios: ['1:1', '16:9', '9:16', '4:3'] });

t.test('no size means the model default', async (t) => {
  t.same(planCall(request(), sized, 'p/sized').size, { width: 1024, height: 1024 });
  t.same(planCall(request({ size: 'auto' }), sized, 'p/sized').size, { width: 1024, height: 1024 });
});

t.test('an allowed or custom size passes; a broken one is a 400 naming size', async (t) => {
  t.same(planCall(request({ size: '1344x768' }), sized, 'p/sized').size, { width: 1344, height: 768 });
  t.same(planCall(request({ size: '1024x512' }), sized, 'p/sized').size, { width: 1024, height: 512 });
  for (const size of ['1000x1000', '4096x512', '256x256']) {
    const error = t.throws(() => planCall(request({ size }), sized, 'p/sized')) as InvalidRequestError;
    t.ok(error instanceof InvalidRequestError, size);
    t.equal(error.param, 'size');
    t.equal(error.code, 'INVALID_SIZE');
  }
});

t.test('an aspect ratio becomes an allowed size with that ratio, else a custom size', async (t) => {
  t.same(planCall(request({ aspectRatio: '7:4' }), sized, 'p/sized').size, { width: 1344, height: 768 });
  t.same(planCall(request({ aspectRatio: '16:9' }), sized, 'p/sized').size, { width: 1392, height: 784 }); // nearest to 16:9 on a 16 px grid
  const listOnly = model('list', { sizes: { allowed: ['1024x1024', '1792x1024'], default: '1024x1024' } });
  const error = t.throws(() =>
    planCall(request({ aspectRatio: '16:9' }), listOnly, 'p/list'),
  ) as InvalidRequestError;
  t.equal(error.param, 'aspect_ratio');
});

t.test('size and aspect_ratio that disagree are refused', async (t) => {
  const error = t.throws(() =>
    planCall(request({ size: '1024x1024', aspectRatio: '16:9' }), sized, 'p/sized'),
  ) as InvalidRequestError;
  t.equal(error.code, 'CONFLICTING_SIZE');
});

t.test('a ratio-only model maps a size to its ratio, with a warning', async (t) => {
  const exact = planCall(request({ size: '1920x1080' }), ratios, 'p/ratios');
  t.equal(exact.aspectRatio, '16:9');
  t.equal(exact.size, undefined);
  t.match(exact.warnings, [{ type: 'adjusted', feature: 'size' }]);
  const nearest = planCall(request({ size: '1000x900' }), ratios, 'p/ratios');
  t.equal(nearest.aspectRatio, '1:1');
  t.match(nearest.warnings, [{ type: 'adjusted', feature: 'size' }]);
  t.throws(() => planCall(request({ aspectRatio: '21:9' }), ratios, 'p/ratios'), {
    param: 'aspect_ratio',
    code: 'INVALID_ASPECT_RATIO',
  });
  t.equal(planCall(request({ aspectRatio: '9:16' }), ratios, 'p/ratios').aspectRatio, '9:16');
});

t.test('a ratio-only model with resolution tiers: size maps to the nearest ratio and tier', async (t) => {
  const tiered = model('tiered', {
    sizes: undefined,
    aspectRatios: ['1:1', '16:9', '9:16', '4:3', '21:9'],
    sizeTiers: [
      { name: '1K', side: 1024 },
      { name: '2K', side: 2048 },
      { name: '4K', side: 4096 },
    ],
  });
  const plan = (fields: Partial<ImageRequest>) => planCall(request(fields), tiered, 'p/tiered');
  const square = plan({ size: '2048x2048' });
  t.same([square.aspectRatio, square.sizeTier], ['1:1', '2K']);
  t.match(square.warnings, [
    { type: 'adjusted', feature: 'size', message: /sent as aspect ratio 1:1 at resolution 2K/ },
  ]);
  const wide = plan({ size: '3840x2160' });
  t.same([wide.aspectRatio, wide.sizeTier], ['16:9', '4K'], '8.3 MP needs 4K: 2K holds 4.2 MP');
  t.equal(plan({ size: '1536x1024' }).sizeTier, '2K', '1.5 MP is more than 1K holds');
  t.equal(plan({ size: '1344x768' }).sizeTier, '1K', 'within a tenth of 1K');
  const approximate = plan({ size: '1000x900' });
  t.same([approximate.aspectRatio, approximate.sizeTier], ['1:1', '1K']);
  t.match(approximate.warnings, [{ message: /nearest aspect ratio, 1:1 at resolution 1K/ }]);
  const small = plan({ size: '256x256' });
  t.equal(small.sizeTier, '1K', 'below the smallest tier: the smallest, with a warning');
  t.match(small.warnings, [{ message: /nearest/ }]);
  const both = plan({ size: '2048x1152', aspectRatio: '16:9' });
  t.same(
    [both.aspectRatio, both.sizeTier],
    ['16:9', '2K'],
    'aspect_ratio with a size: the size picks the tier',
  );
  t.equal(plan({ aspectRatio: '16:9' }).sizeTier, undefined, 'no size: the vendor default');

  // What the model cannot make at all is a 400 naming size, not a silent downgrade.
  t.throws(() => plan({ size: '8192x8192' }), {
    param: 'size',
    code: 'INVALID_SIZE',
    message: /largest about 4096x4096 pixels \(4K\)/,
  });
  t.throws(() => plan({ size: '4096x512' }), {
    param: 'size',
    code: 'INVALID_SIZE',
    message: /nearest is 21:9/,
  });
  const oneTier = model('one', {
    sizes: undefined,
    aspectRatios: ['1:1'],
    sizeTiers: [{ name: '1K', side: 1024 }],
  });
  t.equal(
    planCall(request({ size: '1280x1280' }), oneTier, 'p/one').sizeTier,
    '1K',
    '1.6 MP on a 1 MP model',
  );
  t.throws(() => planCall(request({ size: '1536x1536' }), oneTier, 'p/one'), {
    param: 'size',
    message: /it has one resolution/,
  });
});

t.test('quality: kept, mapped with a warning, dropped with a warning, or refused', async (t) => {
  t.equal(planCall(request({ quality: 'hd' }), sized, 'p').quality, 'hd');
  const mapped = planCall(request({ quality: 'high' }), sized, 'p');
  t.equal(mapped.quality, 'hd');
  t.match(mapped.warnings, [{ type: 'adjusted', feature: 'quality' }]);
  t.equal(planCall(request({ quality: 'auto' }), sized, 'p').quality, undefined);
  const none = planCall(request({ quality: 'hd' }), model('q', { qualities: undefined }), 'p');
  t.equal(none.quality, undefined);
  t.match(none.warnings, [{ type: 'unsupported', feature: 'quality' }]);
  t.throws(() => planCall(request({ quality: 'ultra' }), sized, 'p'), {
    param: 'quality',
    code: 'INVALID_QUALITY',
  });
});

t.test('seed and negative prompt the model ignores become warnings, never silent', async (t) => {
  const plan = planCall(request({ seed: 7, negativePrompt: 'blur' }), sized, 'p');
  t.equal(plan.seed, undefined);
  t.equal(plan.negativePrompt, undefined);
  t.same(plan.warnings.map((warning) => warning.feature).sort(), ['negative_prompt', 'seed']);
  const honoured = planCall(
    request({ seed: 7, negativePrompt: 'blur' }),
    model('s', { seed: true, negativePrompt: true }),
    'p',
  );
  t.equal(honoured.seed, 7);
  t.equal(honoured.negativePrompt, 'blur');
  t.same(honoured.warnings, []);
});

t.test('n is split by the per-call maximum, and capped per request', async (t) => {
  t.same(planCall(request({ n: 3 }), sized, 'p').batches, [1, 1, 1]);
  t.same(
    planCall(request({ n: 10 }), model('m', { maxImagesPerCall: 4, maxImagesPerRequest: 10 }), 'p').batches,
    [4, 4, 2],
  );
  t.throws(() => planCall(request({ n: 5 }), sized, 'p'), { param: 'n', code: 'INVALID_N' });
});

t.test('what a model cannot do is a 400 naming the field', async (t) => {
  const png = { data: new Uint8Array(), mimeType: 'image/png', width: 1, height: 1 };
  t.throws(() => planCall(request({ kind: 'edit', images: [png] }), sized, 'p'), UnsupportedCapabilityError);
  const editor = model('e', { edit: true, maxInputImages: 1 });
  t.throws(() => planCall(request({ kind: 'edit', images: [png], mask: png }), editor, 'p'), {
    param: 'mask',
    code: 'MASK_NOT_SUPPORTED',
  });
  t.throws(() => planCall(request({ kind: 'edit', images: [png, png] }), editor, 'p'), {
    param: 'image',
    code: 'TOO_MANY_IMAGES',
  });
  t.throws(() => planCall(request(), model('edit-only', { generate: false, edit: true }), 'p'), {
    code: 'IMAGE_REQUIRED',
  });
  t.throws(() => planCall(request({ prompt: 'x'.repeat(1001) }), sized, 'p'), {
    param: 'prompt',
    code: 'PROMPT_TOO_LONG',
  });
});

t.test('a model with no size rules warns about size and aspect_ratio instead of guessing', async (t) => {
  const keepsInput = model('edit', { sizes: undefined, aspectRatios: undefined });
  for (const fields of [{ size: '1024x1024' }, { aspectRatio: '16:9' }]) {
    const plan = planCall(request(fields), keepsInput, 'p/edit');
    t.equal(plan.size, undefined);
    t.equal(plan.aspectRatio, undefined);
    t.match(plan.warnings, [{ type: 'unsupported', feature: fields.size ? 'size' : 'aspect_ratio' }]);
  }
});

t.test(
  "aspect ratios at a model's limit still find a size (gpt-image-2: 3:1, sides %16, ≥655,360 px)",
  async (t) => {
    const free = model('free', {
      sizes: {
        custom: {
          minSide: 480,
          maxSide: 3840,
          multipleOf: 16,
          maxPixels: 8_294_400,
          minPixels: 655_360,
          maxAspectRatio: 3,
        },
        default: '1024x1024',
      },
    });
    for (const ratio of ['3:1', '1:3', '16:9', '4:3', '1:1']) {
      const { size } = planCall(request({ aspectRatio: ratio }), free, 'p/free');
      const [w, h] = ratio.split(':').map(Number) as [number, number];
      t.ok(size, ratio);
      t.ok(Math.abs(size!.width / size!.height - w / h) < 0.02, `${ratio} → ${size!.width}x${size!.height}`);
      t.equal(size!.width % 16, 0);
      t.ok(size!.width * size!.height >= 655_360);
    }
    t.throws(
      () => planCall(request({ size: '512x512' }), free, 'p/free'),
      { code: 'INVALID_SIZE', param: 'size' },
      'below the pixel floor',
    );
  },
);

t.test('an edit with no size keeps the input size: no default is forced', async (t) => {
  const png = { data: new Uint8Array(), mimeType: 'image/png', width: 300, height: 200 };
  const editor = model('e', { edit: true, maxInputImages: 1 });
  t.equal(planCall(request({ kind: 'edit', images: [png] }), editor, 'p').size, undefined);
  t.same(planCall(request({ kind: 'edit', images: [png], size: '1024x1024' }), editor, 'p').size, {
    width: 1024,
    height: 1024,
  });
});
