import type { Test } from 'tap';
import { loadConfig, type Env } from '@uig/core';
import { buildApp, createRuntime, providerPlugins, type Runtime } from '@uig/gateway';
import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';

export interface TestGateway {
  app: FastifyInstance;
  runtime: Runtime;
  /** Waits recorded instead of slept, so retries take no time. */
  sleeps: number[];
  /** `http://127.0.0.1:<port>` when started with `listen: true`. */
  url: string;
}

/** A gateway on a fresh data dir, built from env exactly as the server builds it. */
export async function startGateway(t: Test, env: Env = {}, options: { listen?: boolean } = {}): Promise<TestGateway> {
  const sleeps: number[] = [];
  // Listening tests pick the port first, so the configured public URL (and with it
  // every signed image URL) points at this very server, as in production.
  const port = options.listen ? await freePort() : 8080;
  const config = loadConfig({ env: { UIG_DATA_DIR: t.testdir(), PORT: String(port), ...env }, plugins: providerPlugins });
  const runtime = createRuntime(config, { sleep: async (ms) => void sleeps.push(ms) });
  const app = await buildApp({ runtime });
  t.teardown(async () => {
    await app.close();
    await runtime.close();
  });
  const url = options.listen ? await app.listen({ host: '127.0.0.1', port }) : '';
  return { app, runtime, sleeps, url };
}

export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
