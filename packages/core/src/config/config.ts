import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  resolveStorage,
  type StorageConfig,
  StorageConfigError,
  storageFileSchema,
} from './storage-config.js';
import type { ProviderPlugin } from '../providers/provider.js';
import { defaultRetryPolicy, type RetryPolicy } from '../upstream/retry.js';
import { promptOptimizationModes, type PromptOptimizationMode } from '../prompts/prompt-optimizer.js';
import { defaultDataDir } from './default-data-dir.js';

/**
 * Configuration: env variables (docs/configuration.md) plus one optional file (UIG_CONFIG, YAML
 * or JSON) for what env cannot say. A bad file stops startup with a ConfigError
 * naming the field.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A key: literal, `env:NAME`, or (client keys only) `sha256:<hex>` of the key. */
const keyReference = z.string().min(1);

export const limitsSchema = z
  .object({
    rpm: z.number().int().positive().optional(),
    concurrency: z.number().int().positive().optional(),
    imagesPerDay: z.number().int().positive().optional(),
  })
  .strict();

const credentialEntrySchema = z.union([
  keyReference,
  z
    .object({
      key: keyReference,
      baseURL: z.url().optional(),
      /** A region name the plugin maps to its base URL (WanX: beijing, singapore, virginia). */
      region: z.string().optional(),
      limits: limitsSchema.optional(),
    })
    .strict(),
]);

const providerFileSchema = z
  .object({
    /** The plugin this provider uses; defaults to the entry's name (`openai`, `cogview`, ...). */
    type: z.string().optional(),
    enabled: z.boolean().optional(),
    apiKey: credentialEntrySchema.optional(),
    apiKeys: z.array(credentialEntrySchema).min(1).optional(),
    baseURL: z.url().optional(),
    limits: limitsSchema.omit({ imagesPerDay: true }).optional(),
    timeoutMs: z.number().int().positive().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** Spending limits in USD per UTC day and month (docs/accounting.md#budgets); the rest as any key's limits. */
const clientLimitsSchema = limitsSchema
  .extend({
    budgetUsdPerDay: z.number().positive().optional(),
    budgetUsdPerMonth: z.number().positive().optional(),
  })
  .strict();

const clientFileSchema = z
  .object({
    name: z.string().min(1),
    key: keyReference,
    limits: clientLimitsSchema.optional(),
    /** Globs over `provider/model`, e.g. `cogview/*`. Absent: every model. */
    models: z.array(z.string().min(1)).optional(),
    /** This key's default prompt_optimization (docs/prompt-optimization.md). */
    promptOptimization: z.enum(promptOptimizationModes).optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    server: z
      .object({
        host: z.string().optional(),
        port: z.number().int().min(0).max(65535).optional(),
        publicUrl: z.url().optional(),
        /** Host names (a container name, ...) under which clients reach this server: image URLs may use them. */
        publicHosts: z.array(z.string().min(1).max(253)).max(100).optional(),
        dataDir: z.string().optional(),
        bodyLimitBytes: z.number().int().positive().optional(),
        requestTimeoutMs: z.number().int().positive().optional(),
        /** Image bytes all requests may hold at once; more waits (upstream/inflight-bytes.ts). */
        maxInflightImageBytes: z
          .number()
          .int()
          .min(1024 * 1024, 'at least 1048576 (1 MiB); a large image alone is about 1.5 MB')
          .optional(),
        headersTimeoutMs: z.number().int().positive().optional(),
        signedUrlTtlSeconds: z.number().int().positive().optional(),
        signingSecret: z.string().min(16).optional(),
        shutdownGraceMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    providers: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'provider names are lower-case letters, digits and dashes'),
        providerFileSchema,
      )
      .optional(),
    clients: z.array(clientFileSchema).optional(),
    promptOptimization: z
      .object({
        /** Used when neither the request nor the client key says (UIG_PROMPT_OPTIMIZATION overrides). */
        default: z.enum(promptOptimizationModes).optional(),
        /** `provider/model` of the chat model that rewrites; default: the image vendor's own. */
        model: z
          .string()
          .regex(/^[a-z][a-z0-9-]*\/.+$/, 'provider/model, e.g. "gemini/gemini-2.5-flash"')
          .optional(),
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    models: z
      .object({
        default: z.string().optional(),
        aliases: z.record(z.string(), z.string()).optional(),
        fallbacks: z.record(z.string(), z.array(z.string())).optional(),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        maxInputImageBytes: z.number().int().positive().optional(),
        maxInputPixels: z.number().int().positive().optional(),
        downloadMaxBytes: z.number().int().positive().optional(),
        downloadTimeoutMs: z.number().int().positive().optional(),
        upstreamTimeoutMs: z.number().int().positive().optional(),
        /** Let input image URLs reach loopback and private addresses (default false: SSRF guard). */
        allowPrivateInputUrls: z.boolean().optional(),
      })
      .strict()
      .optional(),
    jobs: z
      .object({
        /** Jobs one instance runs at once. */
        concurrency: z.number().int().positive().optional(),
        /** How long finished job records are kept. */
        ttlHours: z.number().positive().optional(),
        /** Run a job again when a crash interrupted a vendor call that cannot be resumed (may pay twice). */
        retryInterrupted: z.boolean().optional(),
        /** Redis: how often workers look for jobs whose worker died (BullMQ stalledInterval). */
        stalledIntervalMs: z.number().int().positive().optional(),
        /** How long a worker's hold on a job lasts without renewal (BullMQ lockDuration; embedded claims). */
        lockDurationMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    mcp: z
      .object({
        /** A tool call still running after this returns "still working" with a job id (docs/mcp.md). */
        foregroundTimeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    storage: storageFileSchema.optional(),
    admin: z
      .object({
        /** The admin API's key (UIG_ADMIN_KEY wins): literal, `env:NAME` or `sha256:<hex>`. */
        key: keyReference.optional(),
        /** How often every instance picks up managed keys created, changed or revoked elsewhere. */
        refreshIntervalMs: z.number().int().min(100).max(10_000).optional(),
      })
      .strict()
      .optional(),
    retry: z
      .object({
        retries: z.number().int().min(0).max(10).optional(),
        minDelayMs: z.number().int().min(0).optional(),
        maxDelayMs: z.number().int().min(0).optional(),
        maxRetryAfterMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

export interface Limits {
  rpm?: number;
  concurrency?: number;
  imagesPerDay?: number;
  /** Client keys only (docs/accounting.md#budgets). */
  budgetUsdPerDay?: number;
  budgetUsdPerMonth?: number;
}

export interface CredentialConfig {
  /** Label for logs and metrics: `<provider>#<n>`, never the key. */
  id: string;
  apiKey: string;
  baseURL?: string;
  limits?: Limits;
}

export interface ProviderConfig {
  id: string;
  type: string;
  plugin: ProviderPlugin;
  credentials: CredentialConfig[];
  baseURL: string;
  limits?: Limits;
  timeoutMs?: number;
  options: Record<string, unknown>;
}

/** Where a client key comes from: `UIG_API_KEYS`, the config file, or the admin API (the database). */
export type ClientSource = 'env' | 'config' | 'managed';

export interface ClientConfig {
  /** The client's id: limits, the ledger, jobs and the gallery are kept per name. */
  name: string;
  source?: ClientSource;
  /** SHA-256 of the key, hex: keys are compared by hash in constant time, never kept in clear. */
  keyHash: string;
  limits?: Limits;
  models?: string[];
  promptOptimization?: PromptOptimizationMode;
}

/** docs/prompt-optimization.md. */
export interface PromptOptimizationConfig {
  /** UIG_PROMPT_OPTIMIZATION, else the file's default; absent: off (the seed tools: enhance). */
  defaultMode?: PromptOptimizationMode;
  /** `provider/model`; absent: the image vendor's own chat model, else any configured one. */
  model?: string;
  timeoutMs: number;
}

export interface UigConfig {
  host: string;
  port: number;
  dataDir: string;
  publicUrl: string;
  /** True when UIG_PUBLIC_URL (or server.publicUrl) was set: vendors can fetch from it. */
  publicUrlConfigured: boolean;
  /** Extra Host names image URLs may use when no public URL is configured (server.publicHosts). */
  publicHosts: string[];
  defaultModel?: string;
  redisUrl?: string;
  /** UIG_DATABASE_URL: PostgreSQL for usage, budgets and managed keys; absent: PGlite in the data folder. */
  databaseUrl?: string;
  clients: ClientConfig[];
  /** docs/accounting.md#admin-api. */
  admin: AdminConfig;
  providers: ProviderConfig[];
  aliases: Record<string, string>;
  fallbacks: Record<string, string[]>;
  promptOptimization: PromptOptimizationConfig;
  bodyLimitBytes: number;
  /** A request whose body has not fully arrived this long after it started gets a 408. */
  requestTimeoutMs: number;
  /** The same for the request line and headers alone (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** Vendor answer bytes (base64 images) all requests hold at once; more requests wait. */
  maxInflightImageBytes: number;
  signedUrlTtlSeconds: number;
  signingSecret: string;
  /** Where images are stored (docs/configuration.md#image-storage). */
  storage: StorageConfig;
  shutdownGraceMs: number;
  maxInputImageBytes: number;
  maxInputPixels: number;
  downloadMaxBytes: number;
  downloadTimeoutMs: number;
  upstreamTimeoutMs: number;
  /** Input image URLs may point at loopback and private addresses (off by default). */
  allowPrivateInputUrls: boolean;
  retry: RetryPolicy;
  jobs: JobsConfig;
  mcp: { foregroundTimeoutMs: number };
}

export interface AdminConfig {
  /** SHA-256 (hex) of UIG_ADMIN_KEY; absent: the admin API is off. */
  keyHash?: string;
  /** How often managed keys are re-read from the database (at most 10 s). */
  refreshIntervalMs: number;
}

/** Managed keys changed on one instance reach the others within this (docs/accounting.md#admin-api). */
export const defaultClientRefreshMs = 2000;

export interface JobsConfig {
  concurrency: number;
  ttlHours: number;
  retryInterrupted: boolean;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

export type Env = Record<string, string | undefined>;

/**
 * server.maxInflightImageBytes by default: 64 MiB of vendor answers, about 40 large
 * (1024², 1.5 MB of base64) images being read, stored and answered at once — more than
 * one event loop keeps busy — and about 110 MiB of heap (docs/configuration.md).
 */
const defaultMaxInflightImageBytes = 64 * 1024 * 1024;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

function resolveKey(reference: string, env: Env, field: string): string {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4);
    const value = env[name];
    if (!value)
      throw new ConfigError(
        `${field}: environment variable ${name} is not set (the file says "env:${name}").`,
      );
    return value;
  }
  return reference;
}

function clientKeyHash(reference: string, env: Env, field: string): string {
  if (reference.startsWith('sha256:')) {
    const hex = reference.slice(7).toLowerCase();
    if (!/^[a-f0-9]{64}$/.test(hex))
      throw new ConfigError(`${field}: sha256: must be followed by 64 hex digits.`);
    return hex;
  }
  return sha256Hex(resolveKey(reference, env, field));
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`UIG_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `UIG_CONFIG: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(top level)';
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    throw new ConfigError(`UIG_CONFIG ${path}: ${field}: ${issue.message}${keys}`);
  }
  return parsed.data;
}

/** A postgres:// or postgresql:// URL; anything else stops startup naming the variable. */
function databaseUrl(value: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {}
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new ConfigError(
      'UIG_DATABASE_URL: expected a PostgreSQL URL such as postgres://user:password@host:5432/uig; unset it to use the embedded database in the data folder.',
    );
  return value;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new ConfigError(`${name} must be a whole number, got "${value}".`);
  return number;
}

export interface LoadConfigOptions {
  env?: Env;
  plugins: ProviderPlugin[];
  /** Resolve relative paths (data dir, config file) against this. Default: cwd. */
  cwd?: string;
  /** Picks the default data folder (tests). Default: process.platform. */
  platform?: NodeJS.Platform;
}

function storage(file: ConfigFile, env: Env): StorageConfig {
  try {
    return resolveStorage(file.storage, env, (reference, field) => resolveKey(reference, env, field));
  } catch (error) {
    if (error instanceof StorageConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

export function loadConfig({
  env = process.env,
  plugins,
  cwd = process.cwd(),
  platform = process.platform,
}: LoadConfigOptions): UigConfig {
  const file: ConfigFile = env.UIG_CONFIG ? readConfigFile(resolve(cwd, env.UIG_CONFIG)) : {};
  const server = file.server ?? {};
  const host = env.HOST || server.host || '127.0.0.1';
  const port = positiveInteger(env, 'PORT', server.port ?? 8080);
  const dataDirSetting = env.UIG_DATA_DIR || server.dataDir;
  const dataDir = !dataDirSetting
    ? defaultDataDir({ platform, env })
    : isAbsolute(dataDirSetting)
      ? dataDirSetting
      : resolve(cwd, dataDirSetting);
  const publicUrlSetting = env.UIG_PUBLIC_URL || server.publicUrl;
  if (publicUrlSetting && !/^https?:\/\//.test(publicUrlSetting))
    throw new ConfigError(`UIG_PUBLIC_URL must start with http:// or https://, got "${publicUrlSetting}".`);
  const displayHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const publicUrl = (publicUrlSetting ?? `http://${displayHost}:${port}`).replace(/\/+$/, '');

  const pluginByType = new Map(plugins.map((plugin) => [plugin.type, plugin]));
  const providers: ProviderConfig[] = [];
  const fileProviders = file.providers ?? {};

  const addProvider = (
    id: string,
    entry: z.infer<typeof providerFileSchema>,
    envKey?: string,
    envBaseURL?: string,
  ) => {
    const field = `providers.${id}`;
    const type = entry.type ?? id;
    const plugin = pluginByType.get(type);
    if (!plugin)
      throw new ConfigError(
        `${field}.type: unknown provider type "${type}"; known: ${[...pluginByType.keys()].join(', ')}.`,
      );
    const entries = [...(entry.apiKeys ?? []), ...(entry.apiKey ? [entry.apiKey] : [])];
    if (envKey && entries.length === 0) entries.push(envKey);
    if (entry.enabled === false) return;
    if (entries.length === 0 && !plugin.keyless) {
      if (entry.enabled === true) throw new ConfigError(`${field}: enabled, but no apiKey or apiKeys given.`);
      return;
    }
    let options: Record<string, unknown> = entry.options ?? {};
    if (plugin.settingsSchema) {
      const parsed = plugin.settingsSchema.safeParse(options);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ConfigError(`${field}.options.${issue.path.map(String).join('.')}: ${issue.message}`);
      }
      options = parsed.data;
    }
    const credentials = entries.map((credential, index): CredentialConfig => {
      const credentialField = `${field}.apiKeys.${index}`;
      const spec = typeof credential === 'string' ? { key: credential } : credential;
      let baseURL = spec.baseURL;
      if (!baseURL && 'region' in spec && spec.region) {
        baseURL = plugin.regionBaseURL?.(spec.region);
        if (!baseURL)
          throw new ConfigError(`${credentialField}.region: "${spec.region}" is not a region of ${type}.`);
      }
      return {
        id: `${id}#${index + 1}`,
        apiKey: resolveKey(spec.key, env, credentialField),
        ...(baseURL ? { baseURL } : {}),
        ...('limits' in spec && spec.limits ? { limits: spec.limits } : {}),
      };
    });
    providers.push({
      id,
      type,
      plugin,
      credentials: plugin.keyless && credentials.length === 0 ? [{ id: `${id}#1`, apiKey: '' }] : credentials,
      baseURL: (envBaseURL || entry.baseURL || plugin.defaultBaseURL).replace(/\/+$/, ''),
      ...(entry.limits ? { limits: entry.limits } : {}),
      ...(entry.timeoutMs ? { timeoutMs: entry.timeoutMs } : {}),
      options,
    });
  };

  for (const [id, entry] of Object.entries(fileProviders)) {
    const plugin = pluginByType.get(entry.type ?? id);
    const fromEnv = plugin?.env && (entry.type ?? id) === id ? plugin.env : undefined;
    if (plugin?.keyless) continue;
    addProvider(
      id,
      entry,
      fromEnv ? env[fromEnv.apiKey] : undefined,
      fromEnv ? env[fromEnv.baseURL] : undefined,
    );
  }
  for (const plugin of plugins) {
    if (plugin.keyless || !plugin.env || fileProviders[plugin.type]) continue;
    const key = env[plugin.env.apiKey];
    if (key) addProvider(plugin.type, {}, key, env[plugin.env.baseURL]);
  }
  // The offline provider is always there unless switched off: it keeps the gateway
  // useful with no keys and no network, and gives tests a provider with no vendor.
  for (const plugin of plugins.filter((candidate) => candidate.keyless)) {
    addProvider(plugin.type, fileProviders[plugin.type] ?? {});
  }

  const clients: ClientConfig[] = [];
  const envKeys = (env.UIG_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  envKeys.forEach((key, index) => {
    clients.push({
      name: `env-key-${index + 1}`,
      source: 'env',
      keyHash: clientKeyHash(key, env, `UIG_API_KEYS[${index}]`),
    });
  });
  (file.clients ?? []).forEach((client, index) => {
    clients.push({
      name: client.name,
      source: 'config',
      keyHash: clientKeyHash(client.key, env, `clients.${index}.key`),
      ...(client.limits ? { limits: client.limits } : {}),
      ...(client.models ? { models: client.models } : {}),
      ...(client.promptOptimization ? { promptOptimization: client.promptOptimization } : {}),
    });
  });
  const names = new Set<string>();
  const hashes = new Map<string, string>();
  for (const client of clients) {
    if (names.has(client.name)) throw new ConfigError(`clients: the name "${client.name}" is used twice.`);
    names.add(client.name);
    const other = hashes.get(client.keyHash);
    if (other)
      throw new ConfigError(
        `clients: "${client.name}" and "${other}" have the same key; give each client its own.`,
      );
    hashes.set(client.keyHash, client.name);
  }

  const admin = adminConfig(env, file, clients);

  const defaultModel = env.UIG_DEFAULT_MODEL || file.models?.default;
  const promptOptimization = promptOptimizationConfig(env, file, providers);
  const limits = file.limits ?? {};
  const retry = { ...defaultRetryPolicy, ...file.retry };
  return {
    host,
    port,
    dataDir,
    publicUrl,
    publicUrlConfigured: Boolean(publicUrlSetting),
    publicHosts: (server.publicHosts ?? []).map((name) => name.toLowerCase()),
    ...(defaultModel ? { defaultModel } : {}),
    ...(env.UIG_REDIS_URL ? { redisUrl: env.UIG_REDIS_URL } : {}),
    ...(env.UIG_DATABASE_URL ? { databaseUrl: databaseUrl(env.UIG_DATABASE_URL) } : {}),
    clients,
    admin,
    providers,
    aliases: file.models?.aliases ?? {},
    fallbacks: file.models?.fallbacks ?? {},
    promptOptimization,
    bodyLimitBytes: server.bodyLimitBytes ?? 50 * 1024 * 1024,
    requestTimeoutMs: server.requestTimeoutMs ?? 60_000,
    maxInflightImageBytes: server.maxInflightImageBytes ?? defaultMaxInflightImageBytes,
    headersTimeoutMs: Math.min(
      server.headersTimeoutMs ?? server.requestTimeoutMs ?? 60_000,
      server.requestTimeoutMs ?? 60_000,
    ),
    signedUrlTtlSeconds: positiveInteger(
      env,
      'UIG_SIGNED_URL_TTL_SECONDS',
      server.signedUrlTtlSeconds ?? 24 * 3600,
    ),
    // Without a configured secret, signed URLs last only as long as this process.
    signingSecret: env.UIG_SIGNING_SECRET || server.signingSecret || randomBytes(32).toString('hex'),
    storage: storage(file, env),
    shutdownGraceMs: server.shutdownGraceMs ?? 30_000,
    maxInputImageBytes: limits.maxInputImageBytes ?? 20 * 1024 * 1024,
    maxInputPixels: limits.maxInputPixels ?? 40_000_000,
    downloadMaxBytes: limits.downloadMaxBytes ?? 50 * 1024 * 1024,
    downloadTimeoutMs: limits.downloadTimeoutMs ?? 60_000,
    upstreamTimeoutMs: limits.upstreamTimeoutMs ?? 300_000,
    allowPrivateInputUrls: limits.allowPrivateInputUrls ?? false,
    retry,
    jobs: {
      concurrency: positiveInteger(env, 'UIG_JOBS_CONCURRENCY', file.jobs?.concurrency ?? 8) || 1,
      ttlHours: file.jobs?.ttlHours ?? 24,
      retryInterrupted: file.jobs?.retryInterrupted ?? false,
      stalledIntervalMs: file.jobs?.stalledIntervalMs ?? 30_000,
      lockDurationMs: file.jobs?.lockDurationMs ?? 30_000,
    },
    mcp: {
      foregroundTimeoutMs:
        positiveInteger(env, 'UIG_MCP_FOREGROUND_TIMEOUT_MS', file.mcp?.foregroundTimeoutMs ?? 40_000) ||
        40_000,
    },
  };
}

/** The admin key: at least 16 characters (a sha256: hash cannot be checked), and no client's key. */
function adminConfig(env: Env, file: ConfigFile, clients: ClientConfig[]): AdminConfig {
  const refreshIntervalMs = file.admin?.refreshIntervalMs ?? defaultClientRefreshMs;
  const fromEnv = env.UIG_ADMIN_KEY?.trim();
  const reference = fromEnv || file.admin?.key;
  if (!reference) return { refreshIntervalMs };
  const field = fromEnv ? 'UIG_ADMIN_KEY' : 'admin.key';
  if (!reference.startsWith('sha256:') && resolveKey(reference, env, field).length < 16)
    throw new ConfigError(
      `${field}: the admin key must be at least 16 characters (try: openssl rand -hex 32).`,
    );
  const keyHash = clientKeyHash(reference, env, field);
  const client = clients.find((candidate) => candidate.keyHash === keyHash);
  if (client)
    throw new ConfigError(
      `${field}: the admin key is also the key of client "${client.name}"; give it its own.`,
    );
  return { keyHash, refreshIntervalMs };
}

function promptOptimizationConfig(
  env: Env,
  file: ConfigFile,
  providers: ProviderConfig[],
): PromptOptimizationConfig {
  const section = file.promptOptimization ?? {};
  const fromEnv = env.UIG_PROMPT_OPTIMIZATION?.trim().toLowerCase();
  if (fromEnv && !(promptOptimizationModes as readonly string[]).includes(fromEnv))
    throw new ConfigError(
      `UIG_PROMPT_OPTIMIZATION must be off, translate or enhance, got "${env.UIG_PROMPT_OPTIMIZATION}".`,
    );
  const defaultMode = (fromEnv || section.default) as PromptOptimizationMode | undefined;
  if (section.model) {
    const id = section.model.slice(0, section.model.indexOf('/'));
    const provider = providers.find((candidate) => candidate.id === id);
    if (!provider)
      throw new ConfigError(
        `promptOptimization.model: no provider "${id}" is configured; configured: ${providers.map((p) => p.id).join(', ')}.`,
      );
    if (!provider.plugin.promptChat?.(provider.options))
      throw new ConfigError(
        `promptOptimization.model: ${id} has no chat endpoint uig can use; use a cogview, wanx, gemini or openai provider.`,
      );
  }
  return {
    ...(defaultMode ? { defaultMode } : {}),
    ...(section.model ? { model: section.model } : {}),
    timeoutMs: section.timeoutMs ?? 10_000,
  };
}
