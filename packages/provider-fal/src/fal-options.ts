import { z } from 'zod';

/**
 * `provider_options.fal`: the docs/providers/fal.md §9.3 FLUX inputs that have no uig equivalent,
 * and the docs/providers/fal.md §9.2 queue headers. Strict: a typo is a 400, never a setting silently
 * dropped. `null` means "not given". An endpoint that does not know a field answers 422,
 * which reaches the caller naming it.
 */
export const falOptionsSchema = z.strictObject({
  /** docs/providers/fal.md §9.3: 1–50 (vendor default 28 for dev). */
  num_inference_steps: z.number().int().min(1).max(50).nullish(),
  /** docs/providers/fal.md §9.3: 1–20 (vendor default 3.5). */
  guidance_scale: z.number().min(1).max(20).nullish(),
  /** docs/providers/fal.md §9.3: vendor default true; flagged images are refused either way while it is on. */
  enable_safety_checker: z.boolean().nullish(),
  /** docs/providers/fal.md §9.3: `jpeg` (vendor default) or `png`. */
  output_format: z.enum(['jpeg', 'png']).nullish(),
  /** docs/providers/fal.md §9.3: `none` (vendor default), `regular`, `high`. */
  acceleration: z.enum(['none', 'regular', 'high']).nullish(),
  /** docs/providers/fal.md §9.3: images come back as data URIs and stay out of the vendor's request history. */
  sync_mode: z.boolean().nullish(),
  /** docs/providers/fal.md §9.2 `x-fal-queue-priority`. */
  priority: z.enum(['normal', 'low']).nullish(),
  /** docs/providers/fal.md §9.2 `X-Fal-Request-Timeout`: seconds the request may wait to start. */
  start_timeout_seconds: z.number().int().min(1).max(3600).nullish(),
});

export type FalOptions = z.infer<typeof falOptionsSchema>;

/** The options that are endpoint input fields (the rest are headers). */
export const falInputOptions = [
  'num_inference_steps',
  'guidance_scale',
  'enable_safety_checker',
  'output_format',
  'acceleration',
  'sync_mode',
] as const;
