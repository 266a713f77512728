import { z } from 'zod';

/**
 * `providers.replicate.options` in the config file: how long a create may hold the
 * connection, the poll schedule, and models beyond the built-in ones with the mapping
 * from uig's request to each model's input (every Replicate model has its own input
 * schema, docs/providers/replicate.md §10.1). Strict: a misspelt field stops startup naming it.
 */

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an input field name: letters, digits, _');

/** Where each part of a uig request goes in the model's input. An absent field: the model has no such setting. */
const replicateInputMappingSchema = z.strictObject({
  prompt: fieldName.default('prompt'),
  /** `W:H` (the model then lists `aspectRatios`). */
  aspectRatio: fieldName.optional(),
  /** Width and height in two fields. */
  width: fieldName.optional(),
  height: fieldName.optional(),
  /** A `WxH` string. */
  size: fieldName.optional(),
  numImages: fieldName.optional(),
  seed: fieldName.optional(),
  negativePrompt: fieldName.optional(),
  /** One input image, as a data URL (≤ 256 KB, docs/providers/replicate.md §10.1) or the gateway's public URL. */
  image: fieldName.optional(),
  images: fieldName.optional(),
  mask: fieldName.optional(),
  /** Input fields sent with every call (`{"output_format": "png"}`). */
  fixed: z.record(fieldName, z.unknown()).optional(),
});

export type ReplicateInputMapping = z.output<typeof replicateInputMappingSchema>;

const modelDeclarationSchema = z
  .strictObject({
    /** `owner/name`, the id shown as `replicate/owner/name`. */
    id: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a model id: owner/name'),
    /** A community model's version (64 hex): it runs through `POST /predictions` (docs/providers/replicate.md §10.1). */
    version: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a version id: 64 hex digits')
      .optional(),
    description: z.string().max(500).optional(),
    input: replicateInputMappingSchema.default({ prompt: 'prompt' }),
    maxImagesPerCall: z.number().int().min(1).max(16).default(1),
    maxInputImages: z.number().int().min(1).max(16).optional(),
    aspectRatios: z
      .array(z.string().regex(/^\d{1,3}:\d{1,3}$/, 'a ratio: W:H'))
      .min(1)
      .optional(),
    /** With `input.size` or `input.width`/`height`: the bounds and the size sent when the request names none. */
    sizes: z
      .strictObject({
        minSide: z.number().int().min(1).max(16384),
        maxSide: z.number().int().min(1).max(16384),
        multipleOf: z.number().int().min(1).max(512).default(1),
        default: z.string().regex(/^\d{2,5}x\d{2,5}$/, 'a size: WIDTHxHEIGHT'),
      })
      .optional(),
    generate: z.boolean().optional(),
    promptLanguage: z.string().min(2).max(8).default('en'),
    maxPromptLength: z.number().int().min(1).max(100_000).default(10_000),
    price: z
      .strictObject({
        usd: z.number().min(0),
        readOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date: YYYY-MM-DD'),
        source: z.string().url(),
      })
      .optional(),
  })
  .superRefine((model, context) => {
    const { input } = model;
    const issue = (path: string[], message: string) => context.addIssue({ code: 'custom', path, message });
    if (model.maxImagesPerCall > 1 && !input.numImages)
      issue(['maxImagesPerCall'], 'above 1 needs input.numImages, the field that asks for several images');
    if (input.aspectRatio && !model.aspectRatios)
      issue(['aspectRatios'], 'input.aspectRatio needs the list of ratios the model takes');
    const pixelSize = Boolean(input.size || input.width || input.height);
    if (Boolean(input.width) !== Boolean(input.height))
      issue(['input', 'height'], 'give input.width and input.height together');
    if (pixelSize && input.aspectRatio)
      issue(['input', 'aspectRatio'], 'give a pixel size or an aspect ratio field');
    if (pixelSize && !model.sizes) issue(['sizes'], 'a pixel size field needs the size bounds');
    if (input.image && input.images) issue(['input', 'images'], 'give input.image or input.images');
    if (input.mask && !input.image && !input.images)
      issue(['input', 'mask'], 'a mask needs an input image field');
    if (model.maxInputImages !== undefined && !input.images) issue(['maxInputImages'], 'needs input.images');
  });

export type ReplicateModelDeclaration = z.output<typeof modelDeclarationSchema>;

export const replicateSettingsSchema = z
  .strictObject({
    /** docs/providers/replicate.md §10.1 `Prefer: wait=n`: hold the create up to n s (1–60). */
    waitSeconds: z.number().int().min(1).max(60).default(60),
    /** docs/providers/replicate.md §10.3: the JS SDK polls every 500 ms. */
    pollIntervalMs: z.number().int().min(10).max(60_000).default(500),
    /** Give up on a prediction after this long, and cancel it. */
    predictionDeadlineMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
    models: z.array(modelDeclarationSchema).optional(),
    onlyDeclared: z.boolean().default(false),
    defaultModel: z.string().min(1).optional(),
  })
  .superRefine((settings, context) => {
    const ids = settings.models?.map((model) => model.id) ?? [];
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate)
      context.addIssue({
        code: 'custom',
        path: ['models'],
        message: `model "${duplicate}" is declared twice`,
      });
    if (settings.onlyDeclared && ids.length === 0)
      context.addIssue({ code: 'custom', path: ['onlyDeclared'], message: 'needs at least one model' });
  });

export type ReplicateSettings = z.output<typeof replicateSettingsSchema>;
