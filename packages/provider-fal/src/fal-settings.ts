import { z } from 'zod';

/**
 * `providers.fal.options` in the config file: the poll schedule, and extra endpoints
 * with the mapping from uig's request to each endpoint's input (docs/providers/fal.md §9.3:
 * every endpoint has its own input schema). Strict: a misspelt field stops startup naming it.
 */

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an input field name: letters, digits, _');

/** docs/providers/fal.md §9.1: `owner/app[/path]`. */
const falEndpointIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/;

/** Where each part of a uig request goes in the endpoint's input. An absent field: the endpoint has no such setting. */
const falInputMappingSchema = z.strictObject({
  prompt: fieldName.default('prompt'),
  /** The pixel size, as `{"width","height"}` (docs/providers/fal.md §9.3 `image_size`) or a `WxH` string. */
  size: z
    .strictObject({ field: fieldName, format: z.enum(['object', 'string']).default('object') })
    .optional(),
  /** An aspect ratio field taking `W:H` (the model then has `aspectRatios`, not sizes). */
  aspectRatio: fieldName.optional(),
  /** docs/providers/fal.md §9.3 `num_images`. */
  numImages: fieldName.optional(),
  seed: fieldName.optional(),
  negativePrompt: fieldName.optional(),
  /** One input image (docs/providers/fal.md §9.3 `image_url`), sent as a data URI. */
  image: fieldName.optional(),
  /** Several input images (docs/providers/fal.md §9.3 `image_urls`). */
  images: fieldName.optional(),
  /** docs/providers/fal.md §9.3 `mask_url`. */
  mask: fieldName.optional(),
  /** Input fields sent with every call (`{"output_format": "png"}`). */
  fixed: z.record(fieldName, z.unknown()).optional(),
});

export type FalInputMapping = z.output<typeof falInputMappingSchema>;

const sizeText = z.string().regex(/^\d{2,5}x\d{2,5}$/, 'a size: WIDTHxHEIGHT');

const falEndpointDeclarationSchema = z
  .strictObject({
    id: z.string().max(200).regex(falEndpointIdPattern, 'an endpoint id: owner/app[/path]'),
    description: z.string().max(500).optional(),
    input: falInputMappingSchema.default({ prompt: 'prompt' }),
    /** Images one call returns (needs `input.numImages` above 1). */
    maxImagesPerCall: z.number().int().min(1).max(16).default(1),
    /** Input images an edit takes (with `input.images`). */
    maxInputImages: z.number().int().min(1).max(16).optional(),
    /** With `input.size`: the sizes it takes. Default: uig's bounds for FLUX (docs/providers/fal.md). */
    sizes: z
      .strictObject({
        allowed: z.array(sizeText).min(1).optional(),
        minSide: z.number().int().min(1).max(16384).optional(),
        maxSide: z.number().int().min(1).max(16384).optional(),
        multipleOf: z.number().int().min(1).max(512).default(1),
        maxPixels: z.number().int().min(1).optional(),
        default: sizeText,
      })
      .optional(),
    /** With `input.aspectRatio`: the ratios it takes, `W:H`. */
    aspectRatios: z
      .array(z.string().regex(/^\d{1,3}:\d{1,3}$/, 'a ratio: W:H'))
      .min(1)
      .optional(),
    /** Whether it makes images from a prompt alone. Default: when it takes no input image. */
    generate: z.boolean().optional(),
    promptLanguage: z.string().min(2).max(8).default('en'),
    maxPromptLength: z.number().int().min(1).max(100_000).default(10_000),
    /** The list price per image in USD, with the day it was read and its page. */
    price: z
      .strictObject({
        usd: z.number().min(0),
        readOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date: YYYY-MM-DD'),
        source: z.string().url(),
      })
      .optional(),
  })
  .superRefine((endpoint, context) => {
    const { input } = endpoint;
    const issue = (path: string[], message: string) => context.addIssue({ code: 'custom', path, message });
    if (endpoint.maxImagesPerCall > 1 && !input.numImages)
      issue(['maxImagesPerCall'], 'above 1 needs input.numImages, the field that asks for several images');
    if (input.size && input.aspectRatio)
      issue(['input', 'aspectRatio'], 'give input.size or input.aspectRatio');
    if (input.aspectRatio && !endpoint.aspectRatios)
      issue(['aspectRatios'], 'input.aspectRatio needs the list of ratios the endpoint takes');
    if (endpoint.sizes && !input.size) issue(['sizes'], 'needs input.size, the field the size goes in');
    if (endpoint.sizes && !endpoint.sizes.allowed && endpoint.sizes.maxSide === undefined)
      issue(['sizes'], 'give allowed sizes or minSide/maxSide/maxPixels bounds');
    if (input.image && input.images) issue(['input', 'images'], 'give input.image or input.images');
    if (endpoint.maxInputImages !== undefined && !input.images)
      issue(['maxInputImages'], 'needs input.images, the list field');
    if (input.mask && !input.image && !input.images)
      issue(['input', 'mask'], 'a mask needs an input image field');
    if (endpoint.generate === false && !input.image && !input.images)
      issue(['generate'], 'an endpoint that only edits needs input.image or input.images');
  });

export type FalEndpointDeclaration = z.output<typeof falEndpointDeclarationSchema>;

export const falSettingsSchema = z
  .strictObject({
    /** docs/providers/fal.md §9.2: the official client polls every 500 ms. */
    pollIntervalMs: z.number().int().min(10).max(60_000).default(500),
    /** Give up on a request after this long, and cancel it at the vendor. */
    requestDeadlineMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
    /** Endpoints beyond the built-in ones (an id already built in replaces it). */
    endpoints: z.array(falEndpointDeclarationSchema).optional(),
    /** Default: fal-ai/flux/dev, or the first declared endpoint when `onlyDeclared`. */
    defaultModel: z.string().min(1).optional(),
    /** Offer only the declared endpoints, not the built-in ones. */
    onlyDeclared: z.boolean().default(false),
  })
  .superRefine((settings, context) => {
    const ids = settings.endpoints?.map((endpoint) => endpoint.id) ?? [];
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate)
      context.addIssue({
        code: 'custom',
        path: ['endpoints'],
        message: `endpoint "${duplicate}" is declared twice`,
      });
    if (settings.onlyDeclared && ids.length === 0)
      context.addIssue({ code: 'custom', path: ['onlyDeclared'], message: 'needs at least one endpoint' });
  });

export type FalSettings = z.output<typeof falSettingsSchema>;
