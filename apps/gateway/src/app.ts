import { InputImageResolver, type ClientIdentity, type ImageService, type ImageStore, type ModelRegistry } from '@uig/core';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { sendError } from './error-envelope.js';
import { healthRoutes } from './routes/health.js';
import { imageContentRoutes } from './routes/image-content.js';
import { imageRoutes } from './routes/images.js';
import { modelRoutes } from './routes/models.js';
import type { Runtime } from './runtime.js';
import type { UrlSigner } from './url-signer.js';

/** What every route reaches through `app.uig`. */
export interface GatewayServices {
  runtime: Runtime;
  service: ImageService;
  registry: ModelRegistry;
  store: ImageStore;
  signer: UrlSigner;
  resolver: InputImageResolver;
}

declare module 'fastify' {
  interface FastifyInstance {
    uig: GatewayServices;
  }
  interface FastifyRequest {
    /** The authenticated client key's identity; undefined when the gateway is open. */
    client: ClientIdentity | undefined;
  }
}

export interface BuildAppOptions {
  runtime: Runtime;
  /** Fastify's logger option: false in tests, pino options in the server. */
  logger?: FastifyServerOptions['logger'];
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** The REST gateway as a Fastify instance; `server.ts` only listens and closes it. */
export async function buildApp({ runtime, logger = false }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: runtime.config.bodyLimitBytes,
    // Keep a caller's x-request-id when it is sane, so logs join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
    },
    requestIdLogLabel: 'request_id',
  });
  const resolver = new InputImageResolver({
    store: runtime.store,
    fetch: globalThis.fetch,
    maxBytes: runtime.config.maxInputImageBytes,
    maxPixels: runtime.config.maxInputPixels,
    downloadTimeoutMs: runtime.config.downloadTimeoutMs,
  });
  app.decorate('uig', { runtime, service: runtime.service, registry: runtime.registry, store: runtime.store, signer: runtime.signer, resolver });
  app.decorateRequest('client', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { message: `No route ${request.method} ${request.url.split('?')[0]}.`, type: 'not_found_error', code: 'route_not_found', param: null }, request_id: request.id }),
  );
  await app.register(healthRoutes);
  await app.register(modelRoutes);
  await app.register(imageRoutes);
  await app.register(imageContentRoutes);
  return app;
}
