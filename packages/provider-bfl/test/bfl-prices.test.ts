import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { bflPlugin } from '../src/index.js';

/**
 * BFL's price table (docs/providers/bfl.md §7.8, §16), worked by hand. FLUX.2 bills the first
 * megapixel, each further output megapixel and every input megapixel; BFL's megapixel is
 * 1,000,000 pixels, so 1024x1024 is 1.048576 MP. The others are per image.
 */
t.test('BFL: FLUX.2 per megapixel (inputs too), the others per image', async (t) => {
  checkPriceTable(t, bflPlugin, [
    {
      model: 'flux-2-pro',
      input: { images: 1, size: '1024x1024' },
      usd: 0.030729,
      why: '$0.03 + 0.048576 × $0.015 = $0.03072864',
    },
    {
      model: 'flux-2-pro',
      input: { images: 1, size: '1024x1024', inputPixels: [1024 * 1024] },
      usd: 0.046457,
      why: 'an edit: $0.03072864 + 1.048576 input MP × $0.015 = $0.04645728',
    },
    {
      model: 'flux-2-klein-4b',
      input: { images: 1, size: '2048x1024' },
      usd: 0.015097,
      why: '$0.014 + 1.097152 × $0.001 = $0.015097152',
    },
    {
      model: 'flux-2-max',
      input: { images: 2, size: '1000x1000' },
      usd: 0.14,
      why: '1 MP exactly: 2 × $0.07',
    },
    {
      model: 'flux-2-flex',
      input: { images: 1, size: '512x512' },
      usd: 0.05,
      why: 'under 1 MP: the first-MP price',
    },
    { model: 'flux-kontext-max', input: { images: 2 }, usd: 0.16, why: '2 × $0.08' },
    { model: 'flux-pro-1.1-ultra', input: { images: 1 }, usd: 0.06, why: '$0.06 (raw mode too)' },
    {
      model: 'flux-pro-1.0-fill',
      input: { images: 1, size: '1024x1024', inputPixels: [1024 * 1024] },
      usd: 0.05,
      why: 'per image: inputs are not billed',
    },
    {
      model: 'flux-2-pro',
      input: { images: 1, size: '1024x1024', usage: { vendorCostUsd: 0.0308 } },
      usd: 0.0308,
      why: "the submit answer's cost (3.08 credits) wins over the list price",
    },
  ]);
});
