import { z } from 'zod';

/**
 * `provider_options.seedream`: the docs/providers/seedream.md §11.3 fields with no core
 * equivalent. Strict: a typo is a 400. `null` means "not given".
 */
export const seedreamOptionsSchema = z.strictObject({
  /** §11.3: the "AI generated" mark. uig sends `false` unless this is true (the vendor's default is true, unverified). */
  watermark: z.boolean().nullish(),
  /** §11.3: a resolution tier instead of a pixel size (4.5 takes 2K and 4K only). */
  size_tier: z.enum(['1K', '2K', '3K', '4K']).nullish(),
  /** §11.3: `auto` lets the model answer with a set of related images. */
  sequential_image_generation: z.enum(['auto', 'disabled']).nullish(),
  /** §11.3: the most images of a set, 1–15; reference images + outputs ≤ 15. */
  max_images: z.number().int().min(1).max(15).nullish(),
  /** §11.3 `optimize_prompt_options.mode` (`fast`: 4.0 only). */
  optimize_prompt: z.enum(['standard', 'fast']).nullish(),
  /** §11.3: 5.0 models only; 4.x always answers JPEG. */
  output_format: z.enum(['png', 'jpeg']).nullish(),
  /** §11.5: server-sent events, one per finished image (progress while a set is made). */
  stream: z.boolean().nullish(),
});

export type SeedreamOptions = z.infer<typeof seedreamOptionsSchema>;
