import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { falPlugin } from '../src/index.js';

/** fal's price table (docs/providers/fal.md §16), worked by hand; fal's megapixel is 1024 × 1024. */
t.test('fal: per megapixel (whole MP where fal rounds up), or per image', async (t) => {
  checkPriceTable(t, falPlugin, [
    { model: 'fal-ai/flux/dev', input: { images: 1, size: '1024x1024' }, usd: 0.025, why: '1 MP × $0.025' },
    {
      model: 'fal-ai/flux/dev',
      input: { images: 2, size: '1536x1024' },
      usd: 0.1,
      why: '1.5 MP rounds up to 2: 2 images × 2 × $0.025',
    },
    {
      model: 'fal-ai/flux/schnell',
      input: { images: 1, size: '1024x768' },
      usd: 0.00225,
      why: '0.75 MP × $0.003, not rounded',
    },
    {
      model: 'fal-ai/flux-2-pro',
      input: { images: 1, size: '2048x1024' },
      usd: 0.045,
      why: '2 MP: $0.03 + 1 × $0.015',
    },
    { model: 'fal-ai/flux-pro/kontext', input: { images: 1 }, usd: 0.04, why: '$0.04 per image' },
  ]);
});

t.test('an endpoint declared in the config file is priced as declared', async (t) => {
  checkPriceTable(
    t,
    falPlugin,
    [{ model: 'fal-ai/recraft-v3', input: { images: 3 }, usd: 0.12, why: '3 × the declared $0.04' }],
    {
      endpoints: [
        {
          id: 'fal-ai/recraft-v3',
          input: { prompt: 'prompt' },
          price: { usd: 0.04, readOn: '2026-11-20', source: 'https://fal.ai/models/fal-ai/recraft-v3' },
        },
      ],
    },
  );
});
