import { z } from 'zod';

/**
 * `providers.<name>.options` in the config file, for OpenAI itself and for every
 * OpenAI-compatible server configured with `type: openai` (Azure OpenAI, LocalAI,
 * vLLM, other gateways). Strict: a misspelt setting stops startup naming it.
 */

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name: letters, digits and dashes');

export const openaiModelDeclarationSchema = z.strictObject({
  /** The id sent as `model` and shown as `<provider>/<id>`. */
  id: z.string().min(1).max(200),
  /**
   * The rules it follows (sizes, n, quality, options; docs/providers/openai.md §2.3–2.4). Default:
   * the built-in model's family when the id is one, else `gpt-image`.
   */
  family: z.enum(['gpt-image', 'gpt-image-2', 'dall-e-3', 'dall-e-2']).optional(),
  description: z.string().max(500).optional(),
  /** Azure: requests go to `<baseURL>/deployments/<deployment>/images/...`. */
  deployment: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a deployment name: letters, digits, dot, dash, underscore')
    .optional(),
  costPerImageUsd: z.number().min(0).optional(),
  /** Replaces the family's list of sizes, for a server with its own (first one is the default). */
  sizes: z
    .array(z.string().regex(/^\d{1,5}x\d{1,5}$/, 'a size: WIDTHxHEIGHT'))
    .min(1)
    .optional(),
  /** How this server hands images back, as shown in GET /v1/models. Default: base64. */
  delivery: z.enum(['base64', 'url']).optional(),
});

export const openaiSettingsSchema = z
  .strictObject({
    /** Sent as `OpenAI-Organization` (docs/providers/openai.md §2.1). */
    organization: z.string().min(1).optional(),
    /** Sent as `OpenAI-Project` (docs/providers/openai.md §2.1). */
    project: z.string().min(1).optional(),
    /** The models this server offers. Default: OpenAI's own list. */
    models: z.array(openaiModelDeclarationSchema).min(1).optional(),
    /** Default: gpt-image-1 for the built-in list, else the first declared model. */
    defaultModel: z.string().min(1).optional(),
    /** Extra headers on every request. */
    headers: z.record(headerName, z.string()).optional(),
    /** Extra query parameters on every request (Azure: `api-version`). */
    query: z.record(z.string().min(1), z.string()).optional(),
    /** Send the key in this header instead of `Authorization: Bearer` (Azure: `api-key`). */
    apiKeyHeader: headerName.optional(),
    /**
     * What DALL·E models are asked for (docs/providers/openai.md §2.3 `response_format`). Default `b64_json`:
     * the bytes come back in the answer, so there is no 60-minute URL to download
     * (docs/providers/openai.md §2.6) and no second round trip. `url` when a server only does URLs.
     */
    dalleResponseFormat: z.enum(['b64_json', 'url']).default('b64_json'),
    /** Send the gateway's request id as `X-Client-Request-Id` (OpenAI's tracing header). Default true. */
    sendClientRequestId: z.boolean().default(true),
  })
  .superRefine((settings, context) => {
    const ids = settings.models?.map((model) => model.id);
    const duplicate = ids?.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate)
      context.addIssue({
        code: 'custom',
        path: ['models'],
        message: `model "${duplicate}" is declared twice`,
      });
    if (settings.defaultModel && ids && !ids.includes(settings.defaultModel)) {
      context.addIssue({
        code: 'custom',
        path: ['defaultModel'],
        message: `"${settings.defaultModel}" is not one of the declared models (${ids.join(', ')})`,
      });
    }
  });

export type OpenAISettings = z.output<typeof openaiSettingsSchema>;
