import { promptOptimizationDescriptions } from '@uig/core';
import { z } from 'zod';

/**
 * Response schemas of the REST API. The routes declare them, GET /openapi.json is
 * generated from the routes (`id` names each one's entry in components/schemas), and
 * Fastify serializes every JSON answer built as an object through them (a field not listed
 * never leaves). The image answers are written by json-with-base64.ts instead; tests parse
 * those with these schemas.
 */
export const errorResponseSchema = z
  .object({
    error: z.object({
      message: z.string().describe('What went wrong and what to do about it; for people, never parse it.'),
      type: z
        .string()
        .describe(
          'OpenAI error type: invalid_request_error, authentication_error, permission_error, not_found_error, rate_limit_error, insufficient_quota, upstream_error, server_error.',
        ),
      code: z
        .string()
        .describe(
          'Stable machine-readable code, lower snake case (rate_limit_exceeded, content_policy_violation, unknown_parameter, ...).',
        ),
      param: z
        .string()
        .nullable()
        .describe('The request field at fault, dotted (provider_options.cogview.quality), or null.'),
      provider: z
        .string()
        .optional()
        .describe('The provider that failed, when the error came from upstream.'),
      vendor_code: z
        .string()
        .optional()
        .describe("The vendor's own error code, as given (CogView 1301, OpenAI moderation_blocked, ...)."),
    }),
    request_id: z.string().describe('Same as the x-request-id header.'),
  })
  .meta({ id: 'Error' });

const warningSchema = z
  .object({
    type: z
      .enum([
        'unsupported',
        'adjusted',
        'partial_failure',
        'not_stored',
        'deprecated',
        'prompt_optimization_failed',
        'other',
      ])
      .describe(
        'unsupported: a setting was not applied; adjusted: mapped to the nearest value the model takes; partial_failure: fewer images than n; not_stored: the image store could not keep the images, which are in this answer only; deprecated: the model is being shut down (the message gives the date); prompt_optimization_failed: the prompt rewrite failed and the original prompt was sent.',
      ),
    feature: z.string().optional().describe('The request field concerned (seed, size, quality, n, ...).'),
    message: z.string(),
  })
  .meta({ id: 'Warning' });

const tokenDetailsSchema = z.object({ text_tokens: z.number().int(), image_tokens: z.number().int() });

export const openaiImagesResponseSchema = z
  .object({
    created: z.number().int().describe('Unix seconds.'),
    background: z
      .string()
      .optional()
      .describe('The background the vendor applied (transparent, opaque), when it says (GPT-image models).'),
    output_format: z.string().optional().describe('png, jpeg or webp: the format of the images.'),
    quality: z
      .string()
      .optional()
      .describe('The quality the vendor applied, when it says (GPT-image models).'),
    size: z.string().optional().describe('WIDTHxHEIGHT of the images.'),
    data: z.array(
      z.object({
        url: z
          .string()
          .optional()
          .describe('Signed, expiring URL of the stored image (response_format url).'),
        b64_json: z.string().optional().describe('The image, base64 (response_format b64_json).'),
        revised_prompt: z
          .string()
          .optional()
          .describe(
            "The prompt the model was given when it differs from the one sent: the vendor's own rewrite, else the prompt optimisation's (docs/prompt-optimization.md).",
          ),
      }),
    ),
    usage: z
      .object({
        input_tokens: z.number().int(),
        output_tokens: z.number().int(),
        total_tokens: z.number().int(),
        input_tokens_details: tokenDetailsSchema
          .optional()
          .describe(
            "The vendor's split of input tokens; for a generation without one, all input tokens are text tokens.",
          ),
        output_tokens_details: tokenDetailsSchema
          .optional()
          .describe("The vendor's split, where it gives one."),
      })
      .optional()
      .describe('Token usage as the vendor counted it; absent for models that count no tokens.'),
    warnings: z
      .array(warningSchema)
      .optional()
      .describe("Not in OpenAI's schema (clients ignore it): settings that were degraded, never silently."),
  })
  .meta({ id: 'ImagesResponse' });

export const nativeImagesResponseSchema = z
  .object({
    id: z.string().describe('The request id.'),
    created: z.number().int().describe('Unix seconds.'),
    model: z.string().describe('provider/model that made the images (after any fallback).'),
    provider: z.string(),
    data: z.array(
      z.object({
        id: z
          .string()
          .describe('Stored image id (32 hex); usable as an input image and at GET /v1/images/{id}/content.'),
        url: z
          .string()
          .optional()
          .describe(
            'Signed, expiring URL of the stored image; absent only when the store could not keep it (warning not_stored, b64_json answers).',
          ),
        b64_json: z.string().optional().describe('The image, base64, with response_format b64_json.'),
        mime_type: z.string(),
        width: z.number().int(),
        height: z.number().int(),
        revised_prompt: z.string().optional(),
      }),
    ),
    prompt_optimization: z
      .object({
        mode: z.enum(['translate', 'enhance']),
        original: z.string(),
        sent: z.string().describe(promptOptimizationDescriptions.sent),
        language: z.string().describe('The language of sent, by script (en, zh, ...; und: no letters).'),
        by: z.string().optional().describe(promptOptimizationDescriptions.by),
      })
      .optional()
      .describe(promptOptimizationDescriptions.block),
    warnings: z.array(warningSchema),
    usage: z.object({
      images: z.number().int(),
      estimated_cost_usd: z.number().describe('From list prices; an estimate, not a bill.'),
      input_tokens: z.number().int().optional(),
      output_tokens: z.number().int().optional(),
    }),
  })
  .meta({ id: 'NativeImagesResponse' });

export const modelSchema = z
  .object({
    id: z.string().describe('provider/model, the name to send as model.'),
    object: z.literal('model'),
    created: z.number().int(),
    owned_by: z.string().describe('The provider id.'),
    description: z.string(),
    default: z.boolean().describe('Used when a request names no model.'),
    lifecycle: z
      .object({
        status: z.enum(['active', 'deprecated', 'retired']),
        shutdown_date: z
          .string()
          .optional()
          .describe('YYYY-MM-DD: the day the vendor stops (or stopped) serving it.'),
        replacement: z.string().optional().describe('The model to use instead.'),
      })
      .describe('A retired model is refused (400 model_retired); a deprecated one works with a warning.'),
    cost_per_image_usd: z
      .number()
      .optional()
      .describe('One image at the default size and quality, from the list price; absent when unknown.'),
    price: z
      .object({
        read_on: z.string().describe('YYYY-MM-DD: when the price was read.'),
        source: z.string().describe('Where it was read.'),
        unverified: z
          .boolean()
          .optional()
          .describe("true: read from a third party's summary or a relay, not the vendor's own page."),
        per_image: z
          .array(z.object({ usd: z.number(), quality: z.string().optional(), size: z.string().optional() }))
          .optional(),
        per_million_tokens: z.record(z.string(), z.number()).optional(),
        per_megapixel: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
        per_input_megapixel: z
          .number()
          .optional()
          .describe('USD per megapixel of each input image of an edit.'),
      })
      .optional()
      .describe('The list price with its date and source; absent when unknown (never a guess).'),
    capabilities: z
      .object({
        generate: z.boolean(),
        edit: z.boolean(),
        mask: z.boolean(),
        maxImagesPerCall: z.number().int(),
        maxImagesPerRequest: z.number().int(),
        maxInputImages: z.number().int(),
        sizes: z
          .object({
            allowed: z.array(z.string()).readonly().optional(),
            custom: z.record(z.string(), z.number()).optional(),
            default: z.string(),
          })
          .optional(),
        aspectRatios: z.array(z.string()).readonly().optional(),
        sizeTiers: z
          .array(
            z.object({
              name: z.string().describe("The vendor's name for it (512, 1K, 2K, 4K)."),
              side: z.number().int().describe('The side of its 1:1 image, px.'),
            }),
          )
          .readonly()
          .optional()
          .describe(
            'Output resolutions of an aspect-ratio model, smallest first: a requested size maps onto the nearest ratio and the smallest tier that holds it.',
          ),
        seed: z.boolean(),
        negativePrompt: z.boolean(),
        qualities: z.array(z.string()).readonly().optional(),
        delivery: z.enum(['bytes', 'base64', 'url']),
        maxPromptLength: z.number().int(),
        longRunning: z.boolean().optional(),
        streaming: z.boolean().optional(),
        variation: z
          .boolean()
          .optional()
          .describe('Makes variations of one image without a prompt (POST /v1/images/variations).'),
        promptLanguage: z
          .string()
          .optional()
          .describe(
            'The language the model follows best (en, zh; any); prompt_optimization translates into it.',
          ),
      })
      .describe(
        'What the model can do; a request outside these gets a 400 naming the field, or a warning when the setting can be degraded.',
      ),
  })
  .meta({ id: 'Model' });

export const modelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(modelSchema),
  })
  .meta({ id: 'ModelList' });

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    closing: z.boolean().optional(),
    default_model: z.string(),
    providers: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        models: z.number().int(),
        credentials: z.number().int(),
        credentials_available: z
          .number()
          .int()
          .describe('Credentials in rotation (not disabled after a 401 or exhausted quota).'),
      }),
    ),
    limiter: z.object({ backend: z.enum(['in-process', 'redis']), connected: z.boolean().optional() }),
    storage: z
      .object({
        backend: z.enum(['file', 's3']).describe('The data folder, or an S3-compatible bucket.'),
        writable: z.boolean(),
        os_code: z
          .string()
          .optional()
          .describe('What the last failed write probe got: ENOSPC, EROFS, EACCES, ...'),
        checked_at: z.string().optional(),
      })
      .describe('The image store write probe (at most one small write every few seconds).'),
    ledger: z
      .object({
        writable: z.boolean(),
        os_code: z
          .string()
          .optional()
          .describe('What the last failed ledger write got: ENOSPC, EROFS, EACCES, ...'),
        path: z.string().optional().describe('The ledger file that cannot be written.'),
        pending_records: z
          .number()
          .int()
          .optional()
          .describe('Records kept in memory, written when the disk takes them again.'),
        since: z.string().optional().describe('When the ledger stopped being writable (ISO 8601).'),
      })
      .describe('The usage ledger (usage.jsonl): whether its last write reached the disk.'),
  })
  .meta({ id: 'Readiness' });
