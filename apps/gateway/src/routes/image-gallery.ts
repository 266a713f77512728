import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../error-responses.js';
import { requestSigner } from '../request-signer.js';

const imageListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string().describe('Stored image id (32 hex).'),
        object: z.literal('image'),
        url: z.string().describe('Signed, expiring URL (or the bucket URL when the store hands them out).'),
        created: z.number().int().describe('Unix seconds.'),
        prompt: z.string().optional(),
        model: z.string().optional().describe('provider/model that made it.'),
        width: z.number().int().optional(),
        height: z.number().int().optional(),
        mime_type: z.string().optional(),
        estimated_cost_usd: z
          .number()
          .optional()
          .describe('Its share of the request cost, from list prices.'),
      }),
    ),
    has_more: z.boolean().describe('More images before the last one: ask again with before = its id.'),
  })
  .meta({ id: 'ImageList', description: "The caller's stored images, newest first." });

const maxLimit = 100;

const galleryQuery = z.object({
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${maxLimit}` })
    .int({ error: `must be a whole number from 1 to ${maxLimit}` })
    .min(1, { error: `must be a whole number from 1 to ${maxLimit}` })
    .max(maxLimit, { error: `must be a whole number from 1 to ${maxLimit}` })
    .default(24)
    .describe(`Images per page, 1-${maxLimit}.`),
  before: z
    .string()
    .regex(/^[a-f0-9]{32}$/, { error: 'must be an image id (32 hex characters, as in data[].id)' })
    .optional()
    .describe('The last id of the previous page: the images stored before it.'),
});

/**
 * GET /v1/images?limit=&before=: the caller's stored images, newest first (the gallery).
 * Each entry carries a signed URL, so an <img> shows it without the key. Pages by image id:
 * `before` is the last id of the previous page. An indexed query of the usage store
 * (docs/accounting.md), so every process on the data folder (or database) sees the same list.
 */
export async function imageGalleryRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { runtime, store } = app.uig;
  const schema = {
    summary: "The key's stored images, newest first (the gallery)",
    operationId: 'listImages',
    tags: ['images'],
    querystring: galleryQuery,
    response: {
      200: { description: 'A page of images.', content: { 'application/json': { schema: imageListSchema } } },
      ...errorResponses([400, 401]),
    },
  };
  app.get('/v1/images', { schema }, async (request) => {
    const { limit, before } = request.query;
    // This process's records still on their way to the database are in the answer too.
    await runtime.usage.flush();
    const page = await runtime.usage.recentImages(request.client?.name ?? 'anonymous', {
      limit,
      ...(before ? { before } : {}),
    });
    const signer = requestSigner(request);
    const data = await Promise.all(
      page.images.map(async (image) => {
        const stored = await store.stat(image.id);
        return {
          id: image.id,
          object: 'image' as const,
          url: (await store.directUrl(image.id)) ?? signer.sign(image.id),
          created: Math.floor(Date.parse(image.time) / 1000),
          ...(image.prompt !== undefined ? { prompt: image.prompt } : {}),
          model: image.model,
          ...(stored ? { width: stored.width, height: stored.height, mime_type: stored.mimeType } : {}),
          estimated_cost_usd: image.estimatedCostUsd,
        };
      }),
    );
    return { object: 'list' as const, data, has_more: page.hasMore };
  });
}
