import type { Test } from 'tap';
import { loadConfig, type Env, type ProviderPlugin } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type BuildAppOptions } from '../src/app.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '@uig/runtime';
import { postgresUrl } from '../../../packages/core/test/postgres-server.js';

export interface TestGateway {
  app: FastifyInstance;
  runtime: Runtime;
  /** Waits recorded instead of slept, so retries take no time. */
  sleeps: number[];
  /** `http://127.0.0.1:<port>` when started with `listen: true`. */
  url: string;
}

export interface StartOptions {
  listen?: boolean;
  /** Provider plugins (default: the gateway's own list). */
  plugins?: ProviderPlugin[];
  /** Written to a JSON file named by UIG_CONFIG. */
  configFile?: Record<string, unknown>;
  runtime?: RuntimeOptions;
  logger?: BuildAppOptions['logger'];
  /**
   * The embedded PGlite usage store in the data folder, as users get it by default. Without
   * it the usage store is a fresh database on the test PostgreSQL cluster: opening PGlite
   * costs each gateway seconds of CPU, and the store behaves the same on both (the accounting
   * tests run on both).
   */
  embeddedDatabase?: boolean;
}

/** A gateway on a fresh data dir, built from env (and a config file) exactly as the server builds it. */
export async function startGateway(t: Test, env: Env = {}, options: StartOptions = {}): Promise<TestGateway> {
  const sleeps: number[] = [];
  // Listening tests pick the port first, so the configured public URL (and with it
  // every signed image URL) points at this very server, as in production.
  const port = options.listen ? await freePort() : 8080;
  // Not t.testdir(): a test may start several gateways (a restart), each needs its own folder.
  const dir = mkdtempSync(join(tmpdir(), 'uig-gateway-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fileEnv: Env = {};
  if (options.configFile) {
    writeFileSync(join(dir, 'uig.json'), JSON.stringify(options.configFile));
    fileEnv.UIG_CONFIG = join(dir, 'uig.json');
  }
  const plugins = options.plugins ?? (await import('@uig/runtime')).providerPlugins;
  if (!options.embeddedDatabase && env.UIG_DATABASE_URL === undefined)
    fileEnv.UIG_DATABASE_URL = await postgresUrl(t);
  const config = loadConfig({
    env: { UIG_DATA_DIR: join(dir, 'data'), PORT: String(port), ...fileEnv, ...env },
    plugins,
  });
  const runtime = createRuntime(config, { sleep: async (ms) => void sleeps.push(ms), ...options.runtime });
  const app = await buildApp({ runtime, ...(options.logger ? { logger: options.logger } : {}) });
  t.teardown(async () => {
    await app.close();
    await runtime.close();
  });
  const url = options.listen ? await app.listen({ host: '127.0.0.1', port }) : '';
  return { app, runtime, sleeps, url };
}

export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A multipart/form-data body for inject(). */
export function multipartBody(
  parts: Array<
    { name: string; value: string } | { name: string; filename: string; data: Uint8Array; type?: string }
  >,
) {
  const boundary = `----uig${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      );
      chunks.push(Buffer.from(part.data), Buffer.from('\r\n'));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
