import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { cogviewPlugin } from '../src/index.js';

/** Zhipu's price table (docs/providers/cogview.md §16), worked by hand: per image, any size or quality. */
t.test('CogView and GLM-Image: per image, whatever the size and quality', async (t) => {
  checkPriceTable(t, cogviewPlugin, [
    {
      model: 'glm-image',
      input: { images: 1, size: '1280x1280', quality: 'hd' },
      usd: 0.0209,
      why: '$0.0209',
    },
    {
      model: 'glm-image',
      input: { images: 3, size: '2048x1024', quality: 'hd' },
      usd: 0.0627,
      why: '3 × $0.0209',
    },
    { model: 'cogview-3-flash', input: { images: 4, size: '1024x1024' }, usd: 0, why: 'the free tier' },
    {
      model: 'cogview-4-250304',
      input: { images: 1, size: '1024x1024', quality: 'hd' },
      usd: undefined,
      why: 'no dated price: unknown, not 0',
    },
    {
      model: 'glm-4-flash',
      input: {
        images: 0,
        usage: { inputTokens: 900, outputTokens: 120, outputTokensDetails: { textTokens: 120 } },
      },
      usd: 0,
      why: 'prompt rewrite on the free chat tier',
    },
  ]);
});
