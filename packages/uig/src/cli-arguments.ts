import { ConfigError } from '@uig/core';

/** What `uig` was asked to do; the options after the command are the command's own. */
export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'serve'; env: Record<string, string> }
  | { command: 'mcp'; argv: string[] };

export const usage = `Usage: uig <command> [options]

Commands:
  serve [--port N] [--host H]   the REST gateway, OpenAI-compatible (default 127.0.0.1:8080)
  mcp                           the MCP server over stdio (Claude Desktop, Claude Code, Cursor...)
  mcp --http [--port N] [--host H]
                                the MCP server over Streamable HTTP at /mcp (default port 8081)

Options:
  -h, --help                    this text (also: uig mcp --help)
  -v, --version                 the version

Configuration comes from the environment: vendor keys (ZHIPU_API_KEY, OPENAI_API_KEY,
GEMINI_API_KEY, DASHSCOPE_API_KEY, ...), UIG_DATA_DIR, UIG_API_KEYS, UIG_CONFIG, ...
With no key, the offline "local" provider answers. Documentation: see the README.
`;

/** Parses `uig` arguments; a mistake is a ConfigError (one line, exit 2). */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { command: 'help' };
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (first === 'mcp') return { command: 'mcp', argv: rest };
  if (first === 'serve') return { command: 'serve', env: serveOptions(rest) };
  throw new ConfigError(`unknown command "${first}"; the commands are serve and mcp (uig --help).`);
}

/** `serve`'s flags are the HOST and PORT variables, said on the command line. */
function serveOptions(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const equals = argument.indexOf('=');
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const variable = flag === '--port' ? 'PORT' : flag === '--host' ? 'HOST' : undefined;
    if (!variable) throw new ConfigError(`uig serve: unknown option ${argument} (uig --help).`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[++index];
    if (value === undefined || value.startsWith('--'))
      throw new ConfigError(`uig serve: ${flag} needs a value.`);
    env[variable] = value;
  }
  return env;
}
