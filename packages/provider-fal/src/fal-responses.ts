import { z } from 'zod';

/**
 * Lenient schemas for what fal answers: unknown fields are ignored and optional fields
 * may be null, so a new vendor field never breaks a call.
 */

/** docs/providers/fal.md §9.2 submit answer and status answers share the ids and URLs. */
export const falQueueStatusSchema = z.object({
  request_id: z.string().nullish(),
  status: z.string().nullish(),
  queue_position: z.number().nullish(),
  response_url: z.string().nullish(),
  status_url: z.string().nullish(),
  cancel_url: z.string().nullish(),
  logs: z.array(z.object({ message: z.string().nullish() }).nullish()).nullish(),
  metrics: z.object({ inference_time: z.number().nullish() }).nullish(),
  // Observed in third-party schemas for FAILED (docs/providers/fal.md §9.2, unverified).
  error: z.unknown().optional(),
});

export type FalQueueStatus = z.infer<typeof falQueueStatusSchema>;

const falImageSchema = z.object({
  url: z.string().nullish(),
  content_type: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

/** docs/providers/fal.md §9.3 output: `images` (or a single `image`), and the safety flags. */
export const falOutputSchema = z.object({
  images: z.array(falImageSchema.nullish()).nullish(),
  image: falImageSchema.nullish(),
  seed: z.number().nullish(),
  prompt: z.string().nullish(),
  has_nsfw_concepts: z.array(z.boolean().nullish()).nullish(),
  // docs/providers/fal.md §9.3: some endpoints name the flags this way, as a list or one boolean.
  nsfw_content_detected: z.union([z.array(z.boolean().nullish()), z.boolean()]).nullish(),
  timings: z.record(z.string(), z.unknown()).nullish(),
});

/** docs/providers/fal.md §9.4: one item of a 422 `detail` list. */
const detailItemSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])).nullish(),
  msg: z.string().nullish(),
  type: z.string().nullish(),
  categories: z.array(z.string()).nullish(),
});

export type FalDetailItem = z.infer<typeof detailItemSchema>;

/** docs/providers/fal.md §9.4: `detail` as a list or a string, or `{"error":{"message","code"}}`. */
export const falErrorSchema = z.object({
  detail: z.union([z.string(), z.array(detailItemSchema.nullish())]).nullish(),
  error_type: z.string().nullish(),
  error: z
    .union([
      z.string(),
      z.object({ message: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }),
    ])
    .nullish(),
});
