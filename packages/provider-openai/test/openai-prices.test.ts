import t from 'tap';
import { checkPriceTable, type PriceRow } from '@uig/testkit';
import { openaiPlugin, xaiPlugin } from '../src/index.js';

/**
 * OpenAI's price table (docs/providers/openai.md §16), worked by hand. GPT-image bills text
 * input, image input and image output tokens at their own rates, from the answer's `usage`;
 * without usage (an estimate before the call) the per-image figure by quality and size.
 */
const tokens = (text: number, imageIn: number, imageOut: number) => ({
  inputTokens: text + imageIn,
  outputTokens: imageOut,
  inputTokensDetails: { textTokens: text, imageTokens: imageIn },
  outputTokensDetails: { imageTokens: imageOut, textTokens: 0 },
});

const rows: PriceRow[] = [
  {
    model: 'gpt-image-1',
    input: { images: 1, size: '1024x1024', quality: 'high', usage: tokens(100, 200, 4160) },
    usd: 0.1689,
    why: '100 × $5 + 200 × $10 + 4160 × $40 per 1M = $0.1689',
  },
  {
    model: 'gpt-image-2',
    input: { images: 1, size: '1024x1024', quality: 'medium', usage: tokens(50, 1000, 4000) },
    usd: 0.12825,
    why: '50 × $5 + 1000 × $8 + 4000 × $30 per 1M = $0.12825 (image input at its own rate)',
  },
  {
    model: 'gpt-image-2',
    input: { images: 1, usage: { inputTokens: 20, outputTokens: 1056 } },
    usd: 0.03178,
    why: 'no split given: input counts as text, output as image: 20 × $5 + 1056 × $30 per 1M',
  },
  {
    model: 'gpt-image-2',
    input: { images: 2, size: '1024x1024', quality: 'high' },
    usd: 0.422,
    why: 'no usage: 2 × $0.211 (high, 1024x1024)',
  },
  {
    model: 'gpt-image-2',
    input: { images: 3, size: '1536x1024', quality: 'low' },
    usd: 0.015,
    why: '3 × $0.005 (low, 1536x1024)',
  },
  {
    model: 'gpt-image-1',
    input: { images: 1, size: '1024x1536', quality: 'high' },
    usd: 0.25,
    why: 'no 1024x1536 entry: the high-quality figure, $0.25',
  },
  { model: 'gpt-image-1', input: { images: 1 }, usd: 0.042, why: 'nothing known: the default, $0.042' },
  {
    model: 'gpt-image-1-mini',
    input: { images: 1, size: '1024x1024' },
    usd: undefined,
    why: 'no dated price: unknown, not 0',
  },
  {
    model: 'gpt-4.1-mini',
    input: {
      images: 0,
      usage: { inputTokens: 1000, outputTokens: 200, outputTokensDetails: { textTokens: 200 } },
    },
    usd: 0.00072,
    why: 'prompt rewrite: 1000 × $0.40 + 200 × $1.60 per 1M',
  },
];

t.test('OpenAI: tokens at their own rates, else per image by quality and size', async (t) => {
  checkPriceTable(t, openaiPlugin, rows);
});

t.test('xAI preset: per image', async (t) => {
  checkPriceTable(t, xaiPlugin, [
    { model: 'grok-imagine-image', input: { images: 4 }, usd: 0.08, why: '4 × $0.02' },
    { model: 'grok-imagine-image-quality', input: { images: 1 }, usd: 0.045, why: '$0.045' },
    { model: 'grok-imagine-image-pro', input: { images: 1 }, usd: undefined, why: 'unknown' },
  ]);
});
