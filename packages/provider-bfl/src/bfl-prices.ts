import type { ModelPrice } from '@uig/core';

/**
 * BFL's list prices (docs/providers/bfl.md §7.8, §16), read 2026-02-03 from BFL's own skill
 * repository. 1 credit = $0.01; BFL counts a megapixel as 1,000,000 pixels (a 1024x1024
 * image is 1.05 MP). FLUX.2 bills `first MP + (output MP − 1) × MP price + input MP × MP price`.
 * The submit answer's `cost` is the vendor's own number and wins over these (bfl-task.ts).
 */
const read = {
  readOn: '2026-02-03',
  source: 'https://github.com/black-forest-labs/skills/blob/main/skills/bfl-api/SKILL.md',
} as const;

const flux2 = (firstUsd: number, usd: number): ModelPrice => ({
  ...read,
  perMegapixel: { firstUsd, usd, unit: 1_000_000 },
  perInputMegapixel: usd,
});
const perImage = (usd: number): ModelPrice => ({ ...read, perImage: [{ usd }] });

export const bflPrices = {
  'flux-2-pro': flux2(0.03, 0.015),
  'flux-2-max': flux2(0.07, 0.03),
  'flux-2-flex': flux2(0.05, 0.05),
  'flux-2-klein-4b': flux2(0.014, 0.001),
  'flux-2-klein-9b': flux2(0.015, 0.002),
  'flux-kontext-pro': perImage(0.04),
  'flux-kontext-max': perImage(0.08),
  'flux-pro-1.1': perImage(0.04),
  // Raw mode costs the same (docs/providers/bfl.md §16).
  'flux-pro-1.1-ultra': perImage(0.06),
  'flux-pro-1.0-fill': perImage(0.05),
} as const satisfies Record<string, ModelPrice>;
