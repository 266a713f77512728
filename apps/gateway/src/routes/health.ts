import type { FastifyInstance } from 'fastify';

/**
 * GET /healthz: the process answers. GET /readyz: it can serve image requests — at
 * least one configured provider has a credential in rotation, the shared limiter's
 * Redis (if configured) is connected, the image store can write (a small write probe,
 * at most every few seconds: a full or read-only disk turns readiness off until it is
 * writable again), and the gateway is not shutting down. The body
 * lists the configured providers either way; the status says ready (200) or not (503).
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { runtime, registry } = app.uig;
  const config = { access: 'public' } as const;

  app.get('/healthz', { config }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config }, async (_request, reply) => {
    const models = registry.list();
    const providers = runtime.config.providers.map((provider) => {
      const pool = runtime.pools.get(provider.id);
      return {
        id: provider.id,
        type: provider.type,
        models: models.filter((entry) => entry.provider.id === provider.id).length,
        credentials: pool?.credentials.length ?? 0,
        credentials_available: pool?.available ?? 0,
      };
    });
    const limiter = runtime.shared
      ? { backend: 'redis', connected: runtime.shared.ready }
      : { backend: 'in-process' };
    const health = await runtime.store.health();
    const backend = runtime.store.kind;
    const storage = health.ok
      ? { backend, writable: true }
      : {
          backend,
          writable: false,
          os_code: health.osCode,
          checked_at: new Date(health.checkedAt).toISOString(),
        };
    const closing = app.uig.closing;
    const ready =
      !closing &&
      health.ok &&
      providers.some((provider) => provider.credentials_available > 0) &&
      (!runtime.shared || runtime.shared.ready);
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      ...(closing ? { closing: true } : {}),
      default_model: registry.defaultName(),
      providers,
      limiter,
      storage,
    });
  });
}
