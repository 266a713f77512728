import { type ByteRange, NotFoundError, PermissionDeniedError } from '@uig/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorResponses } from '../error-responses.js';

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

const binary = { schema: z.string().meta({ format: 'binary' }) };
const imageTypes = { 'image/png': binary, 'image/jpeg': binary, 'image/webp': binary, 'image/gif': binary };

const schema = {
  summary: 'A stored image',
  description:
    'The bytes of a stored image with its Content-Type, a strong ETag (If-None-Match gives 304), byte ranges and immutable caching. A valid signature (the URLs answers hand out) needs no client key; otherwise a client key is required when keys are configured.',
  operationId: 'getImageContent',
  tags: ['images'],
  security: [{ signedUrl: [] }, { clientKey: [] }] as Array<Record<string, string[]>>,
  params: z.object({ id: z.string().describe('Stored image id (32 hex), as in data[].id.') }),
  querystring: z
    .object({
      expires: z.string().optional().describe('Unix seconds; part of a signed URL.'),
      signature: z.string().optional().describe('HMAC-SHA256 of id.expires; part of a signed URL.'),
    })
    .loose(),
  headers: z
    .object({
      'if-none-match': z.string().optional().describe('The ETag you have: 304 when it still matches.'),
      range: z.string().optional().describe('bytes=a-b, bytes=a- or bytes=-n: one range.'),
      'if-range': z.string().optional().describe('The ETag: serve the range only if it still matches.'),
    })
    .loose(),
  response: {
    200: { description: 'The image (ETag, Cache-Control, Content-Disposition).', content: imageTypes },
    206: { description: 'The asked byte range (Content-Range).', content: imageTypes },
    304: z.undefined().describe('Not modified (If-None-Match matched the ETag).'),
    ...errorResponses([401, 403, 404, 416], {
      401: 'No valid signature, and no (or a wrong) client key.',
      403: 'The signature expired (signature_expired) or is not genuine (invalid_signature).',
      404: 'No stored image with this id (image_not_found).',
      416: 'The range is outside the image (range_not_satisfiable).',
    }),
  },
};

export async function imageContentRoutes(app: FastifyInstance): Promise<void> {
  const { store, signer, runtime } = app.uig;
  const authenticator = runtime.authenticator;

  const authorize = async (
    request: FastifyRequest<{ Params: { id: string }; Querystring: ContentQuery }>,
  ): Promise<void> => {
    if (!authenticator.enabled) return;
    const verdict = signer.check(request.params.id, request.query.expires, request.query.signature);
    if (verdict === 'valid') return;
    if (request.headers.authorization !== undefined || verdict === 'absent') {
      request.client = await runtime.managedClients.authenticate(request.headers.authorization);
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

  const serve = async (
    request: FastifyRequest<{ Params: { id: string }; Querystring: ContentQuery }>,
    reply: FastifyReply,
  ) => {
    await authorize(request);
    const image = await store.stat(request.params.id);
    if (!image)
      throw new NotFoundError(`No stored image with id ${request.params.id}.`, {
        param: 'id',
        code: 'IMAGE_NOT_FOUND',
      });
    const etag = `"${image.id}"`;
    reply
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `inline; filename="${image.id}.${image.extension}"`)
      .header('content-type', image.mimeType);
    if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
    const ifRange = request.headers['if-range'];
    const range = byteRange(
      request.headers.range,
      typeof ifRange === 'string' ? ifRange : undefined,
      etag,
      image.byteLength,
    );
    if (range === 'unsatisfiable')
      return reply
        .status(416)
        .header('content-range', `bytes */${image.byteLength}`)
        .header('content-type', 'application/json; charset=utf-8')
        .send({
          error: {
            message: `The range is outside the image's ${image.byteLength} bytes.`,
            type: 'invalid_request_error',
            code: 'range_not_satisfiable',
            param: 'range',
          },
          request_id: request.id,
        });
    const length = range ? range.end - range.start + 1 : image.byteLength;
    reply.header('content-length', length);
    if (range)
      reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${image.byteLength}`);
    if (request.method === 'HEAD') return reply.send();
    const found = await store.stream(image.id, range);
    if (!found)
      throw new NotFoundError(`No stored image with id ${request.params.id}.`, {
        param: 'id',
        code: 'IMAGE_NOT_FOUND',
      });
    return reply.send(found.body);
  };

  // HEAD first: Fastify then keeps this handler instead of making one from GET (which
  // would fetch the bytes only to drop them).
  for (const method of ['HEAD', 'GET'] as const)
    app.route<{ Params: { id: string }; Querystring: ContentQuery }>({
      method,
      url: '/v1/images/:id/content',
      config: { access: 'signed' },
      schema,
      handler: serve,
    });
}

/**
 * One `Range: bytes=a-b` (or `a-`, or `-n`) within the image, or undefined for the whole
 * image: several ranges, another unit, or an `If-Range` naming another version are served
 * whole, as RFC 9110 allows.
 */
function byteRange(
  header: string | undefined,
  ifRange: string | undefined,
  etag: string,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header || (ifRange !== undefined && ifRange !== etag)) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
