import { ConfigError, loadConfig, type Env } from '@uig/core';
import { createRuntime, listenError, providerPlugins } from '@uig/runtime';
import { buildApp } from './app.js';
import { listenRefusal } from './listen-policy.js';
import { loggerOptions } from './logger-options.js';
import { closeGracefully } from './shutdown.js';

/**
 * The REST gateway as a command runs it (`uig serve`, `uig-gateway`): loads the
 * configuration, listens, and closes with grace on SIGTERM/SIGINT. Every problem
 * before it listens is thrown (a ConfigError names the setting), so the command can
 * report it in one line.
 */
export async function startGateway(env: Env = process.env): Promise<void> {
  const config = loadConfig({ env, plugins: providerPlugins });
  const refusal = listenRefusal(config);
  if (refusal) throw new ConfigError(refusal);
  const runtime = createRuntime(config);
  // An S3 bucket that cannot be used stops startup here, naming the setting (a ConfigError).
  if (runtime.store.kind === 's3') await runtime.startup;
  const app = await buildApp({ runtime, logger: loggerOptions(env.LOG_LEVEL ?? 'info') });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await runtime.close();
    throw listenError(error, {
      host: config.host,
      port: config.port,
      hostSetting: 'HOST',
      portSetting: 'PORT',
    });
  }
  // Managed keys (admin API): read now and followed from here on, so changes made on other
  // instances arrive within admin.refreshIntervalMs.
  if (runtime.authenticator.enabled) void runtime.managedClients.start();
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
