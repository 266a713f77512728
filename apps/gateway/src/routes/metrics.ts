import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** GET /metrics: Prometheus text format (see GatewayMetrics in @uig/runtime for what is measured). */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  runtime.metrics.readGaugesFrom(() => {
    const pools = [...runtime.pools.values()];
    return {
      queueDepth: pools.map((pool) => [pool.provider, pool.queued]),
      credentialsAvailable: pools.map((pool) => [pool.provider, pool.available, pool.credentials.length]),
      inFlight: app.uig.inFlight,
    };
  });
  const schema = {
    summary: 'Prometheus metrics',
    description:
      'Process and Node runtime metrics, requests, upstream calls, images and errors (docs/api.md).',
    operationId: 'metrics',
    tags: ['operations'],
    security: [],
    response: {
      200: {
        description: 'Prometheus text format 0.0.4.',
        content: { 'text/plain': { schema: z.string() } },
      },
    },
  };
  app.get('/metrics', { config: { access: 'public' }, schema }, async (_request, reply) =>
    reply.header('content-type', runtime.metrics.contentType).send(await runtime.metrics.render()),
  );
}
