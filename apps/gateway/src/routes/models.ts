import {
  modelAllowed,
  ModelNotFoundError,
  type ClientConfig,
  type ModelCapabilities,
  type ResolvedModel,
} from '@uig/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { modelLifecycle, modelPrice } from '@uig/runtime';
import { modelListSchema, modelSchema } from '../api-schemas.js';
import { errorResponses } from '../error-responses.js';

/** One model in OpenAI's shape, with uig's capabilities, lifecycle and price. */
function modelEntry({ name, provider, model }: ResolvedModel, defaultName: string) {
  return {
    id: name,
    object: 'model' as const,
    created: 0,
    owned_by: provider.id,
    description: model.description,
    default: name === defaultName,
    lifecycle: modelLifecycle(model),
    ...modelPrice(model),
    capabilities: model.capabilities,
  };
}

/** `fal%2Ffal-ai%2Fflux%2Fdev` and `fal/fal-ai/flux/dev` name the same model. */
function decodeModelId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * GET /v1/models: OpenAI's list shape. GET /v1/models/{id}: one of them; ids may hold
 * slashes (`fal/fal-ai/flux/dev`), raw or `%2F`-encoded, and a bare id resolves as in
 * a request. An unknown id is a 404 in the error envelope.
 */
/**
 * Every capability core declares and every price field the listing writes is in the
 * documented answer (the serializer drops what the schema does not list): a new one fails
 * typecheck here, naming it, until api-schemas.ts has it.
 */
type Listed = z.output<typeof modelSchema>;
type Undocumented =
  | Exclude<keyof ModelCapabilities, keyof Listed['capabilities']>
  | Exclude<keyof NonNullable<ReturnType<typeof modelPrice>['price']>, keyof NonNullable<Listed['price']>>;
const allCapabilitiesDocumented: [Undocumented] extends [never] ? true : Undocumented = true;
void allCapabilitiesDocumented;

const modelParams = z.object({
  id: z
    .string()
    .describe(
      'provider/model (slashes raw or %2F-encoded: fal/fal-ai/flux/dev), a bare model id served by one provider, or an alias.',
    ),
});

export async function modelRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { registry } = app.uig;
  const listSchema = {
    summary: 'List models with their capabilities',
    description: 'Only the models the key may use (its models globs).',
    operationId: 'listModels',
    tags: ['models'],
    response: {
      200: {
        description: 'OpenAI-style model list.',
        content: { 'application/json': { schema: modelListSchema } },
      },
      ...errorResponses([401]),
    },
  };
  const oneSchema = {
    summary: 'One model with its capabilities and price',
    description:
      'The id may hold slashes (fal/fal-ai/flux/dev), raw or %2F-encoded; a bare id or an alias resolves as in a request.',
    operationId: 'getModel',
    tags: ['models'],
    params: modelParams,
    response: {
      200: { description: 'The model.', content: { 'application/json': { schema: modelSchema } } },
      ...errorResponses([401, 404], {
        404: 'No such model, or not one this key may use (model_not_found).',
      }),
    },
  };
  // A key sees only the models it may use (its `models` globs), as MCP list_models does.
  const visible = (client: ClientConfig | undefined, name: string) =>
    !client || modelAllowed(client.models, name);
  app.get('/v1/models', { schema: listSchema }, async (request) => {
    const defaultName = registry.defaultName();
    return {
      object: 'list' as const,
      data: registry
        .list()
        .filter((entry) => visible(request.client, entry.name))
        .map((entry) => modelEntry(entry, defaultName)),
    };
  });
  const oneModel = async (raw: string, client: ClientConfig | undefined) => {
    const resolved = registry.resolve(decodeModelId(raw));
    // Not this key's: the same 404 as an unknown id, so a key learns nothing of the others.
    if (!visible(client, resolved.name))
      throw new ModelNotFoundError(
        `No model "${decodeModelId(raw)}" for this key; GET /v1/models lists its models.`,
        {
          param: 'model',
        },
      );
    return modelEntry(resolved, registry.defaultName());
  };
  // `:id` serves ids without a slash (and is the route the OpenAPI document names); the
  // wildcard serves the rest, slashes included (OpenAPI cannot write it: hidden).
  app.get('/v1/models/:id', { schema: oneSchema }, async (request) =>
    oneModel(request.params.id, request.client),
  );
  app.get(
    '/v1/models/*',
    {
      schema: {
        ...oneSchema,
        hide: true,
        params: z.object({ '*': z.string() }),
      },
    },
    async (request) => oneModel(request.params['*'], request.client),
  );
}
