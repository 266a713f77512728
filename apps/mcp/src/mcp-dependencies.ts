import type {
  InputImageResolver,
  Env,
  ImageService,
  ImageStore,
  JobQueue,
  ModelRegistry,
  RequestRecord,
  UigConfig,
} from '@uig/core';
import type { UrlSigner } from '@uig/runtime';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ImageReferenceResolver } from './image-reference-resolver.js';
import { InputFileReader } from './input-file-reader.js';
import type { Logger } from './logger.js';
import type { McpSettings } from './mcp-settings.js';
import { OutputFolder } from './output-folder.js';
import { RecentImages } from './recent-images.js';
import { RefusedTasks } from './refused-tasks.js';
import { resolveSeedDefaults } from './seed-defaults.js';
import type { ClientAdmission, McpServerDependencies } from './server-dependencies.js';

/** The part of the gateway runtime the MCP server uses (the same providers, keys, store and ledger). */
export interface McpRuntime {
  config: UigConfig;
  service: ImageService;
  registry: ModelRegistry;
  store: ImageStore;
  signer: UrlSigner;
  /** Core's ClientLimiter: the same per-key limits as REST. */
  limiter: ClientAdmission;
  /** The runtime's input image resolver (data URIs, URLs behind the SSRF guard, stored ids). */
  inputImages: InputImageResolver;
  /** The job queue: image calls run as jobs. */
  jobs: JobQueue;
  /** The usage ledger and metrics: one record per image tool call (the job's, or the refusal's). */
  recordRequest(record: RequestRecord): Promise<void>;
}

export interface CreateMcpDependenciesOptions {
  runtime: McpRuntime;
  settings: McpSettings;
  env: Env;
  logger: Logger;
  /**
   * Signs image URLs. Over HTTP this server serves them itself; on stdio the
   * runtime's signer is used when UIG_PUBLIC_URL says a gateway serves the store,
   * and otherwise URLs are file:// URLs of the saved files.
   */
  signer?: UrlSigner;
  cwd?: string;
}

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

export function createMcpDependencies({
  runtime,
  settings,
  env,
  logger,
  signer,
  cwd = process.cwd(),
}: CreateMcpDependenciesOptions): McpServerDependencies {
  const { config } = runtime;
  // Image URLs a tool caller names are fetched through core's SSRF guard (the
  // runtime's resolver): a model, or whoever steers it, must not reach the server's
  // loopback or private network.
  const resolver = runtime.inputImages;
  const urlSigner = signer ?? (config.publicUrlConfigured ? runtime.signer : undefined);
  return {
    service: runtime.service,
    registry: runtime.registry,
    store: runtime.store,
    references: new ImageReferenceResolver(
      resolver,
      new InputFileReader(settings.inputRoots, config.maxInputImageBytes, cwd),
    ),
    output: new OutputFolder(settings.outputRoot),
    recent: new RecentImages(settings.recentImages),
    settings,
    seed: resolveSeedDefaults(env, runtime.registry),
    urlFor: ({ id, path }) => (urlSigner ? urlSigner.sign(id) : pathToFileURL(path).href),
    logger,
    jobs: runtime.jobs,
    recordRequest: runtime.recordRequest,
    foregroundTimeoutMs: config.mcp.foregroundTimeoutMs,
    jobTtlMs: config.jobs.ttlHours * 3_600_000,
    refusedTasks: new RefusedTasks(config.jobs.ttlHours * 3_600_000),
    version: packageJson.version,
  };
}
