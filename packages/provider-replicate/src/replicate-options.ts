import { z } from 'zod';

/**
 * `provider_options.replicate`. Every Replicate model has its own input schema, so the
 * model-specific fields go in `input` (checked by the model itself: an unknown or bad one
 * answers 422, which reaches the caller naming `provider_options.replicate.input.<field>`).
 * Fields uig sets itself (prompt, size, seed, images) cannot be overridden here.
 */
export const replicateOptionsSchema = z.strictObject({
  input: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an input field name'),
      z.union([z.string(), z.number(), z.boolean()]),
    )
    .nullish(),
  /** docs/providers/replicate.md §10.1 `Cancel-After`: the vendor cancels the prediction after this long (`30s`, `5m`, min 5 s). */
  cancel_after: z
    .string()
    .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, 'a duration like 30s, 5m or 1h30m')
    .nullish(),
});

export type ReplicateOptions = z.infer<typeof replicateOptionsSchema>;
