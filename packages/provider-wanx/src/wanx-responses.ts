import { z } from 'zod';

/**
 * Lenient schemas for what DashScope answers: unknown fields are ignored and optional
 * fields may be null, so a new vendor field never breaks a call.
 */

const code = z.union([z.string(), z.number()]).nullish();

/** docs/providers/wanx.md §4.6: a success item has `url` (and, for text-to-image, the prompts); a failed one `code`/`message`. */
const resultItemSchema = z
  .object({
    url: z.string().nullish(),
    orig_prompt: z.string().nullish(),
    actual_prompt: z.string().nullish(),
    code,
    message: z.string().nullish(),
  })
  .nullish();

/** docs/providers/wanx.md §4.5 create answer and docs/providers/wanx.md §4.6 poll answers share this shape. */
export const wanxTaskResponseSchema = z.object({
  request_id: z.string().nullish(),
  // docs/providers/wanx.md §4.7: an error may come back on HTTP 200 with a top-level code.
  code,
  message: z.string().nullish(),
  output: z
    .object({
      task_id: z.string().nullish(),
      task_status: z.string().nullish(),
      submit_time: z.string().nullish(),
      scheduled_time: z.string().nullish(),
      end_time: z.string().nullish(),
      results: z.array(resultItemSchema).nullish(),
      task_metrics: z.record(z.string(), z.unknown()).nullish(),
      // docs/providers/wanx.md §4.6: a FAILED task says why here.
      code,
      message: z.string().nullish(),
    })
    .nullish(),
  usage: z.object({ image_count: z.number().nullish() }).nullish(),
});

export type WanxTaskResponse = z.infer<typeof wanxTaskResponseSchema>;

/** docs/providers/wanx.md §4.7: the flat error envelope. */
export const wanxErrorResponseSchema = z.object({
  code,
  message: z.string().nullish(),
  request_id: z.string().nullish(),
});

/** The top-level `code` of a body, when it has a non-empty one (docs/providers/wanx.md §4.7). */
export function topLevelCode(json: unknown): string | undefined {
  const parsed = wanxErrorResponseSchema.safeParse(json);
  const value = parsed.success ? parsed.data.code : undefined;
  return value === undefined || value === null || String(value) === '' ? undefined : String(value);
}
