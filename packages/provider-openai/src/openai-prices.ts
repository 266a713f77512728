import type { ModelPrice } from '@uig/core';

/**
 * OpenAI's prices, and those of the OpenAI-compatible presets in this package
 * (docs/providers/openai.md §16, docs/providers/compatible-presets.md §16). GPT-image bills
 * tokens: text input, image input and image output at their own rates, from the answer's
 * `usage`; the per-image figures by size and quality are for estimates before the call.
 * A model whose price was not traced to a dated page has no entry (never a guess).
 */
const xaiRelay = {
  readOn: '2026-08-13',
  source: 'docs.laozhang.ai grok-imagine-2 announcement (relay-quoted)',
  unverified: true,
} as const;

export const openaiPrices = {
  'gpt-image-1': {
    readOn: '2026-11-27',
    source:
      'https://community.openai.com/t/gpt-image-1-collected-pricing-information-and-why-responses-is-undocumented/1275254',
    unverified: true,
    perMillionTokens: { textInput: 5, imageInput: 10, imageOutput: 40 },
    perImage: [
      { quality: 'low', size: '1024x1024', usd: 0.011 },
      { quality: 'medium', size: '1024x1024', usd: 0.042 },
      { quality: 'high', size: '1024x1024', usd: 0.167 },
      { quality: 'low', usd: 0.016 },
      { quality: 'medium', usd: 0.063 },
      { quality: 'high', usd: 0.25 },
      { usd: 0.042 },
    ],
  },
  // At launch (2026-04-21), a third-party summary of OpenAI's page. Batch API: −50 %.
  'gpt-image-2': {
    readOn: '2026-04-21',
    source: 'https://ai-primer.com (OpenAI launches gpt-image-2 API), summarising openai.com/api/pricing',
    unverified: true,
    perMillionTokens: { textInput: 5, imageInput: 8, imageOutput: 30 },
    perImage: [
      { quality: 'low', size: '1024x1024', usd: 0.006 },
      { quality: 'medium', size: '1024x1024', usd: 0.053 },
      { quality: 'high', size: '1024x1024', usd: 0.211 },
      { quality: 'low', size: '1024x1536', usd: 0.005 },
      { quality: 'medium', size: '1024x1536', usd: 0.041 },
      { quality: 'high', size: '1024x1536', usd: 0.165 },
      { quality: 'low', size: '1536x1024', usd: 0.005 },
      { quality: 'medium', size: '1536x1024', usd: 0.041 },
      { quality: 'high', size: '1536x1024', usd: 0.165 },
      { usd: 0.053 },
    ],
  },
  // The chat model prompt optimisation uses (docs/providers/openai.md §14.4).
  'gpt-4.1-mini': {
    readOn: '2026-11-27',
    source: 'https://openai.com/api/pricing (as summarised by third-party listings, 2026)',
    unverified: true,
    perMillionTokens: { textInput: 0.4, textOutput: 1.6 },
  },
  // xAI (docs/providers/compatible-presets.md §12.1, §16): relay-quoted.
  'grok-imagine-image': { ...xaiRelay, perImage: [{ usd: 0.02 }] },
  'grok-imagine-image-quality': { ...xaiRelay, perImage: [{ usd: 0.045 }] },
} as const satisfies Record<string, ModelPrice>;
