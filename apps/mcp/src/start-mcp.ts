import { ConfigError, ensureWritableFolder, loadConfig, type Env } from '@uig/core';
import { createRuntime, listenError, providerPlugins } from '@uig/runtime';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { buildServer } from './build-server.js';
import { parseCliOptions, usage } from './cli-options.js';
import { startHttpServer } from './http-server.js';
import { createStderrLogger, type LogLevel } from './logger.js';
import { createMcpDependencies } from './mcp-dependencies.js';
import { loadMcpSettings } from './mcp-settings.js';
import { resolveSeedDefaults } from './seed-defaults.js';

/**
 * The MCP server as a command runs it (`uig mcp`, `uig-mcp`), on the gateway's runtime
 * (same providers, keys, store and ledger): stdio by default, `--http` for Streamable
 * HTTP at /mcp. Every problem before it serves is thrown (a ConfigError names the
 * setting), so the command can report it in one line.
 */
export async function startMcp(argv: readonly string[], env: Env = process.env): Promise<void> {
  const logger = createStderrLogger((env.LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const options = parseCliOptions(argv, env);
  if (options.help) {
    process.stdout.write(usage);
    return;
  }
  const config = loadConfig({ env, plugins: providerPlugins });
  const settings = loadMcpSettings({ env, config, transport: options.transport, host: options.host });
  ensureWritableFolder(settings.outputRoot, 'OUTPUT_IMAGE_PATH');
  if (options.transport === 'stdio') {
    // stdout is the protocol: anything a dependency prints there would corrupt it.
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }
  const runtime = createRuntime(config);
  // An S3 bucket that cannot be used stops startup here, naming the setting (a ConfigError).
  if (runtime.store.kind === 's3') await runtime.startup;
  runtime.attachLogger({
    info: (fields, message) => logger.log('info', message, { ...fields }),
    warn: (fields, message) => logger.log('warn', message, { ...fields }),
    error: (fields, message) => logger.log('error', message, { ...fields }),
  });
  let stop: () => Promise<void> = async () => undefined;
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.log('info', 'shutting down', { reason });
    await stop().catch(() => undefined);
    await runtime.close();
    process.exit(0);
  };
  try {
    // IMAGE_PROVIDER forces a vendor: without its key the seed tools could only fail.
    const { problem } = resolveSeedDefaults(env, runtime.registry);
    if (problem) throw new ConfigError(problem);
    if (options.transport === 'http') {
      const server = await startHttpServer({
        runtime,
        settings,
        env,
        logger,
        host: options.host,
        port: options.port,
      }).catch((error: unknown) => {
        throw listenError(error, {
          host: options.host,
          port: options.port,
          hostSetting: '--host (UIG_MCP_HOST)',
          portSetting: '--port (UIG_MCP_PORT)',
        });
      });
      // Managed keys (admin API): read now and followed from here on, so changes made on
      // other instances arrive within admin.refreshIntervalMs.
      if (runtime.authenticator.enabled) void runtime.managedClients.start();
      logger.log('info', 'uig mcp ready', {
        transport: 'http',
        url: `${server.url}/mcp`,
        providers: config.providers.map((p) => p.id),
        default_model: runtime.registry.defaultName(),
        output: settings.outputRoot,
        keys: runtime.authenticator.enabled,
      });
      stop = server.close;
    } else {
      const deps = createMcpDependencies({ runtime, settings, env, logger });
      const server = buildServer(deps);
      await server.connect(new StdioServerTransport());
      logger.log('info', 'uig mcp ready', {
        transport: 'stdio',
        providers: config.providers.map((p) => p.id),
        default_model: runtime.registry.defaultName(),
        data_dir: config.dataDir,
        output: settings.outputRoot,
      });
      stop = () => server.close();
      // The client closing our stdin ends the session.
      process.stdin.on('close', () => void shutdown('stdin closed'));
    }
  } catch (error) {
    await runtime.close();
    throw error;
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
