import type { FastifyInstance } from 'fastify';

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
  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('content-type', runtime.metrics.contentType).send(await runtime.metrics.render()),
  );
}
