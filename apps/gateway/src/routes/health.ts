import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { healthSchema, readinessSchema } from '../api-schemas.js';

/**
 * GET /healthz: the process answers. GET /readyz: it can serve image requests — at
 * least one configured provider has a credential in rotation, the shared limiter's
 * Redis (if configured) is connected, the image store can write (a small write probe,
 * at most every few seconds: a full or read-only disk turns readiness off until it is
 * writable again), the usage ledger's last write reached the disk (its kept lines are
 * written again every few seconds, so it recovers by itself), and the gateway is not
 * shutting down. The body
 * lists the configured providers either way; the status says ready (200) or not (503).
 */
export async function healthRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { runtime, registry } = app.uig;
  const config = { access: 'public' } as const;
  const common = { tags: ['operations'], security: [] };

  app.get(
    '/healthz',
    {
      config,
      schema: {
        ...common,
        summary: 'Liveness',
        operationId: 'health',
        response: {
          200: {
            description: 'The process answers.',
            content: { 'application/json': { schema: healthSchema } },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  const readiness = { 'application/json': { schema: readinessSchema } };
  const readyzSchema = {
    ...common,
    summary: 'Readiness, with the configured providers',
    operationId: 'ready',
    response: {
      200: { description: 'Ready to serve image requests.', content: readiness },
      503: {
        description:
          'Not ready: no provider credential in rotation, Redis away, the image store or the usage ledger cannot write, or shutting down.',
        content: readiness,
      },
    },
  };
  app.get('/readyz', { config, schema: readyzSchema }, async (_request, reply) => {
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
      ? { backend: 'redis' as const, connected: runtime.shared.ready }
      : { backend: 'in-process' as const };
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
    const ledgerHealth = runtime.ledger.health();
    const ledger = ledgerHealth.ok
      ? { writable: true }
      : {
          writable: false,
          os_code: ledgerHealth.osCode,
          path: ledgerHealth.path,
          pending_records: ledgerHealth.pending,
          ...(ledgerHealth.since !== undefined ? { since: new Date(ledgerHealth.since).toISOString() } : {}),
        };
    const closing = app.uig.closing;
    const ready =
      !closing &&
      health.ok &&
      ledgerHealth.ok &&
      providers.some((provider) => provider.credentials_available > 0) &&
      (!runtime.shared || runtime.shared.ready);
    return reply.status(ready ? 200 : 503).send({
      status: ready ? ('ready' as const) : ('not_ready' as const),
      ...(closing ? { closing: true } : {}),
      default_model: registry.defaultName(),
      providers,
      limiter,
      storage,
      ledger,
    });
  });
}
