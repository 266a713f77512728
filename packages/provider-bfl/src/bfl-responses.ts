import { z } from 'zod';

/**
 * Lenient schemas for what BFL answers: unknown fields are ignored and optional
 * fields may be null, so a new vendor field never breaks a call.
 */

/** docs/providers/bfl.md §7.3 `AsyncResponse`: `cost` in credits (1 credit = $0.01). */
export const bflSubmitResponseSchema = z.object({
  id: z.string().nullish(),
  polling_url: z.string().nullish(),
  cost: z.number().nullish(),
  input_mp: z.number().nullish(),
  output_mp: z.number().nullish(),
});

/** docs/providers/bfl.md §7.4 `ResultResponse`. */
export const bflResultResponseSchema = z.object({
  id: z.string().nullish(),
  status: z.string().nullish(),
  result: z
    .object({
      sample: z.string().nullish(),
      prompt: z.string().nullish(),
      seed: z.number().nullish(),
      duration: z.number().nullish(),
    })
    .nullish(),
  progress: z.number().nullish(),
  details: z.unknown().optional(),
});

/** docs/providers/bfl.md §7.6: FastAPI bodies; `detail` is a text or the 422 list. */
export const bflErrorResponseSchema = z.object({
  detail: z
    .union([
      z.string(),
      z.array(
        z.object({
          loc: z.array(z.union([z.string(), z.number()])).nullish(),
          msg: z.string().nullish(),
          type: z.string().nullish(),
        }),
      ),
    ])
    .nullish(),
  message: z.string().nullish(),
});
