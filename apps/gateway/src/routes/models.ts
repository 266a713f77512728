import { modelAllowed, ModelNotFoundError, type ClientConfig, type ResolvedModel } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { modelLifecycle, modelPrice } from '@uig/runtime';

/** One model in OpenAI's shape, with uig's capabilities, lifecycle and price. */
function modelEntry({ name, provider, model }: ResolvedModel, defaultName: string) {
  return {
    id: name,
    object: 'model',
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
export async function modelRoutes(app: FastifyInstance): Promise<void> {
  const { registry } = app.uig;
  // A key sees only the models it may use (its `models` globs), as MCP list_models does.
  const visible = (client: ClientConfig | undefined, name: string) =>
    !client || modelAllowed(client.models, name);
  app.get('/v1/models', async (request) => {
    const defaultName = registry.defaultName();
    return {
      object: 'list',
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
  // wildcard serves the rest, slashes included.
  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request) =>
    oneModel(request.params.id, request.client),
  );
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) =>
    oneModel(request.params['*'], request.client),
  );
}
