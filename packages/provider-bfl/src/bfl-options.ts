import { z } from 'zod';

/**
 * `provider_options.bfl`: the docs/providers/bfl.md §7.2 fields with no core equivalent.
 * Strict: a typo is a 400, never a setting silently dropped. A field the chosen model's
 * schema lacks is not sent and comes back as a warning (bfl-call-check.ts).
 * `null` means "not given", as everywhere in the API.
 */
export const bflOptionsSchema = z.strictObject({
  /** docs/providers/bfl.md §7.2: 0 (strictest) to 6; FLUX.2 stops at 5. Vendor default 2. */
  safety_tolerance: z.number().int().min(0).max(6).nullish(),
  /** docs/providers/bfl.md §7.2: FLUX.2 defaults to jpeg, Kontext to png. */
  output_format: z.enum(['jpeg', 'png', 'webp']).nullish(),
  /** docs/providers/bfl.md §7.2: the vendor rewrites the prompt first (FLUX.2 flex, Kontext, 1.1, ultra, fill). */
  prompt_upsampling: z.boolean().nullish(),
  /** docs/providers/bfl.md §7.2 ultra only: a less processed, more natural look. */
  raw: z.boolean().nullish(),
  /** docs/providers/bfl.md §7.2 flex (1.5–10, default 5) and fill (default 60). */
  guidance: z.number().min(1.5).max(100).nullish(),
  /** docs/providers/bfl.md §7.2 flex and fill: 1–50, default 50. */
  steps: z.number().int().min(1).max(50).nullish(),
});

export type BflOptions = z.infer<typeof bflOptionsSchema>;
