import { z } from 'zod';

/**
 * `provider_options.cogview`: the docs/providers/cogview.md §1.3 fields that have no core equivalent, plus
 * `quality` for callers who think in the vendor's words. Strict: a typo is a 400,
 * never a setting silently dropped. `null` means "not given", as everywhere in the API.
 */
export const cogviewOptionsSchema = z.strictObject({
  quality: z.enum(['standard', 'hd']).nullish(),
  /** docs/providers/cogview.md §1.3: the end user's id, 6–128 characters. */
  user_id: z.string().min(6).max(128).nullish(),
  /** docs/providers/cogview.md §1.3: default true; false only works for accounts that signed the vendor's disclaimer. */
  watermark_enabled: z.boolean().nullish(),
});

export type CogviewOptions = z.infer<typeof cogviewOptionsSchema>;

/** `providers.cogview.options` in the config file. */
export const cogviewSettingsSchema = z.strictObject({
  /** glm-image poll interval. docs/providers/cogview.md §1.5: Hugging Face's client polls every 5 s. */
  pollIntervalMs: z.number().int().min(100).max(60_000).default(5_000),
  /** Give up on a glm-image task after this long. docs/providers/cogview.md §1.5: Hugging Face stops after 60 polls of 5 s. */
  pollTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
});

export type CogviewSettings = z.infer<typeof cogviewSettingsSchema>;
