import { InvalidRequestError, isImageId } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { requestSigner } from '../request-signer.js';

interface GalleryQuery {
  limit?: string;
  before?: string;
}

const maxLimit = 100;

function parseQuery(query: GalleryQuery): { limit: number; before?: string } {
  const limit = query.limit === undefined ? 24 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw new InvalidRequestError(`limit must be a whole number from 1 to ${maxLimit}.`, { param: 'limit' });
  if (query.before !== undefined && !isImageId(query.before))
    throw new InvalidRequestError('before must be an image id (32 hex characters, as in data[].id).', {
      param: 'before',
    });
  return { limit, ...(query.before !== undefined ? { before: query.before } : {}) };
}

/**
 * GET /v1/images?limit=&before=: the caller's stored images, newest first (the gallery).
 * Each entry carries a signed URL, so an <img> shows it without the key. Pages by image id:
 * `before` is the last id of the previous page. An indexed query of the usage store
 * (docs/accounting.md), so every process on the data folder (or database) sees the same list.
 */
export async function imageGalleryRoutes(app: FastifyInstance): Promise<void> {
  const { runtime, store } = app.uig;
  app.get<{ Querystring: GalleryQuery }>('/v1/images', async (request) => {
    const { limit, before } = parseQuery(request.query);
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
          object: 'image',
          url: (await store.directUrl(image.id)) ?? signer.sign(image.id),
          created: Math.floor(Date.parse(image.time) / 1000),
          ...(image.prompt !== undefined ? { prompt: image.prompt } : {}),
          model: image.model,
          ...(stored ? { width: stored.width, height: stored.height, mime_type: stored.mimeType } : {}),
          estimated_cost_usd: image.estimatedCostUsd,
        };
      }),
    );
    return { object: 'list', data, has_more: page.hasMore };
  });
}
