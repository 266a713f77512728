import { NotFoundError, PermissionDeniedError } from '@uig/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';

/**
 * GET /v1/images/{id}/content: a stored image.
 *
 * Access, when client keys are configured: a valid signature (the URLs responses hand
 * out) is enough; otherwise a valid client key is needed. A URL whose signature is
 * expired (403 `signature_expired`) or tampered with (403 `invalid_signature`) is
 * refused unless the request also carries a valid key; no signature and no key is a
 * 401. With no keys configured the gateway is open and the content is served to anyone.
 *
 * Ids are content addresses, so the bytes behind an id never change: a strong ETag of
 * the id and long, immutable caching are safe. `private`, because access is controlled.
 */
interface ContentQuery {
  expires?: string;
  signature?: string;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}

export async function imageContentRoutes(app: FastifyInstance): Promise<void> {
  const { store, signer, runtime } = app.uig;
  const authenticator = runtime.authenticator;

  const authorize = (request: FastifyRequest<{ Params: { id: string }; Querystring: ContentQuery }>) => {
    if (!authenticator.enabled) return;
    const verdict = signer.check(request.params.id, request.query.expires, request.query.signature);
    if (verdict === 'valid') return;
    if (request.headers.authorization !== undefined || verdict === 'absent') {
      request.client = authenticator.authenticate(request.headers.authorization);
      return;
    }
    if (verdict === 'expired') {
      throw new PermissionDeniedError(
        'This image URL has expired; request the image again (or send a client key).',
        { code: 'SIGNATURE_EXPIRED', param: 'expires' },
      );
    }
    throw new PermissionDeniedError("This image URL's signature is not valid.", {
      code: 'INVALID_SIGNATURE',
      param: 'signature',
    });
  };

  app.get<{ Params: { id: string }; Querystring: ContentQuery }>(
    '/v1/images/:id/content',
    { config: { access: 'signed' } },
    async (request, reply) => {
      authorize(request);
      const image = await store.stat(request.params.id);
      if (!image)
        throw new NotFoundError(`No stored image with id ${request.params.id}.`, {
          param: 'id',
          code: 'IMAGE_NOT_FOUND',
        });
      const etag = `"${image.id}"`;
      reply
        .header('etag', etag)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename="${image.id}.${image.extension}"`);
      if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply
        .header('content-type', image.mimeType)
        .header('content-length', image.byteLength)
        .send(createReadStream(image.path));
    },
  );
}
