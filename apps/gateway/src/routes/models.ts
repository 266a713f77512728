import type { FastifyInstance } from 'fastify';

/** GET /v1/models: OpenAI's list shape, each entry with uig's capabilities. */
export async function modelRoutes(app: FastifyInstance): Promise<void> {
  const { registry } = app.uig;
  app.get('/v1/models', async () => {
    const defaultName = registry.defaultName();
    return {
      object: 'list',
      data: registry.list().map(({ name, provider, model }) => ({
        id: name,
        object: 'model',
        created: 0,
        owned_by: provider.id,
        description: model.description,
        default: name === defaultName,
        ...(model.deprecated ? { deprecated: true } : {}),
        ...(model.costPerImageUsd !== undefined ? { cost_per_image_usd: model.costPerImageUsd } : {}),
        capabilities: model.capabilities,
      })),
    };
  });
}
