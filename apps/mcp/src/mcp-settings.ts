import { ConfigError, type Env, type UigConfig } from '@uig/core';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, parse, resolve } from 'node:path';
import { parseGoogleModelType, parseSeedProvider } from './seed-defaults.js';

/**
 * What the MCP server adds to the gateway's configuration (docs/configuration.md, docs/mcp.md): where
 * images are saved, which folders input files may come from, and which Host and
 * Origin headers the HTTP transport accepts. Everything else (providers, keys,
 * limits, the store) is the gateway's configuration, shared unchanged.
 */
export type TransportKind = 'stdio' | 'http';

export interface McpSettings {
  transport: TransportKind;
  /** Absolute folder every saved image goes to: OUTPUT_IMAGE_PATH, else `<UIG_DATA_DIR>/output`. */
  outputRoot: string;
  /**
   * Absolute folders a file given as input may be read from (symlinks resolved before the
   * check): UIG_MCP_INPUT_ROOTS, else on stdio the output folder, the user's home and the
   * working directory unless it is a filesystem root (desktop clients start servers in `/`).
   */
  inputRoots: string[];
  /** Host header values accepted over HTTP (hostname or hostname:port); undefined: any. */
  allowedHosts: string[] | undefined;
  /** Origin header values accepted over HTTP; `*` as the port matches any port. A request without Origin passes. */
  allowedOrigins: string[];
  /** Most recent images per client listed by resources/list. */
  recentImages: number;
  /** Longest gap between two progress notifications during a call. */
  progressIntervalMs: number;
}

export interface LoadMcpSettingsOptions {
  env: Env;
  config: UigConfig;
  transport: TransportKind;
  /** The HTTP listen host, to derive the default Host allowlist. */
  host?: string;
  cwd?: string;
  /** The user's home folder; default HOME (USERPROFILE on Windows), else the account's. */
  home?: string;
}

const loopbackHostnames = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function list(value: string | undefined, separator: string | RegExp): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(separator)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function loadMcpSettings({
  env,
  config,
  transport,
  host = '127.0.0.1',
  cwd = process.cwd(),
  home = env.HOME || env.USERPROFILE || homedir(),
}: LoadMcpSettingsOptions): McpSettings {
  const outputSetting = env.OUTPUT_IMAGE_PATH?.trim();
  const outputRoot = outputSetting ? resolve(cwd, outputSetting) : resolve(config.dataDir, 'output');
  const configuredRoots = list(env.UIG_MCP_INPUT_ROOTS, delimiter);
  // Over HTTP the caller is another machine's agent: by default it may only hand back
  // files this server wrote, not whatever sits in the server's working directory.
  const cwdIsRoot = parse(resolve(cwd)).root === resolve(cwd);
  const defaultRoots = transport === 'http' ? [outputRoot] : [outputRoot, home, ...(cwdIsRoot ? [] : [cwd])];
  const inputRoots = [
    ...new Set(
      (configuredRoots ?? defaultRoots).map((root) => {
        if (!isAbsolute(root) && configuredRoots) return resolve(cwd, root);
        return resolve(root);
      }),
    ),
  ];
  const hosts = list(env.UIG_MCP_ALLOWED_HOSTS, ',');
  const origins = list(env.UIG_MCP_ALLOWED_ORIGINS, ',');
  for (const origin of origins ?? []) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ConfigError(
        `UIG_MCP_ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com or http://localhost:*.`,
      );
  }
  // The seed's variables are checked at startup, as the seed did (it exited on a bad IMAGE_PROVIDER).
  parseSeedProvider(env.IMAGE_PROVIDER);
  parseGoogleModelType(env.GOOGLE_MODEL);
  const recentImages = positive(env, 'UIG_MCP_RECENT_IMAGES', 50);
  const progressIntervalMs = positive(env, 'UIG_MCP_PROGRESS_INTERVAL_MS', 4000);
  if (progressIntervalMs > 5000)
    throw new ConfigError(
      'UIG_MCP_PROGRESS_INTERVAL_MS must be at most 5000: clients time out without progress.',
    );
  return {
    transport,
    outputRoot,
    inputRoots,
    // A loopback server is what DNS rebinding attacks reach through a browser: only
    // loopback names are accepted there. A server bound elsewhere has client keys
    // (startup refuses otherwise) and is reached by names we cannot guess.
    allowedHosts: hosts ?? (isLoopbackHost(host) ? loopbackHostnames : undefined),
    allowedOrigins: origins ?? loopbackHostnames.flatMap((name) => [`http://${name}:*`, `https://${name}:*`]),
    recentImages,
    progressIntervalMs,
  };
}

function positive(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new ConfigError(`${name} must be a positive whole number, got "${value}".`);
  return number;
}
