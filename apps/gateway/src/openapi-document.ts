import {
  nativeImageRequestSchema,
  openaiEditFieldsSchema,
  openaiGenerationRequestSchema,
  openaiVariationFieldsSchema,
} from '@uig/core';
import { z } from 'zod';
import {
  errorResponseSchema,
  healthSchema,
  modelListSchema,
  modelSchema,
  nativeImagesResponseSchema,
  openaiImagesResponseSchema,
  readinessSchema,
  warningSchema,
} from './api-schemas.js';

/**
 * GET /openapi.json (OpenAPI 3.1, whose schemas are JSON Schema 2020-12). Request
 * bodies are zod 4's `z.toJSONSchema` of core's request schemas — the same objects
 * the routes parse with — in their input form (what a client sends: nulls allowed,
 * unknown fields refused by `additionalProperties: false`). Field descriptions are
 * added here, so core's schemas stay free of documentation prose.
 */
type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

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
    'Only false (or absent): streaming answers are not served, and true is a 400 streaming_not_supported rather than being ignored.',
  style: 'OpenAI dall-e-3 style; other providers get an unsupported warning.',
  background: 'OpenAI gpt-image background; other providers get an unsupported warning.',
  output_format: 'OpenAI gpt-image output format; other providers get an unsupported warning.',
  output_compression:
    'OpenAI gpt-image compression 0-100 (jpeg, webp); other providers get an unsupported warning.',
  moderation: 'OpenAI gpt-image moderation level; other providers get an unsupported warning.',
  partial_images: 'OpenAI streaming partial images; other providers get an unsupported warning.',
  input_fidelity: 'OpenAI gpt-image input fidelity for edits; other providers get an unsupported warning.',
};

function describeFields(schema: JsonSchema): JsonSchema {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (fieldDescriptions[name] && !property.description) property.description = fieldDescriptions[name];
  }
  return schema;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });

const errorStatuses: Record<string, string> = {
  '400':
    'Invalid request (code names the problem, param the field), or content_policy_violation (the vendor refused; vendor_code holds its own code).',
  '401': 'Missing or wrong client key (invalid_api_key, missing_api_key).',
  '403': 'The key may not use this model (model_not_allowed).',
  '404': 'Unknown model (model_not_found) or stored image (image_not_found).',
  '413': 'Body or an input image larger than allowed (payload_too_large).',
  '429':
    "rate_limit_exceeded (this gateway's per-key limits, or the vendor's after retries; see Retry-After), or insufficient_quota (the vendor balance is gone; never retried).",
  '502':
    'The vendor failed or answered something unusable (upstream_unavailable, invalid_upstream_response, upstream_authentication).',
  '503':
    'No provider can serve the request (no_provider_available), or the shared limiter is unreachable (limiter_unavailable).',
  '504': 'The vendor did not answer in time (upstream_timeout).',
};

const headerRefs = {
  'x-request-id': { $ref: '#/components/headers/RequestId' },
  'x-ratelimit-limit-requests': { $ref: '#/components/headers/RateLimitLimit' },
  'x-ratelimit-remaining-requests': { $ref: '#/components/headers/RateLimitRemaining' },
};

function errors(statuses: string[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorStatuses[status],
        headers:
          status === '429'
            ? { ...headerRefs, 'retry-after': { $ref: '#/components/headers/RetryAfter' } }
            : headerRefs,
        content: json('Error'),
      },
    ]),
  );
}

const imageErrors = ['400', '401', '403', '404', '413', '429', '502', '503', '504'];
const bearer = [{ clientKey: [] }];

export function buildOpenApiDocument(): Record<string, unknown> {
  const components = z.registry<{ id: string }>();
  components.add(openaiGenerationRequestSchema, { id: 'ImageGenerationRequest' });
  components.add(openaiEditFieldsSchema, { id: 'ImageEditFields' });
  components.add(openaiVariationFieldsSchema, { id: 'ImageVariationFields' });
  components.add(nativeImageRequestSchema, { id: 'NativeImageRequest' });
  components.add(errorResponseSchema, { id: 'Error' });
  components.add(warningSchema, { id: 'Warning' });
  components.add(openaiImagesResponseSchema, { id: 'ImagesResponse' });
  components.add(nativeImagesResponseSchema, { id: 'NativeImagesResponse' });
  components.add(modelListSchema, { id: 'ModelList' });
  components.add(modelSchema, { id: 'Model' });
  components.add(healthSchema, { id: 'Health' });
  components.add(readinessSchema, { id: 'Readiness' });
  const generated = z.toJSONSchema(components, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  const schemas = Object.fromEntries(
    Object.entries(generated.schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema;
      return [id, describeFields(rest)];
    }),
  );
  // Multipart edits: the text fields of the edit schema plus the file parts.
  const editFields = schemas.ImageEditFields!;
  const binary = { type: 'string', format: 'binary' };
  schemas.ImageEditRequest = {
    type: 'object',
    required: ['prompt'],
    additionalProperties: false,
    properties: {
      image: {
        ...binary,
        description:
          'The image to edit (PNG, JPEG, WebP or GIF; the bytes decide). Give either image or image[].',
      },
      'image[]': {
        type: 'array',
        items: binary,
        description: 'Several input images (the openai SDK sends arrays this way).',
      },
      mask: { ...binary, description: 'Mask for the edit; the model must support masks.' },
      ...editFields.properties,
    },
  };
  schemas.ImageVariationRequest = {
    type: 'object',
    required: ['image'],
    additionalProperties: false,
    properties: {
      image: { ...binary, description: 'The image to vary (PNG, JPEG, WebP or GIF; the bytes decide).' },
      ...schemas.ImageVariationFields!.properties,
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'uig — Universal Image Gateway',
      version: '0.1.0',
      description:
        'One OpenAI-compatible API for CogView, OpenAI, Gemini/Imagen, WanX and an offline local provider. Errors use the OpenAI envelope plus request_id. Unknown fields are refused with a 400 naming the field (unknown_parameter); null for an optional field means "not given". See docs/api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas,
      securitySchemes: {
        clientKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A client key (UIG_API_KEYS or clients in the config file). Not needed when the gateway runs without keys (loopback only).',
        },
      },
      headers: {
        RequestId: {
          description:
            'The request id (yours, if you sent a sane x-request-id; else generated). Also in every log line of the request.',
          schema: { type: 'string' },
        },
        RateLimitLimit: {
          description: "The key's requests-per-minute limit (only for keys that have one).",
          schema: { type: 'integer' },
        },
        RateLimitRemaining: {
          description: "Requests left in the key's bucket now (only for keys with an rpm limit).",
          schema: { type: 'integer' },
        },
        RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
      },
    },
    paths: {
      '/v1/images/generations': {
        post: {
          summary: 'Generate images (OpenAI-compatible)',
          description:
            "OpenAI's CreateImageRequest; the official openai client works with baseURL = <gateway>/v1. response_format url or b64_json for every provider.",
          operationId: 'createImage',
          security: bearer,
          requestBody: { required: true, content: json('ImageGenerationRequest') },
          responses: {
            '200': { description: 'The images.', headers: headerRefs, content: json('ImagesResponse') },
            ...errors(imageErrors),
          },
        },
      },
      '/v1/images/edits': {
        post: {
          summary: 'Edit images (OpenAI-compatible multipart)',
          description:
            'multipart/form-data with image (or image[]) files, an optional mask file, and the text fields. A file under any other name, or an unknown text field, is a 400 naming it.',
          operationId: 'createImageEdit',
          security: bearer,
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: ref('ImageEditRequest') } },
          },
          responses: {
            '200': {
              description: 'The edited images.',
              headers: headerRefs,
              content: json('ImagesResponse'),
            },
            ...errors(imageErrors),
          },
        },
      },
      '/v1/images/variations': {
        post: {
          summary: 'Variations of an image (OpenAI-compatible multipart)',
          description:
            'multipart/form-data with one image file and model, n, size, response_format, user. For models whose capabilities list variation (the local models, OpenAI-type dall-e-2); any other model is a 400 naming model and the models that can. Without model: the default model if it can, else the first one that can.',
          operationId: 'createImageVariation',
          security: bearer,
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: ref('ImageVariationRequest') } },
          },
          responses: {
            '200': { description: 'The variations.', headers: headerRefs, content: json('ImagesResponse') },
            ...errors(imageErrors),
          },
        },
      },
      '/v1/images': {
        post: {
          summary: 'Generate or edit images (native JSON)',
          description:
            'The OpenAI fields plus aspect_ratio, seed, negative_prompt, image and mask (data URI, https URL or stored id: giving image makes it an edit), provider_options and fallback_models. Answers with ids, sizes, warnings and usage.',
          operationId: 'createImageNative',
          security: bearer,
          requestBody: { required: true, content: json('NativeImageRequest') },
          responses: {
            '200': { description: 'The images.', headers: headerRefs, content: json('NativeImagesResponse') },
            ...errors(imageErrors),
          },
        },
      },
      '/v1/models': {
        get: {
          summary: 'List models with their capabilities',
          operationId: 'listModels',
          security: bearer,
          responses: {
            '200': {
              description: 'OpenAI-style model list.',
              headers: headerRefs,
              content: json('ModelList'),
            },
            ...errors(['401']),
          },
        },
      },
      '/v1/models/{id}': {
        get: {
          summary: 'One model with its capabilities',
          description:
            'The id may hold slashes (fal/fal-ai/flux/dev), raw or %2F-encoded; a bare id or an alias resolves as in a request.',
          operationId: 'getModel',
          security: bearer,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The model.', headers: headerRefs, content: json('Model') },
            ...errors(['401', '404']),
          },
        },
      },
      '/v1/images/{id}/content': {
        get: {
          summary: 'A stored image',
          description:
            'The bytes of a stored image with its Content-Type, a strong ETag (If-None-Match gives 304) and immutable caching. A valid signature (the URLs responses hand out) needs no client key; otherwise a client key is required when keys are configured.',
          operationId: 'getImageContent',
          security: [{}, ...bearer],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-f0-9]{32}$' } },
            {
              name: 'expires',
              in: 'query',
              schema: { type: 'string' },
              description: 'Unix seconds; part of a signed URL.',
            },
            {
              name: 'signature',
              in: 'query',
              schema: { type: 'string' },
              description: 'HMAC-SHA256 of id.expires; part of a signed URL.',
            },
          ],
          responses: {
            '200': {
              description: 'The image.',
              headers: {
                ETag: { schema: { type: 'string' } },
                'Cache-Control': { schema: { type: 'string' } },
              },
              content: {
                'image/png': { schema: binary },
                'image/jpeg': { schema: binary },
                'image/webp': { schema: binary },
                'image/gif': { schema: binary },
              },
            },
            '304': { description: 'Not modified (If-None-Match matched the ETag).' },
            '401': {
              description: 'No valid signature and no (or a wrong) client key.',
              content: json('Error'),
            },
            '403': {
              description: 'The signature expired (signature_expired) or is not genuine (invalid_signature).',
              content: json('Error'),
            },
            '404': { description: 'No stored image with this id (image_not_found).', content: json('Error') },
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          operationId: 'health',
          responses: { '200': { description: 'The process answers.', content: json('Health') } },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness, with the configured providers',
          operationId: 'ready',
          responses: {
            '200': { description: 'Ready.', content: json('Readiness') },
            '503': {
              description: 'Not ready (no credential in rotation, Redis away, or shutting down).',
              content: json('Readiness'),
            },
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          operationId: 'metrics',
          responses: {
            '200': {
              description: 'Text format 0.0.4.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          operationId: 'openapi',
          responses: {
            '200': {
              description: 'OpenAPI 3.1.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/docs': {
        get: {
          summary: 'This document, rendered (offline, no CDN)',
          operationId: 'docs',
          responses: {
            '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
