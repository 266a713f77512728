#!/usr/bin/env node
import { ConfigError, loadConfig } from '@uig/core';
import { buildApp } from './app.js';
import { providerPlugins } from './providers.js';
import { createRuntime } from './runtime.js';

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
  const runtime = createRuntime(config);
  const app = await buildApp({
    runtime,
    logger: { level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
  });
  await app.listen({ host: config.host, port: config.port });
  app.log.info({ providers: config.providers.map((p) => p.id), default_model: runtime.registry.defaultName(), data_dir: config.dataDir }, 'uig gateway ready');
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
}

await main();
