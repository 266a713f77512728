import type { ModelPrice } from '@uig/core';

/**
 * fal's prices for the built-in endpoints (docs/providers/fal.md §16), read 2026-11-22. fal
 * counts a megapixel as 1024 × 1024 pixels. Only FLUX.1 [dev] was read from fal's own page;
 * the others come from a third-party table. An endpoint declared in the config file carries
 * its own price (`providers.fal.options.endpoints[].price`).
 */
const readOn = '2026-11-22';
const thirdParty = {
  readOn,
  source: 'third-party listing (skillspool fal-flux skill page)',
  unverified: true,
} as const;

export const falPrices = {
  'fal-ai/flux/dev': {
    readOn,
    source: 'https://fal.ai/models/fal-ai/flux-1/dev/playground',
    // $0.025 per megapixel, rounded up to whole megapixels.
    perMegapixel: { usd: 0.025, roundUp: true },
  },
  'fal-ai/flux/schnell': { ...thirdParty, perMegapixel: { usd: 0.003 } },
  'fal-ai/flux-2-pro': { ...thirdParty, perMegapixel: { firstUsd: 0.03, usd: 0.015, roundUp: true } },
  'fal-ai/flux-pro/kontext': { ...thirdParty, perImage: [{ usd: 0.04 }] },
} as const satisfies Record<string, ModelPrice>;
