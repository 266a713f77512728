import { z } from 'zod';

/**
 * Request schemas shared by REST and MCP. Every object is strict: an unknown field
 * is refused with a 400 naming it, as OpenAI does, so a setting is never dropped
 * silently. `null` for an optional field means "not given" (the openai SDK and many
 * clients send nulls).
 */

const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => value ?? undefined);

export const sizePattern = /^(\d{1,5})x(\d{1,5})$/;
export const aspectRatioPattern = /^(\d{1,3}):(\d{1,3})$/;

export const promptSchema = z.string().trim().min(1, 'prompt must not be empty');
export const modelSchema = z.string().trim().min(1).max(200);
export const sizeSchema = z
  .string()
  .trim()
  .regex(/^(auto|\d{1,5}x\d{1,5})$/, 'size must be "auto" or WIDTHxHEIGHT in pixels, e.g. "1024x1024"');
export const aspectRatioSchema = z
  .string()
  .trim()
  .regex(aspectRatioPattern, 'aspect_ratio must be W:H, e.g. "16:9"');
export const seedSchema = z.number().int().min(0).max(2_147_483_647);
export const nSchema = z.number().int().min(1, 'n must be at least 1').max(10, 'n must be at most 10');
export const responseFormatSchema = z.enum(['url', 'b64_json']);
/** OpenAI's current end-user field (a stable, hashed id of the app's user); `user` is the older one. */
const safetyIdentifierSchema = z.string().trim().min(1).max(256);
/**
 * A key named `__proto__` (an own property after JSON.parse) is one zod's records skip
 * without a word: refused here, naming the field, before the record drops it. Other
 * names every object has (`constructor`, `prototype`, ...) reach the checks like any
 * unknown name: an unconfigured provider id, or the adapter's strict schema.
 */
const noProtoKeys = z.unknown().check((context) => {
  const value = context.value;
  if (typeof value !== 'object' || value === null) return;
  const refuse = (path: string[]) =>
    context.issues.push({
      code: 'custom',
      input: value,
      path,
      message: `"__proto__" is not a name this gateway takes; remove it`,
    });
  for (const [id, options] of Object.entries(value)) {
    if (id === '__proto__') refuse([id]);
    else if (typeof options === 'object' && options !== null && Object.hasOwn(options, '__proto__'))
      refuse([id, '__proto__']);
  }
});
/** `{"cogview": {"watermark_enabled": false}}`: each entry checked by that adapter's strict schema. */
export const providerOptionsSchema = z
  .pipe(noProtoKeys, z.record(z.string(), z.record(z.string(), z.unknown())))
  // The JSON schema of the record (clients and the OpenAPI document read the input side).
  .meta({ type: 'object', additionalProperties: { type: 'object', additionalProperties: {} } });
/** docs/prompt-optimization.md: translate into the model's language, or also rewrite for it. */
export const promptOptimizationSchema = z.enum(['off', 'translate', 'enhance']);
/** A data URI, an http(s) URL, or a stored image id. */
export const imageReferenceSchema = z
  .string()
  .trim()
  .min(1)
  .max(30 * 1024 * 1024);

/** POST /v1/images (native JSON): generation, or an edit when `image` is given. */
export const nativeImageRequestSchema = z
  .object({
    prompt: promptSchema,
    model: optional(modelSchema),
    n: optional(nSchema),
    size: optional(sizeSchema),
    aspect_ratio: optional(aspectRatioSchema),
    quality: optional(z.string().trim().min(1).max(32)),
    seed: optional(seedSchema),
    negative_prompt: optional(z.string().max(10_000)),
    image: optional(z.union([imageReferenceSchema, z.array(imageReferenceSchema).min(1).max(16)])),
    mask: optional(imageReferenceSchema),
    provider_options: optional(providerOptionsSchema),
    fallback_models: optional(z.array(modelSchema).max(5)),
    response_format: optional(responseFormatSchema),
    user: optional(z.string().max(256)),
    safety_identifier: optional(safetyIdentifierSchema),
    stream: optional(z.boolean()),
    prompt_optimization: optional(promptOptimizationSchema),
  })
  .strict();
export type NativeImageRequest = z.output<typeof nativeImageRequestSchema>;

/** Fields of OpenAI's Images API that only OpenAI-type providers understand (docs/providers/openai.md §2.3). */
export const openaiOnlyFields = [
  'style',
  'background',
  'output_format',
  'output_compression',
  'moderation',
  'partial_images',
  'input_fidelity',
] as const;

const openaiOnlyShape = {
  style: optional(z.enum(['vivid', 'natural'])),
  background: optional(z.enum(['transparent', 'opaque', 'auto'])),
  output_format: optional(z.enum(['png', 'jpeg', 'webp'])),
  output_compression: optional(z.number().int().min(0).max(100)),
  moderation: optional(z.enum(['low', 'auto'])),
  partial_images: optional(z.number().int().min(0).max(3)),
};

/** POST /v1/images/generations: OpenAI's CreateImageRequest (docs/providers/openai.md §2.3). */
export const openaiGenerationRequestSchema = z
  .object({
    prompt: promptSchema,
    model: optional(modelSchema),
    n: optional(nSchema),
    size: optional(sizeSchema),
    quality: optional(z.enum(['auto', 'low', 'medium', 'high', 'standard', 'hd'])),
    response_format: optional(responseFormatSchema),
    user: optional(z.string().max(256)),
    safety_identifier: optional(safetyIdentifierSchema),
    stream: optional(z.boolean()),
    ...openaiOnlyShape,
  })
  .strict();
export type OpenAIGenerationRequest = z.output<typeof openaiGenerationRequestSchema>;

/** POST /v1/images/edits text fields (multipart values arrive as strings: coerced). */
export const openaiEditFieldsSchema = z
  .object({
    prompt: promptSchema,
    model: optional(modelSchema),
    n: optional(z.coerce.number().pipe(nSchema)),
    size: optional(sizeSchema),
    quality: optional(z.enum(['auto', 'low', 'medium', 'high', 'standard', 'hd'])),
    response_format: optional(responseFormatSchema),
    user: optional(z.string().max(256)),
    safety_identifier: optional(safetyIdentifierSchema),
    stream: optional(z.stringbool()),
    background: openaiOnlyShape.background,
    output_format: openaiOnlyShape.output_format,
    output_compression: optional(z.coerce.number().pipe(z.number().int().min(0).max(100))),
    partial_images: optional(z.coerce.number().pipe(z.number().int().min(0).max(3))),
    input_fidelity: optional(z.enum(['high', 'low'])),
  })
  .strict();
export type OpenAIEditFields = z.output<typeof openaiEditFieldsSchema>;

/** POST /v1/images/variations text fields: OpenAI's CreateImageVariationRequest (docs/providers/openai.md §2.5). */
export const openaiVariationFieldsSchema = z
  .object({
    model: optional(modelSchema),
    n: optional(z.coerce.number().pipe(nSchema)),
    size: optional(sizeSchema),
    response_format: optional(responseFormatSchema),
    user: optional(z.string().max(256)),
  })
  .strict();
export type OpenAIVariationFields = z.output<typeof openaiVariationFieldsSchema>;

/** Dotted path of a zod issue, as OpenAI names params (`provider_options.cogview.quality`). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
