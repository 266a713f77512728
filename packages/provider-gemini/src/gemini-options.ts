import { z } from 'zod';

/** The vendor takes these in either case (docs/providers/gemini.md §3.2); we accept both and send lower case, as the doc does. */
const caseInsensitive = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values));

/**
 * `provider_options.gemini`: the docs/providers/gemini.md §3.2 / docs/providers/gemini.md §3.3 fields with no core equivalent. Strict:
 * a typo is a 400, never a setting silently dropped. `null` means "not given".
 * An option the chosen model's family does not have becomes an `unsupported` warning.
 */
export const geminiOptionsSchema = z.strictObject({
  /**
   * Output resolution: native gemini-3 models `imageConfig.imageSize` (1K, 2K, 4K, and 512 on 3.1
   * Flash; docs/providers/gemini.md §3.3, §15),
   * Imagen 4 Standard/Ultra `sampleImageSize` (1K, 2K; docs/providers/gemini.md §3.2). Wins over `quality`.
   */
  image_size: z.enum(['512', '1K', '2K', '4K']).nullish(),
  /** Imagen `personGeneration` (docs/providers/gemini.md §3.2). */
  person_generation: caseInsensitive(['dont_allow', 'allow_adult', 'allow_all']).nullish(),
  /** Imagen `outputOptions.mimeType` (docs/providers/gemini.md §3.2). The native models cannot choose (docs/providers/gemini.md §3.3). */
  output_mime_type: z.enum(['image/png', 'image/jpeg']).nullish(),
  /** Imagen `outputOptions.compressionQuality`, for image/jpeg only (docs/providers/gemini.md §3.2). */
  output_compression_quality: z.number().int().min(0).max(100).nullish(),
  /** Imagen `safetySetting` (docs/providers/gemini.md §3.2, SDK safetyFilterLevel). */
  safety_setting: caseInsensitive([
    'block_low_and_above',
    'block_medium_and_above',
    'block_only_high',
    'block_none',
  ]).nullish(),
  /** Imagen `includeSafetyAttributes`: scores land in the result metadata (docs/providers/gemini.md §3.2). */
  include_safety_attributes: z.boolean().nullish(),
  /** Native `safetySettings[]` (docs/providers/gemini.md §3.3: the standard generateContent field). */
  safety_settings: z
    .array(
      z.strictObject({
        category: z.string().regex(/^HARM_CATEGORY_[A-Z_]+$/, 'a HARM_CATEGORY_* name'),
        threshold: z.enum([
          'BLOCK_LOW_AND_ABOVE',
          'BLOCK_MEDIUM_AND_ABOVE',
          'BLOCK_ONLY_HIGH',
          'BLOCK_NONE',
          'OFF',
        ]),
      }),
    )
    .max(10)
    .nullish(),
});

export type GeminiOptions = z.infer<typeof geminiOptionsSchema>;

/** Options that only Imagen has, and those only the native models have. */
export const imagenOnlyOptions = [
  'person_generation',
  'output_mime_type',
  'output_compression_quality',
  'safety_setting',
  'include_safety_attributes',
] as const;
export const nativeOnlyOptions = ['safety_settings'] as const;

/** `providers.gemini.options` in the config file. */
export const geminiSettingsSchema = z.strictObject({
  /**
   * Use `:streamGenerateContent` (docs/providers/gemini.md §3.3) for the native models: `never`, `with-progress`
   * (only when the caller listens for progress, e.g. an MCP client with a progress
   * token), or `always`. Default `never`: one plain call is the best-trodden path.
   */
  streaming: z.enum(['never', 'with-progress', 'always']).default('never'),
});

export type GeminiSettings = z.infer<typeof geminiSettingsSchema>;
