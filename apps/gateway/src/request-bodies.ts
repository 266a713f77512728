import {
  nativeImageRequestSchema,
  openaiEditFieldsSchema,
  openaiGenerationRequestSchema,
  openaiVariationFieldsSchema,
} from '@uig/core';
import { z } from 'zod';
import type { EditUpload } from './edit-form.js';

/**
 * The request bodies of the image routes: core's strict request schemas (shared with the
 * MCP tools) with a description on every field, so Fastify validates with them and the
 * OpenAPI document is generated from them. `.describe()` only adds metadata: what is
 * accepted is exactly core's schema (the observability test compares them).
 */
const fieldDescriptions: Record<string, string> = {
  prompt:
    'What to draw or change. Its longest length depends on the model (capabilities.maxPromptLength in GET /v1/models; longer is a 400 prompt_too_long).',
  model:
    'provider/model, a bare model id served by one provider, or an alias. Absent: the configured default model.',
  n: "Images to make, 1-10 (at most the model's maxImagesPerRequest). Counts toward the key's images per day.",
  size: '"auto" or WIDTHxHEIGHT in pixels. Checked against the model\'s sizes; for ratio-only models mapped to the nearest aspect ratio with a warning.',
  aspect_ratio: 'W:H, e.g. 16:9. For pixel-size models turned into a size the model takes.',
  quality:
    "A quality word; mapped to the model's nearest (hd = high) with a warning, or a 400 when it has none close.",
  seed: 'For reproducible results; image i of a request uses seed + i. A warning when the model takes no seed.',
  negative_prompt: 'What not to draw; a warning when the model takes none.',
  image:
    "Input image(s) to edit: a data URI (data:image/png;base64,...), an https URL (fetched by the gateway: public addresses only, size and time limits), or a stored image id. Up to 16; at most the model's maxInputImages.",
  mask: 'Mask for the edit (same forms as image); the model must support masks.',
  provider_options:
    'Per-provider settings keyed by provider id, e.g. {"cogview": {"watermark_enabled": false}}; each checked by that adapter\'s strict schema (unknown options are a 400).',
  fallback_models:
    'Models to try in order if this one fails for a reason another model could fix (upstream down, quota, timeout); replaces the configured chain.',
  response_format:
    'b64_json: the image inline as base64; url: a signed, expiring gateway URL. Default: b64_json on the OpenAI routes (url for dall-e-2 / dall-e-3 model names, as OpenAI answered them), url on POST /v1/images.',
  user: 'An end-user id, passed to vendors that take one.',
  safety_identifier:
    "OpenAI's current end-user id (a stable, hashed id of your user); passed to vendors that take one (OpenAI safety_identifier, CogView user_id).",
  prompt_optimization:
    "off, translate (into the model's prompt language, capabilities.promptLanguage) or enhance (translate and rewrite for the model). Absent: the key's default, else the configured one, else off. A failed rewrite sends the original prompt with a prompt_optimization_failed warning.",
  stream:
    'true: the answer is server-sent events (text/event-stream): progress and partial images as they come, then the result, or an error event; a request refused before work starts still gets a JSON error with its status. Not with Prefer: respond-async (a 400; follow the job at GET /v1/jobs/{id}/events instead).',
  style: 'OpenAI dall-e-3 style; other providers get an unsupported warning.',
  background: 'OpenAI gpt-image background; other providers get an unsupported warning.',
  output_format: 'OpenAI gpt-image output format; other providers get an unsupported warning.',
  output_compression:
    'OpenAI gpt-image compression 0-100 (jpeg, webp); other providers get an unsupported warning.',
  moderation: 'OpenAI gpt-image moderation level; other providers get an unsupported warning.',
  partial_images:
    'OpenAI streaming partial images (0-3, with stream: true); other providers get an unsupported warning.',
  input_fidelity: 'OpenAI gpt-image input fidelity for edits; other providers get an unsupported warning.',
};

/** The same strict object, each field described (a field without a description is a bug here). */
function described<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodObject<Shape> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => {
      const description = fieldDescriptions[name];
      if (!description) throw new Error(`request-bodies.ts: no description for field "${name}"`);
      return [name, (field as z.ZodType).describe(description)];
    }),
  );
  return schema.extend(shape) as unknown as z.ZodObject<Shape>;
}

export const generationBody = described(openaiGenerationRequestSchema).meta({
  id: 'ImageGenerationRequest',
  description: "OpenAI's CreateImageRequest, the OpenAI-only fields included. Unknown fields are a 400.",
});

export const nativeBody = described(nativeImageRequestSchema).meta({
  id: 'NativeImageRequest',
  description:
    'The OpenAI fields plus aspect_ratio, seed, negative_prompt, image and mask (giving image makes it an edit), provider_options, fallback_models and prompt_optimization. Unknown fields are a 400.',
});

/**
 * A file part of the multipart edit, read by edit-form.ts before validation (route
 * preValidation); documented as the binary it is on the wire.
 */
const upload = (description: string) =>
  z
    .custom<EditUpload>((value) => typeof value === 'object' && value !== null && 'data' in value, {
      error: 'upload the image as a file',
    })
    .meta({ type: 'string', format: 'binary', description });

export const editBody = described(openaiEditFieldsSchema)
  .extend({
    image: z
      .union([
        upload('The image to edit (PNG, JPEG, WebP or GIF; the bytes decide).'),
        z.array(upload('An image to edit.')).max(16),
      ])
      .optional()
      .describe('The image to edit, as a file (required unless image[] is given). Repeat it for several.'),
    'image[]': z
      .array(upload('An image to edit.'))
      .max(16)
      .optional()
      .describe('Several input images (the openai SDK sends arrays this way).'),
    mask: upload('Mask for the edit; the model must support masks.').optional(),
  })
  .meta({
    id: 'ImageEditRequest',
    description:
      'multipart/form-data: image (or image[]) files, an optional mask file, and the text fields. A file under any other name, or an unknown text field, is a 400 naming it.',
  });

export const variationBody = described(openaiVariationFieldsSchema)
  .extend({ image: upload('The image to vary (PNG, JPEG, WebP or GIF; the bytes decide).') })
  .meta({
    id: 'ImageVariationRequest',
    description: 'multipart/form-data: one image file and the text fields. Anything else is a 400 naming it.',
  });
