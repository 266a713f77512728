import { ConfigError, type Env } from '@uig/core';

/** `uig mcp [--http [--port N] [--host H]]`; env UIG_MCP_HOST / UIG_MCP_PORT give the defaults. */
export interface CliOptions {
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  help: boolean;
}

export const usage = `Usage: uig mcp [--http [--port N] [--host H]]

  (no flags)   speak MCP over stdio (for Claude Desktop, Claude Code, Cursor...)
  --http       serve MCP over Streamable HTTP at http://HOST:PORT/mcp
  --port N     HTTP port (default UIG_MCP_PORT or 8081; 0 picks a free one)
  --host H     HTTP host (default UIG_MCP_HOST or 127.0.0.1; other hosts need client keys)

Configuration is the gateway's (UIG_CONFIG, UIG_DATA_DIR, provider keys, UIG_API_KEYS)
plus OUTPUT_IMAGE_PATH, UIG_MCP_INPUT_ROOTS, UIG_MCP_ALLOWED_ORIGINS, UIG_MCP_ALLOWED_HOSTS,
IMAGE_PROVIDER and GOOGLE_MODEL. See docs/mcp.md.
`;

export function parseCliOptions(argv: readonly string[], env: Env): CliOptions {
  const options: CliOptions = {
    transport: 'stdio',
    host: env.UIG_MCP_HOST || '127.0.0.1',
    port: portOf(env.UIG_MCP_PORT || '8081', 'UIG_MCP_PORT'),
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const [flag, inline] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [argument, undefined];
    const value = () => {
      const given = inline ?? argv[++index];
      if (given === undefined || given.startsWith('--'))
        throw new ConfigError(`${flag} needs a value; --help lists the options.`);
      return given;
    };
    if (flag === '--http') options.transport = 'http';
    else if (flag === '--stdio') options.transport = 'stdio';
    else if (flag === '--port') options.port = portOf(value(), '--port');
    else if (flag === '--host') options.host = value();
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new ConfigError(`unknown option ${argument}; --help lists the options.`);
  }
  return options;
}

function portOf(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`${name} must be a port number 0-65535, got "${value}".`);
  return port;
}
