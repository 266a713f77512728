import type { ModelPrice } from '@uig/core';

/**
 * Stability's list prices (docs/providers/stability.md §16): credits per image at $0.01 a
 * credit, from the endpoint descriptions of the official v2beta OpenAPI document. One image
 * costs the same at every size and aspect ratio.
 */
const credits = (count: number): ModelPrice => ({
  readOn: '2026-11-27',
  source: 'https://api.stability.ai/v2alpha/openapi (v2beta stable-image endpoint descriptions)',
  perImage: [{ usd: Math.round(count * 10) / 1000 }],
});

export const stabilityPrices = {
  ultra: credits(8),
  core: credits(3),
  'sd3.5-large': credits(6.5),
  'sd3.5-large-turbo': credits(4),
  'sd3.5-medium': credits(3.5),
  'sd3.5-flash': credits(2.5),
  inpaint: credits(5),
} as const satisfies Record<string, ModelPrice>;
