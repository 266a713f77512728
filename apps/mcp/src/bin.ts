#!/usr/bin/env node
import { ConfigError, loadConfig } from '@uig/core';
import { createRuntime, providerPlugins } from '@uig/runtime';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { mkdirSync } from 'node:fs';
import { buildServer } from './build-server.js';
import { parseCliOptions, usage } from './cli-options.js';
import { startHttpServer } from './http-server.js';
import { createStderrLogger, type LogLevel } from './logger.js';
import { createMcpDependencies } from './mcp-dependencies.js';
import { loadMcpSettings } from './mcp-settings.js';

/**
 * uig-mcp: the MCP server on the gateway's runtime (same providers, keys, store
 * and ledger). stdio by default; `--http` for Streamable HTTP at /mcp.
 */
async function main(): Promise<void> {
  const env = process.env;
  const logger = createStderrLogger((env.LOG_LEVEL as LogLevel | undefined) ?? 'info');
  let options, config, settings;
  try {
    options = parseCliOptions(process.argv.slice(2), env);
    if (options.help) {
      process.stderr.write(usage);
      return;
    }
    config = loadConfig({ plugins: providerPlugins });
    settings = loadMcpSettings({ env, config, transport: options.transport, host: options.host });
    mkdirSync(settings.outputRoot, { recursive: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`uig-mcp: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options.transport === 'stdio') {
    // stdout is the protocol: anything a dependency prints there would corrupt it.
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }
  const runtime = createRuntime(config);
  runtime.attachLogger({
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
    if (options.transport === 'http') {
      const server = await startHttpServer({
        runtime,
        settings,
        env,
        logger,
        host: options.host,
        port: options.port,
      });
      logger.log('info', 'uig-mcp ready', {
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
      logger.log('info', 'uig-mcp ready', {
        transport: 'stdio',
        providers: config.providers.map((p) => p.id),
        default_model: runtime.registry.defaultName(),
        output: settings.outputRoot,
      });
      if (deps.seed.problem) logger.log('warn', deps.seed.problem);
      stop = () => server.close();
      // The client closing our stdin ends the session.
      process.stdin.on('close', () => void shutdown('stdin closed'));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`uig-mcp: ${error.message}\n`);
      await runtime.close();
      process.exit(2);
    }
    throw error;
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
