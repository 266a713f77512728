import multipart from '@fastify/multipart';
import type { ClientConfig, ImageService, ImageStore, ModelRegistry } from '@uig/core';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { sendError } from './error-envelope.js';
import { setRateLimitHeaders } from './image-request-runner.js';
import { loggableUrl } from './logger-options.js';
import { adminClientRoutes } from './routes/admin-clients.js';
import { registerRequestLedger } from './request-ledger.js';
import { healthRoutes } from './routes/health.js';
import { imageContentRoutes } from './routes/image-content.js';
import { imageRoutes } from './routes/images.js';
import { imageGalleryRoutes } from './routes/image-gallery.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { playgroundRoutes } from './routes/playground.js';
import { modelRoutes } from './routes/models.js';
import { openApiRoutes, registerOpenApi } from './api-docs.js';
import { usageRoutes } from './routes/usage.js';
import { validatorCompiler } from './zod-validation.js';
import type { Runtime } from '@uig/runtime';
import type { UrlSigner } from '@uig/runtime';

/** What every route reaches through `app.uig`. */
export interface GatewayServices {
  runtime: Runtime;
  service: ImageService;
  registry: ModelRegistry;
  store: ImageStore;
  signer: UrlSigner;
  /** Requests being answered (for /metrics). */
  inFlight: number;
  /** Set once close() has begun (readyz answers 503). */
  closing: boolean;
  /** Every route as registered (the OpenAPI test checks each one is documented). */
  routes: RouteOptions[];
}

/**
 * Who may call a route: `client` needs a client key when keys are configured (the
 * default, so a new route is closed unless marked otherwise); `signed` decides in the
 * route (a signed URL or a key); `admin` needs the admin key (checked by the admin
 * routes); `public` is open (health, metrics, OpenAPI, docs).
 */
export interface RouteAccess {
  access?: 'client' | 'signed' | 'admin' | 'public';
}

declare module 'fastify' {
  interface FastifyInstance {
    uig: GatewayServices;
  }
  interface FastifyRequest {
    /** The authenticated client key's identity and limits; undefined when the gateway is open. */
    client: ClientConfig | undefined;
    /** Provider and model the request resolved to, for metrics labels. */
    imageTarget: { provider: string; model: string } | undefined;
  }
  interface FastifyContextConfig extends RouteAccess {}
}

export interface BuildAppOptions {
  runtime: Runtime;
  /** Fastify's logger option: false in tests, pino options in the server (see logger-options.ts). */
  logger?: FastifyServerOptions['logger'];
  /** A ready pino instance instead of `logger`. */
  loggerInstance?: FastifyBaseLogger;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** The REST gateway as a Fastify instance; `server.ts` only listens and closes it. */
export async function buildApp({
  runtime,
  logger = false,
  loggerInstance,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger }),
    bodyLimit: runtime.config.bodyLimitBytes,
    // Slow bodies (a byte every few seconds) must not hold sockets forever: 408 and close
    // once the request has not fully arrived in time. Node checks only every
    // connectionsCheckingInterval, so that is set to keep the close within 5 s of the deadline.
    requestTimeout: runtime.config.requestTimeoutMs,
    http: {
      headersTimeout: runtime.config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(
        5000,
        Math.max(50, Math.floor(runtime.config.requestTimeoutMs / 4)),
      ),
    },
    // Keep a caller's x-request-id when it is sane, so logs join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given)
        ? given
        : `req_${randomUUID().replaceAll('-', '')}`;
    },
    // One log line per request (the onResponse hook below) instead of Fastify's two. With
    // a LogController, Fastify reads disableRequestLogging from it only (the top-level
    // option is ignored, which brought back "incoming request" and a second "request completed").
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    // During close(), requests that still arrive on open connections get a 503 and
    // idle keep-alive connections are closed; in-flight requests finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const services: GatewayServices = {
    runtime,
    service: runtime.service,
    registry: runtime.registry,
    store: runtime.store,
    signer: runtime.signer,
    inFlight: 0,
    closing: false,
    routes: [],
  };
  app.decorate('uig', services);
  app.addHook('onRoute', (route) => void services.routes.push(route));
  // Every route declares zod schemas: Fastify validates requests and serializes JSON
  // answers with them, and @fastify/swagger documents them (api-docs.ts).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app);
  // The runtime logs outside any route (a credential leaving rotation happens deep in
  // the service); the service passes the request id along with it, so the line carries
  // the request_id of the request that found out (no AsyncLocalStorage: on Node 20 it
  // turns on promise hooks for every promise of every request).
  runtime.attachLogger({
    info: (fields, message) => app.log.info(fields, message),
    warn: (fields, message) => app.log.warn(fields, message),
    error: (fields, message) => app.log.error(fields, message),
  });
  app.decorateRequest('client', undefined);
  app.decorateRequest('imageTarget', undefined);

  // JSON routes take JSON only: without this, Fastify's built-in text/plain parser hands
  // a route a string, which then fails as a malformed body (400) instead of the 415
  // docs/api.md names for another content type.
  app.removeContentTypeParser('text/plain');
  await app.register(multipart, {
    limits: {
      fileSize: Math.min(runtime.config.maxInputImageBytes, runtime.config.bodyLimitBytes),
      files: 17,
      fields: 32,
      parts: 64,
      // Prompts are long for some models (32 000 characters for gpt-image-1).
      fieldSize: 256 * 1024,
    },
  });

  // In flight until answered or abandoned by the client, whichever comes first.
  const counted = new WeakSet<object>();
  const done = (request: object) => {
    if (counted.delete(request)) services.inFlight--;
  };
  app.addHook('onRequest', async (request, reply) => {
    services.inFlight++;
    counted.add(request);
    reply.header('x-request-id', request.id);
    const config = request.routeOptions.config as RouteAccess;
    const access = config.access ?? 'client';
    if (access !== 'client') return;
    request.client = await runtime.managedClients.authenticate(request.headers.authorization);
  });
  registerRequestLedger(app);
  // Every answer to a key with an rpm limit reports it: image routes set the numbers
  // when the limiter admits or refuses; anything else (other routes, a request refused
  // before the limiter) reports the bucket as it stands, without spending from it.
  app.addHook('onSend', async (request, reply) => {
    if (!request.client?.limits?.rpm || reply.hasHeader('x-ratelimit-limit-requests')) return;
    setRateLimitHeaders(reply, await runtime.limiter.peek(request.client).catch(() => ({})));
  });
  app.addHook('onRequestAbort', async (request) => done(request));
  app.addHook('onResponse', async (request, reply) => {
    done(request);
    // request.log carries request_id; the URL without a signed URL's signature.
    request.log.info(
      {
        method: request.method,
        url: loggableUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    runtime.metrics.request({
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: reply.statusCode,
      provider: request.imageTarget?.provider ?? '',
      model: request.imageTarget?.model ?? '',
      seconds: reply.elapsedTime / 1000,
    });
  });
  app.addHook('preClose', async () => {
    services.closing = true;
    // server.close() closes the connections idle at that moment; keep-alive
    // connections whose last request finishes later must be closed too, or close()
    // waits for their keep-alive timeout.
    if (!app.server.listening) return;
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
    app.server.once('close', () => clearInterval(sweeper));
  });
  // Once closing, answers end their connection, so a keep-alive client does not hold
  // the server open after its last in-flight request is done.
  app.addHook('onSend', async (_request, reply) => {
    if (services.closing) reply.header('connection', 'close');
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        message: `No route ${request.method} ${request.url.split('?')[0]}.`,
        type: 'not_found_error',
        code: 'route_not_found',
        param: null,
      },
      request_id: request.id,
    }),
  );
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(openApiRoutes);
  await app.register(modelRoutes);
  await app.register(imageRoutes);
  await app.register(imageContentRoutes);
  await app.register(imageGalleryRoutes);
  await app.register(playgroundRoutes);
  await app.register(jobRoutes);
  await app.register(adminClientRoutes);
  await app.register(usageRoutes);
  return app;
}
