import { z } from 'zod';

/**
 * `provider_options.<id>` for OpenAI-type providers: the docs/providers/openai.md §2.3–2.4 fields with no
 * core equivalent. The OpenAI-compatible REST route puts its OpenAI-only fields
 * here too. Strict: a typo is a 400, never a setting silently dropped. `null`
 * means "not given". Which model may take which field is checked in check().
 */
export const openaiOptionsSchema = z.strictObject({
  /** dall-e-3 only. */
  style: z.enum(['vivid', 'natural']).nullish(),
  /** GPT image only; `transparent` needs output_format png or webp. */
  background: z.enum(['transparent', 'opaque', 'auto']).nullish(),
  output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
  /** jpeg and webp only. */
  output_compression: z.number().int().min(0).max(100).nullish(),
  /** Generations only. */
  moderation: z.enum(['low', 'auto']).nullish(),
  /** Edits only; not gpt-image-1-mini. */
  input_fidelity: z.enum(['high', 'low']).nullish(),
  /** The end user's id, for OpenAI's abuse monitoring. */
  user: z.string().min(1).max(256).nullish(),
  /** OpenAI's current end-user field: a stable (hashed) id of the app's user. */
  safety_identifier: z.string().min(1).max(256).nullish(),
  /** Stream partial images (GPT image only); implied by partial_images > 0. */
  stream: z.boolean().nullish(),
  /** docs/providers/openai.md §2.3: 0–3 partial images before the final one. */
  partial_images: z.number().int().min(0).max(3).nullish(),
});

export type OpenAIOptions = z.output<typeof openaiOptionsSchema>;
