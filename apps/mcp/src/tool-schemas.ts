import {
  aspectRatioSchema,
  modelSchema,
  nSchema,
  promptOptimizationDescriptions,
  promptOptimizationSchema,
  promptSchema,
  providerOptionsSchema,
  seedSchema,
  sizeSchema,
} from '@uig/core';
import { z } from 'zod';

/**
 * Input and output schemas of the MCP tools. The value rules come from core's
 * request schemas, so MCP and REST accept exactly the same values; objects are
 * strict, so a misspelt argument is refused with its name instead of ignored.
 */
const imageReferenceSchema = z
  .string()
  .trim()
  .min(1)
  .max(30 * 1024 * 1024);

const imageOptionsShape = {
  model: modelSchema
    .optional()
    .describe(
      'provider/model from list_models (e.g. "cogview/cogview-4-250304"), a bare model id, or an alias. Omit for the default model.',
    ),
  n: nSchema
    .optional()
    .describe('Number of images, 1-10 (default 1). Each model has its own maximum; see list_models.'),
  size: sizeSchema
    .optional()
    .describe(
      'Pixel size WIDTHxHEIGHT, e.g. "1024x1024", or "auto". Models that take aspect ratios map it to the nearest one.',
    ),
  aspect_ratio: aspectRatioSchema
    .optional()
    .describe('W:H, e.g. "16:9". Use instead of size for models that take aspect ratios (Gemini, Imagen).'),
  quality: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .optional()
    .describe(
      'A quality value the model takes (list_models shows each model\'s values), e.g. "hd" or "high".',
    ),
  seed: seedSchema
    .optional()
    .describe('Seed for reproducible results, 0-2147483647, where the model supports it.'),
  negative_prompt: z
    .string()
    .max(10_000)
    .optional()
    .describe('What the image must not contain, where the model supports it.'),
  provider_options: providerOptionsSchema
    .optional()
    .describe(
      'Vendor settings keyed by provider id, e.g. {"cogview": {"watermark_enabled": false}} or {"wanx": {"prompt_extend": false}}. Unknown keys are refused.',
    ),
  prompt_optimization: promptOptimizationSchema
    .optional()
    .describe(
      "off: send the prompt as given. translate: translate it into the model's preferred language (list_models: promptLanguage) when it is in another. enhance: translate and rewrite it the way the model works best. Default: the server's setting (usually off).",
    ),
  full_size: z
    .boolean()
    .optional()
    .describe(
      'Return the full-size image inline when it fits under 1 MiB, instead of a downscaled preview. The saved file is always full size.',
    ),
};

export const generateImageInput = z
  .object({
    prompt: promptSchema.describe('What to draw: subject, style, composition, text to render.'),
    ...imageOptionsShape,
  })
  .strict();

export const editImageInput = z
  .object({
    prompt: promptSchema.describe('What to change in the image.'),
    image: z
      .union([imageReferenceSchema, z.array(imageReferenceSchema).min(1).max(16)])
      .describe(
        'The image to edit (or several, for models that take more than one): a file path under the allowed folders, an https URL, a data URI (data:image/png;base64,...), or the id of an image generated earlier.',
      ),
    mask: imageReferenceSchema
      .optional()
      .describe(
        'Optional mask, same forms as image: where to edit (transparent for OpenAI; white for WanX). Only models with mask support take it.',
      ),
    ...imageOptionsShape,
  })
  .strict();

export const listModelsInput = z.object({}).strict();

const warningSchema = z.object({
  type: z.string(),
  feature: z.string().optional(),
  message: z.string(),
});

export const imageResultOutput = z.object({
  request_id: z.string(),
  model: z
    .string()
    .describe('provider/model that made the images (a fallback model when the first one failed).'),
  provider: z.string(),
  images: z.array(
    z.object({
      id: z.string().describe('Stored image id: pass it to edit_image as image to edit this result.'),
      path: z.string().describe('Absolute path of the saved file.'),
      url: z.string().describe('URL of the full image.'),
      resource_uri: z.string().describe('MCP resource URI; resources/read returns the full image.'),
      mime_type: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      byte_length: z.number().int(),
      revised_prompt: z.string().optional(),
    }),
  ),
  prompt_optimization: z
    .object({
      mode: z.enum(['translate', 'enhance']),
      original: z.string(),
      sent: z.string().describe(promptOptimizationDescriptions.sent),
      language: z.string(),
      by: z.string().optional().describe(promptOptimizationDescriptions.by),
    })
    .optional()
    .describe(promptOptimizationDescriptions.block),
  warnings: z.array(warningSchema).describe('Settings the model could not honour, and fallbacks taken.'),
  usage: z.object({
    images: z.number().int(),
    estimated_cost_usd: z.number(),
    input_tokens: z.number().int().optional(),
    output_tokens: z.number().int().optional(),
  }),
  job: z
    .object({
      id: z.string().describe('Pass it to get_image_job as job_id.'),
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
      progress: z.string().optional(),
    })
    .optional()
    .describe(
      'Present when the images are still being made (images is then empty): call get_image_job with job.id.',
    ),
});
export type ImageResultOutput = z.infer<typeof imageResultOutput>;

const capabilitiesSchema = z.looseObject({
  generate: z.boolean(),
  edit: z.boolean(),
  mask: z.boolean(),
  maxImagesPerCall: z.number().int(),
  maxImagesPerRequest: z.number().int(),
  maxInputImages: z.number().int(),
  seed: z.boolean(),
  negativePrompt: z.boolean(),
  delivery: z.string(),
  maxPromptLength: z.number().int(),
});

export const listModelsOutput = z.object({
  default_model: z.string(),
  models: z.array(
    z.object({
      id: z.string().describe('provider/model: the value for the model argument.'),
      provider: z.string(),
      description: z.string(),
      default: z.boolean(),
      lifecycle: z.object({
        status: z.enum(['active', 'deprecated', 'retired']),
        shutdown_date: z.string().optional(),
        replacement: z.string().optional(),
      }),
      cost_per_image_usd: z
        .number()
        .optional()
        .describe('One image at the default size and quality; absent when the price is unknown.'),
      price: z
        .looseObject({ read_on: z.string(), source: z.string() })
        .optional()
        .describe('The list price with the date it was read and its source.'),
      capabilities: capabilitiesSchema,
    }),
  ),
});
export type ListModelsOutput = z.infer<typeof listModelsOutput>;

export const seedGenerateInput = z
  .object({
    prompt: promptSchema.describe("User's text prompt describing the desired image to generate."),
    model_type: z
      .string()
      .optional()
      .describe('With IMAGE_PROVIDER=google: "gemini" or "imagen". Defaults to GOOGLE_MODEL.'),
  })
  .strict();

export const seedTransformEncodedInput = z
  .object({
    encoded_image: imageReferenceSchema.describe(
      'Base64 encoded image data with header: "data:image/[format];base64,[data]".',
    ),
    prompt: promptSchema.describe('Text prompt describing the desired transformation or modifications.'),
  })
  .strict();

export const seedTransformFileInput = z
  .object({
    image_file_path: imageReferenceSchema.describe(
      'Path to the image file to be transformed (under the allowed folders).',
    ),
    prompt: promptSchema.describe('Text prompt describing the desired transformation or modifications.'),
  })
  .strict();

export const seedTransformUrlInput = z
  .object({
    image_url: imageReferenceSchema.describe('Remote or public URL of the image to be transformed.'),
    prompt: promptSchema.describe('Text prompt describing the desired transformation or modifications.'),
    function: z
      .string()
      .optional()
      .describe(
        'WanX editing function (default description_edit, or description_edit_with_mask when mask_image_url is given): description_edit, description_edit_with_mask, stylization_all, stylization_local, remove_watermark, expand, super_resolution, colorization, doodle, control_cartoon_feature. Used with IMAGE_PROVIDER=bailian.',
      ),
    mask_image_url: imageReferenceSchema
      .optional()
      .describe("URL of the mask image (required for 'description_edit_with_mask')."),
  })
  .strict();

export const getImageJobInput = {
  job_id: z
    .string()
    .describe(
      'The job id a tool result gave (job.id) when the image took longer than the foreground deadline.',
    ),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(30)
    .optional()
    .describe('Wait up to this many seconds for the job to finish before answering (default 0).'),
};
