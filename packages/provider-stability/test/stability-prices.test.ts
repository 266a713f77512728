import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { stabilityPlugin } from '../src/index.js';

/** Stability's price table (docs/providers/stability.md §16): credits per image at $0.01, any size. */
t.test('Stability: credits per image', async (t) => {
  checkPriceTable(t, stabilityPlugin, [
    { model: 'ultra', input: { images: 1 }, usd: 0.08, why: '8 credits' },
    { model: 'core', input: { images: 4 }, usd: 0.12, why: '4 × 3 credits' },
    { model: 'sd3.5-large', input: { images: 1 }, usd: 0.065, why: '6.5 credits' },
    { model: 'sd3.5-large-turbo', input: { images: 1 }, usd: 0.04, why: '4 credits' },
    { model: 'sd3.5-medium', input: { images: 2 }, usd: 0.07, why: '2 × 3.5 credits' },
    { model: 'sd3.5-flash', input: { images: 1 }, usd: 0.025, why: '2.5 credits' },
    { model: 'inpaint', input: { images: 1, inputPixels: [1024 * 1024] }, usd: 0.05, why: '5 credits' },
  ]);
});
