import t from 'tap';
import type { ImageRequest } from '@uig/core';
import { startService } from './helpers.js';

/**
 * A request's `size` / `aspect_ratio` on the Gemini image models, through core to the fake:
 * the wire carries `imageConfig.aspectRatio` and (where the model takes it) `imageSize`
 * (docs/providers/gemini.md §3.3, §15); a mapping is always named in a warning, and what the
 * model cannot make is a 400 naming the field, with no vendor call.
 */

t.test('gemini-3.1-flash-image: size becomes aspectRatio + imageSize on the wire', async (t) => {
  const { run, sent } = await startService(t);
  const model = 'gemini/gemini-3.1-flash-image';
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['1024x1024', { aspectRatio: '1:1', imageSize: '1K' }, /sent as aspect ratio 1:1 at resolution 1K/],
    ['2048x2048', { aspectRatio: '1:1', imageSize: '2K' }, /sent as aspect ratio 1:1 at resolution 2K/],
    ['3840x2160', { aspectRatio: '16:9', imageSize: '4K' }, /16:9 at resolution 4K/],
    ['512x512', { aspectRatio: '1:1', imageSize: '512' }, /1:1 at resolution 512/],
    ['1536x1024', { aspectRatio: '3:2', imageSize: '2K' }, /nearest aspect ratio, 3:2 at resolution 2K/],
    ['4096x512', { aspectRatio: '8:1', imageSize: '2K' }, /8:1 at resolution 2K/],
    ['1000x700', { aspectRatio: '3:2', imageSize: '1K' }, /nearest aspect ratio, 3:2 at resolution 1K/],
  ];
  for (const [size, imageConfig, message] of cases) {
    const result = await run({ model, size });
    t.same(sent(), imageConfig, size);
    t.match(
      result.warnings.filter((warning) => warning.feature === 'size'),
      [{ type: 'adjusted', message }],
      `${size}: the warning names the ratio and the tier`,
    );
  }
  await run({ model, aspectRatio: '21:9' });
  t.same(sent(), { aspectRatio: '21:9' }, 'aspect_ratio alone: the vendor default resolution');
  await run({ model, aspectRatio: '16:9', size: '2048x1152' });
  t.same(sent(), { aspectRatio: '16:9', imageSize: '2K' }, 'both: the size picks the tier');
});

t.test('gemini-3-pro-image: the size tier wins over quality, and image_size over both', async (t) => {
  const { run, sent } = await startService(t);
  const model = 'gemini/gemini-3-pro-image';
  const hd = await run({ model, size: '1024x1024', quality: 'hd' });
  t.same(sent(), { aspectRatio: '1:1', imageSize: '1K' });
  t.match(hd.warnings, [
    { feature: 'size' },
    { feature: 'quality', message: /size sets the output resolution \(1K\)/ },
  ]);
  await run({ model, quality: 'hd' });
  t.same(sent(), { imageSize: '2K' }, 'no size: quality hd still means 2K');
  const option = await run({ model, size: '1024x1024', providerOptions: { gemini: { image_size: '4K' } } });
  t.same(sent(), { aspectRatio: '1:1', imageSize: '4K' });
  t.ok(
    option.warnings.some(
      (warning) => warning.feature === 'size' && /image_size 4K was sent/.test(warning.message),
    ),
  );
  const error = await run({ model, size: '512x512' }).then(() => undefined);
  t.equal(error, undefined, 'below the smallest tier is served at the smallest');
  t.same(sent(), { aspectRatio: '1:1', imageSize: '1K' });
});

t.test('gemini-2.5-flash-image: one resolution, so no imageSize is sent', async (t) => {
  const { run, sent } = await startService(t);
  const result = await run({ model: 'gemini/gemini-2.5-flash-image', size: '1344x768' });
  t.same(sent(), { aspectRatio: '16:9' });
  t.match(result.warnings, [
    { feature: 'size', message: /nearest aspect ratio, 16:9 at its one resolution, 1K/ },
  ]);
});

t.test('what the model cannot make is a 400 naming the field, and the vendor is not called', async (t) => {
  const { fake, run } = await startService(t);
  const cases: Array<[Partial<ImageRequest>, string, RegExp]> = [
    [
      { model: 'gemini/gemini-2.5-flash-image', size: '2048x2048' },
      'size',
      /one resolution, the largest about 1024x1024 pixels \(1K\)/,
    ],
    [
      { model: 'gemini/gemini-3.1-flash-image', size: '8192x8192' },
      'size',
      /largest about 4096x4096 pixels \(4K\)/,
    ],
    [{ model: 'gemini/gemini-2.5-flash-image', size: '4096x512' }, 'size', /nearest is 21:9/],
    [{ model: 'gemini/gemini-2.5-flash-image', aspectRatio: '8:1' }, 'aspect_ratio', /use one of 1:1/],
    [
      { model: 'gemini/gemini-3-pro-image', providerOptions: { gemini: { image_size: '512' } } },
      'provider_options.gemini.image_size',
      /use 1K or 2K or 4K/,
    ],
  ];
  for (const [fields, param, message] of cases) {
    const error = await run(fields).catch((caught: unknown) => caught);
    t.match(error, { status: 400, param, message }, JSON.stringify(fields));
  }
  t.equal(fake.requests.length, 0);
});

t.test("the answer's cost and the ledger's come from the image tokens in usageMetadata", async (t) => {
  const { run, records } = await startService(t);
  // The fake reports 1120 IMAGE tokens (+ 8 text) at 1K/2K and 2000 at 4K on gemini-3 models.
  const oneK = await run({ model: 'gemini/gemini-3.1-flash-image', size: '1024x1024' });
  t.equal(oneK.usage.estimatedCostUsd, 0.0672, '1120 × $60 per 1M; the 8 text tokens have no listed price');
  t.same(oneK.usage.outputTokensDetails, { imageTokens: 1120, textTokens: 8 });
  const fourK = await run({ model: 'gemini/gemini-3.1-flash-image', size: '3840x2160', n: 2 });
  t.equal(fourK.usage.estimatedCostUsd, 0.24, '2 × 2000 × $60 per 1M');
  t.same(
    records.map((record) => record.estimatedCostUsd),
    [0.0672, 0.24],
    'the ledger records the same cost as the answer',
  );
});
