import type { FastifyInstance } from 'fastify';
import type { Runtime } from '@uig/runtime';

/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish, then
 * release the runtime (limiters, Redis, the usage ledger). Requests still running after
 * `graceMs` have their connections cut so the process can exit; an image being stored
 * at that moment is still never half on disk (the store writes a temporary file and
 * renames it into place).
 */
export async function closeGracefully(
  app: FastifyInstance,
  runtime: Runtime,
  graceMs: number,
): Promise<'drained' | 'forced'> {
  let outcome: 'drained' | 'forced' = 'drained';
  const timer = setTimeout(() => {
    outcome = 'forced';
    app.log.warn(
      { grace_ms: graceMs },
      'in-flight requests did not finish in time; closing their connections',
    );
    app.server.closeAllConnections();
  }, graceMs);
  try {
    // Stops accepting; in-flight requests finish; connections close as they fall idle (app.ts).
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  await runtime.close();
  return outcome;
}
