#!/usr/bin/env node
import { createRequire } from 'node:module';
import { exitOnStartupFailure } from '@uig/runtime';
import { parseCliArguments, usage } from './cli-arguments.js';
import { withoutUnresolvedPlaceholders } from './unresolved-placeholders.js';

/**
 * `uig`: the one published command. It composes the two apps, which each sit on the
 * runtime and never on each other; only the one asked for is loaded.
 */
async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCliArguments(argv);
  const env = withoutUnresolvedPlaceholders(process.env);
  switch (parsed.command) {
    case 'help':
      process.stdout.write(usage);
      return;
    case 'version': {
      // dist/cli.js sits one folder below the package.json that carries the version.
      const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
      process.stdout.write(`${version}\n`);
      return;
    }
    case 'serve': {
      const { startGateway } = await import('@uig/gateway');
      await startGateway({ ...env, ...parsed.env });
      return;
    }
    case 'mcp': {
      const { startMcp } = await import('@uig/mcp');
      await startMcp(parsed.argv, env);
      return;
    }
  }
}

await main(process.argv.slice(2)).catch((error: unknown) => exitOnStartupFailure('uig', error));
