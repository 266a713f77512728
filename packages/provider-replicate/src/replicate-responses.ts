import { z } from 'zod';

/**
 * Lenient schemas for what Replicate answers: unknown fields are ignored and optional
 * fields may be null, so a new vendor field never breaks a call.
 */

/** docs/providers/replicate.md §10.2: the prediction object. `output` is a string or a list. */
export const replicatePredictionSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  status: z.string().nullish(),
  output: z.unknown().optional(),
  error: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  data_removed: z.boolean().nullish(),
  metrics: z.record(z.string(), z.unknown()).nullish(),
  urls: z
    .object({ get: z.string().nullish(), cancel: z.string().nullish(), web: z.string().nullish() })
    .nullish(),
});

export type ReplicatePrediction = z.infer<typeof replicatePredictionSchema>;

/** docs/providers/replicate.md §10.4: RFC 7807 problem details. */
export const replicateProblemSchema = z.object({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  status: z.number().nullish(),
  invalid_fields: z
    .array(
      z
        .object({
          type: z.string().nullish(),
          field: z.string().nullish(),
          description: z.string().nullish(),
        })
        .nullish(),
    )
    .nullish(),
});
