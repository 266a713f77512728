import type { ModelPrice } from '@uig/core';

/**
 * The Gemini API's prices (docs/providers/gemini.md §16). The image models bill output image
 * tokens: the cost comes from the answer's `usageMetadata` (image tokens at the image rate),
 * and the per-image figures by `imageSize` tier are for estimates before the call. Google's
 * page was read through third-party copies; gemini-3-pro-image's price is unknown, so it has
 * no entry (never a guess). Imagen is retired on the Gemini API.
 */
export const geminiPrices = {
  'gemini-2.5-flash-image': {
    readOn: '2026-11-27',
    source:
      'https://therouter.ai/models/google--gemini-2.5-flash-image-preview (image output $30/1M, as Vertex AI)',
    unverified: true,
    perMillionTokens: { imageOutput: 30 },
    // As listed: one 1024-class image is 1290 output tokens (docs/providers/gemini.md §3.3), 1290 × $30/1M ≈ $0.039.
    perImage: [{ usd: 0.039 }],
  },
  'gemini-3.1-flash-image': {
    readOn: '2026-11-27',
    source: 'xairouter.com model page gemini-3.1-flash-image-preview (Google AI Studio prices quoted)',
    unverified: true,
    perMillionTokens: { imageOutput: 60 },
    perImage: [
      { size: '512', usd: 0.045 },
      { size: '1K', usd: 0.067 },
      { size: '2K', usd: 0.101 },
      { size: '4K', usd: 0.151 },
      // No size: quality hd is sent as 2K (gemini-image-size.ts); a size's tier wins (listed first).
      { quality: 'hd', usd: 0.101 },
      // No tier sent: the vendor default, 1K.
      { usd: 0.067 },
    ],
  },
  // The text model prompt optimisation uses (docs/providers/gemini.md §14.3).
  'gemini-2.5-flash': {
    readOn: '2026-11-27',
    source: 'https://ai.google.dev/gemini-api/docs/pricing (as summarised by deploybase.ai, 2026)',
    unverified: true,
    perMillionTokens: { textInput: 0.3, textOutput: 2.5 },
  },
} as const satisfies Record<string, ModelPrice>;
