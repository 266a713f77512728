import type { ModelPrice } from '@uig/core';

/** Rendered in process: nothing to pay anyone, for every local model. */
export const localPrices = {
  placeholder: {
    readOn: '2026-11-27',
    source: 'uig (rendered locally, no vendor)',
    perImage: [{ usd: 0 }],
  },
} as const satisfies Record<string, ModelPrice>;
