import { z } from 'zod';

/** docs/providers/stability.md §8.2: the style presets of every endpoint. */
const stylePresets = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'line-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
  'tile-texture',
] as const;

/**
 * `provider_options.stability`: the docs/providers/stability.md §8.2–§8.5 fields with no core
 * equivalent. Strict: a typo is a 400. A field the chosen endpoint lacks is not sent and
 * comes back as a warning. `null` means "not given".
 */
export const stabilityOptionsSchema = z.strictObject({
  output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
  style_preset: z.enum(stylePresets).nullish(),
  /** Image to image: 0 keeps the input, 1 ignores it (§8.2, §8.4). */
  strength: z.number().min(0).max(1).nullish(),
  /** sd3 only: 1–10 (§8.4). */
  cfg_scale: z.number().min(1).max(10).nullish(),
  /** inpaint only: 0–100 px, default 5 (§8.5). */
  grow_mask: z.number().int().min(0).max(100).nullish(),
});

export type StabilityOptions = z.infer<typeof stabilityOptionsSchema>;
