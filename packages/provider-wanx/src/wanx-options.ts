import { z } from 'zod';

/**
 * `provider_options.wanx`: the docs/providers/wanx.md §4.3 / docs/providers/wanx.md §4.4 fields that have no core equivalent. Strict:
 * a typo is a 400, never a setting silently dropped; `null` means "not given". Seed and
 * negative prompt are core fields (`seed`, `negative_prompt`), not options here.
 * Which option goes with which kind of call and edit function is checked in
 * wanx-call-check.ts, where the function default is known.
 */

/** docs/providers/wanx.md §4.4 `input.function`. */
export const wanxEditFunctions = [
  'description_edit',
  'description_edit_with_mask',
  'stylization_all',
  'stylization_local',
  'remove_watermark',
  'expand',
  'super_resolution',
  'colorization',
  'doodle',
  'control_cartoon_feature',
] as const;

export type WanxEditFunction = (typeof wanxEditFunctions)[number];

const scale = z.number().min(1).max(2).nullish();

export const wanxOptionsSchema = z.strictObject({
  /** docs/providers/wanx.md §4.3, text-to-image only: vendor default true (an LLM rewrites the prompt, +3–4 s). */
  prompt_extend: z.boolean().nullish(),
  /** docs/providers/wanx.md §4.3 / docs/providers/wanx.md §4.4: vendor default false; true adds an "AI生成" mark. */
  watermark: z.boolean().nullish(),
  /** docs/providers/wanx.md §4.4, edits only. Default: description_edit_with_mask with a mask, else description_edit. */
  function: z.enum(wanxEditFunctions).nullish(),
  /** docs/providers/wanx.md §4.4 (ranges unverified): stylization_all and description_edit, 0–1. */
  strength: z.number().min(0).max(1).nullish(),
  /** docs/providers/wanx.md §4.4 (ranges unverified): expand, 1.0–2.0 per side. */
  top_scale: scale,
  bottom_scale: scale,
  left_scale: scale,
  right_scale: scale,
  /** docs/providers/wanx.md §4.4 (range unverified): super_resolution, 1–4. */
  upscale_factor: z.number().int().min(1).max(4).nullish(),
  /** docs/providers/wanx.md §4.4: doodle, whether the input is a sketch. */
  is_sketch: z.boolean().nullish(),
});

export type WanxOptions = z.infer<typeof wanxOptionsSchema>;

/** docs/providers/wanx.md §4.4: the functions each per-function parameter belongs to. */
export const wanxFunctionParameters = {
  strength: ['stylization_all', 'description_edit'],
  top_scale: ['expand'],
  bottom_scale: ['expand'],
  left_scale: ['expand'],
  right_scale: ['expand'],
  upscale_factor: ['super_resolution'],
  is_sketch: ['doodle'],
} as const satisfies Record<string, readonly WanxEditFunction[]>;

export type WanxFunctionParameter = keyof typeof wanxFunctionParameters;
