import type { UrlSigner } from '@uig/runtime';
import { signerForHost } from '@uig/runtime';
import type { FastifyRequest } from 'fastify';

/**
 * The signer for image URLs in this request's answer: on the Host the client called when
 * it names this server, else the configured public URL (packages/runtime/src/public-url.ts).
 * Every route that hands out image URLs (images, jobs, gallery) uses it, so a client on
 * `http://localhost:<port>` gets `localhost` URLs wherever it looks.
 */
export function requestSigner(request: FastifyRequest): UrlSigner {
  const { signer, runtime } = request.server.uig;
  return signerForHost(signer, runtime.config, request.headers.host);
}
