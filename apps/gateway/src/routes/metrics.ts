import type { FastifyInstance } from 'fastify';

/** GET /metrics: Prometheus text format (see GatewayMetrics in @uig/runtime for what is measured). */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) => {
    const pools = [...runtime.pools.values()];
    const text = runtime.metrics.render({
      queueDepth: pools.map((pool) => [pool.provider, pool.queued]),
      credentialsAvailable: pools.map((pool) => [pool.provider, pool.available, pool.credentials.length]),
      inFlight: app.uig.inFlight,
    });
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
