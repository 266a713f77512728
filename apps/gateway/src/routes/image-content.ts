import { NotFoundError } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';

/**
 * GET /v1/images/{id}/content: a stored image. Ids are content addresses, so the
 * bytes behind an id never change: a strong ETag of the id and long caching are safe.
 */
export async function imageContentRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.uig;
  app.get<{ Params: { id: string } }>('/v1/images/:id/content', async (request, reply) => {
    const image = await store.stat(request.params.id);
    if (!image) throw new NotFoundError(`No stored image with id ${request.params.id}.`, { param: 'id', code: 'IMAGE_NOT_FOUND' });
    const etag = `"${image.id}"`;
    reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.header('content-type', image.mimeType).header('content-length', image.byteLength).send(createReadStream(image.path));
  });
}
