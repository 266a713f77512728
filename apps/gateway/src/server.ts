#!/usr/bin/env node
import { ConfigError, loadConfig } from '@uig/core';
import { buildApp } from './app.js';
import { listenRefusal } from './listen-policy.js';
import { loggerOptions } from './logger-options.js';
import { providerPlugins } from '@uig/runtime';
import { createRuntime } from '@uig/runtime';
import { closeGracefully } from './shutdown.js';

/** uig-gateway: loads the configuration, listens, and closes with grace on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ plugins: providerPlugins });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`uig-gateway: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const refusal = listenRefusal(config);
  if (refusal) {
    process.stderr.write(`uig-gateway: ${refusal}\n`);
    process.exit(2);
  }
  const runtime = createRuntime(config);
  const app = await buildApp({ runtime, logger: loggerOptions(process.env.LOG_LEVEL ?? 'info') });
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      providers: config.providers.map((p) => p.id),
      default_model: runtime.registry.defaultName(),
      data_dir: config.dataDir,
      client_keys: config.clients.length,
      limiter: config.redisUrl ? 'redis' : 'in-process',
    },
    'uig gateway ready',
  );
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down: finishing in-flight requests');
    const outcome = await closeGracefully(app, runtime, config.shutdownGraceMs);
    app.log.info({ outcome }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
}

await main();
