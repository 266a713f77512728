import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { geminiPlugin } from '../src/index.js';

/**
 * The Gemini price table (docs/providers/gemini.md §16), worked by hand. The image models
 * bill output image tokens (from `usageMetadata`); before the call, 3.1 Flash is estimated
 * per image by its `imageSize` tier.
 */
t.test('Gemini: image output tokens from the answer, else per image by tier', async (t) => {
  checkPriceTable(t, geminiPlugin, [
    {
      model: 'gemini-3.1-flash-image',
      input: {
        images: 1,
        sizeTier: '1K',
        usage: {
          inputTokens: 12,
          outputTokens: 1428,
          outputTokensDetails: { imageTokens: 1120, textTokens: 308 },
        },
      },
      usd: 0.0672,
      why: '1120 image tokens × $60 per 1M; text and thinking have no listed price here',
    },
    {
      model: 'gemini-3.1-flash-image',
      input: { images: 1, usage: { outputTokens: 2520, outputTokensDetails: { imageTokens: 2520 } } },
      usd: 0.1512,
      why: 'a 4K image, 2520 tokens × $60 per 1M',
    },
    {
      model: 'gemini-2.5-flash-image',
      input: { images: 1, usage: { inputTokens: 15, outputTokens: 1290 } },
      usd: 0.0387,
      why: '1290 image tokens × $30 per 1M (input text has no listed price)',
    },
    {
      model: 'gemini-3.1-flash-image',
      input: { images: 2, sizeTier: '2K' },
      usd: 0.202,
      why: '2 × $0.101 (2K)',
    },
    {
      model: 'gemini-3.1-flash-image',
      input: { images: 1, sizeTier: '512' },
      usd: 0.045,
      why: '$0.045 (512)',
    },
    { model: 'gemini-3.1-flash-image', input: { images: 1, sizeTier: '4K' }, usd: 0.151, why: '$0.151 (4K)' },
    { model: 'gemini-3.1-flash-image', input: { images: 1 }, usd: 0.067, why: 'no tier: the 1K default' },
    {
      model: 'gemini-3.1-flash-image',
      input: { images: 1, quality: 'hd' },
      usd: 0.101,
      why: 'hd is sent as 2K',
    },
    {
      model: 'gemini-3.1-flash-image',
      input: { images: 1, quality: 'hd', sizeTier: '1K' },
      usd: 0.067,
      why: "the size's tier wins over quality",
    },
    { model: 'gemini-2.5-flash-image', input: { images: 3 }, usd: 0.117, why: '3 × $0.039' },
    { model: 'gemini-3-pro-image', input: { images: 1, sizeTier: '2K' }, usd: undefined, why: 'unknown' },
    { model: 'imagen-4.0-generate-001', input: { images: 1 }, usd: undefined, why: 'retired, no price' },
    {
      model: 'gemini-2.5-flash',
      input: {
        images: 0,
        usage: { inputTokens: 2000, outputTokens: 100, outputTokensDetails: { textTokens: 100 } },
      },
      usd: 0.00085,
      why: 'prompt rewrite: 2000 × $0.30 + 100 × $2.50 per 1M',
    },
  ]);
});
