import { z } from 'zod';

/**
 * Lenient schemas for what the vendor answers: unknown fields are ignored and
 * optional fields may be null, so a new vendor field never breaks a call.
 */

/** docs/providers/cogview.md §1.4: `role` ∈ assistant|user|history, `level` 0 (most severe) – 3. Kept as given. */
const contentFilterSchema = z.array(z.unknown()).nullish();

/** docs/providers/cogview.md §1.4 success body. `created` is a number in the examples, "String" in the older doc. */
export const cogviewImagesResponseSchema = z.object({
  created: z.union([z.number(), z.string()]).nullish(),
  data: z.array(z.object({ url: z.string().nullish() }).nullish()).nullish(),
  content_filter: contentFilterSchema,
  request_id: z.string().nullish(),
});

/** docs/providers/cogview.md §1.5: the create answer and each poll answer share these fields. */
export const cogviewTaskResponseSchema = z.object({
  id: z.string().nullish(),
  request_id: z.string().nullish(),
  model: z.string().nullish(),
  task_status: z.string().nullish(),
  image_result: z.array(z.object({ url: z.string().nullish() }).nullish()).nullish(),
  content_filter: contentFilterSchema,
  // Unverified (docs/providers/cogview.md §1.5): a FAIL may say why in the docs/providers/cogview.md §1.6 envelope.
  error: z
    .object({ code: z.union([z.string(), z.number()]).nullish(), message: z.string().nullish() })
    .nullish(),
});

/** docs/providers/cogview.md §1.6 envelope. `code` is a string on the wire; a number is accepted too. */
export const cogviewErrorResponseSchema = z.object({
  error: z.object({
    code: z.union([z.string(), z.number()]).nullish(),
    message: z.string().nullish(),
  }),
  // docs/providers/cogview.md §1.6: refusals carry a camelCase top-level contentFilter.
  contentFilter: z
    .array(z.object({ role: z.string().nullish(), level: z.number().nullish() }).nullish())
    .nullish(),
  request_id: z.string().nullish(),
});
