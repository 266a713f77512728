import { z } from 'zod';

/** Lenient schemas for what Ark answers: unknown fields ignored, optional fields nullable. */

const errorSchema = z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish();

const usageSchema = z
  .object({
    generated_images: z.number().nullish(),
    output_tokens: z.number().nullish(),
    total_tokens: z.number().nullish(),
  })
  .nullish();

/** docs/providers/seedream.md §11.4: one entry per image; a blocked image of a set carries `error`. */
export const seedreamImagesResponseSchema = z.object({
  model: z.string().nullish(),
  created: z.number().nullish(),
  data: z
    .array(
      z.object({
        url: z.string().nullish(),
        b64_json: z.string().nullish(),
        size: z.string().nullish(),
        error: errorSchema,
      }),
    )
    .nullish(),
  usage: usageSchema,
});

/** docs/providers/seedream.md §11.5: one server-sent event; `type` equals the SSE event name. */
export const seedreamStreamEventSchema = z.object({
  type: z.string().nullish(),
  image_index: z.number().nullish(),
  url: z.string().nullish(),
  b64_json: z.string().nullish(),
  size: z.string().nullish(),
  error: errorSchema,
  usage: usageSchema,
});

export type SeedreamUsage = z.infer<typeof usageSchema>;
