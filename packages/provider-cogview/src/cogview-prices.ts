import type { ModelPrice } from '@uig/core';

/**
 * Zhipu's image prices (docs/providers/cogview.md §16): per image, the same at every size and
 * quality. Zhipu's own price page was not captured; these are a router's listings, read
 * 2026-11-27. CogView-4's price is unknown, so it has no entry (never a guess). The chat
 * model prompt optimisation uses (docs/providers/cogview.md §14.1) is here too.
 */
const routerListing = {
  readOn: '2026-11-27',
  source: 'https://therouter-docs.pages.dev (zhipu glm-image and cogview-3-flash listings)',
  unverified: true,
} as const;

export const cogviewPrices = {
  'glm-image': { ...routerListing, perImage: [{ usd: 0.0209 }] },
  // The free tier.
  'cogview-3-flash': { ...routerListing, perImage: [{ usd: 0 }] },
  'glm-4-flash': {
    readOn: '2026-11-27',
    source: 'https://open.bigmodel.cn/pricing (free tier; docs/providers/cogview.md §14.1)',
    perMillionTokens: { textInput: 0, textOutput: 0 },
  },
} as const satisfies Record<string, ModelPrice>;
