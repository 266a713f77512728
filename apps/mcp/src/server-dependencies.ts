import type {
  ClientConfig,
  ImageService,
  ImageStore,
  JobQueue,
  ModelRegistry,
  RequestRecord,
} from '@uig/core';
import type { ImageReferenceResolver } from './image-reference-resolver.js';
import type { Logger } from './logger.js';
import type { McpSettings } from './mcp-settings.js';
import type { OutputFolder } from './output-folder.js';
import type { RecentImages } from './recent-images.js';
import type { RefusedTasks } from './refused-tasks.js';
import type { SeedDefaults } from './seed-defaults.js';

/**
 * Per-client admission (core's ClientLimiter: rpm, concurrency, images per day).
 * Typed here by shape, so the server works with a runtime that has none yet.
 */
export interface ClientAdmission {
  admit(
    client: ClientConfig | undefined,
    images: number,
  ): Promise<{ release(delivered?: number): void; limit?: number; remaining?: number }>;
}

/** Everything `buildServer` needs; built once per process, plus `client` per HTTP request. */
export interface McpServerDependencies {
  service: ImageService;
  registry: ModelRegistry;
  store: ImageStore;
  references: ImageReferenceResolver;
  output: OutputFolder;
  recent: RecentImages;
  settings: McpSettings;
  seed: SeedDefaults;
  /** URL handed out for a saved image (signed gateway URL, or file:// on stdio without a gateway). */
  urlFor(image: { id: string; path: string }): string;
  logger: Logger;
  /** Every image call runs as a job (the gateway's queue), so it can outlive the foreground deadline. */
  jobs: JobQueue;
  /** Writes an image call's ledger record (a refusal before its job exists; the job records the rest). */
  recordRequest(record: RequestRecord): Promise<void>;
  /** A call still running after this answers "still being made" with the job id (docs/mcp.md). */
  foregroundTimeoutMs: number;
  /** How long a finished job's record is kept (jobs.ttlHours): the tasks' ttl. */
  jobTtlMs: number;
  /** Task-augmented calls refused before they became a job, process-wide. */
  refusedTasks: RefusedTasks;
  /** Applied per tool call when present (HTTP clients). */
  limiter?: ClientAdmission;
  /** The authenticated client key; undefined on stdio and on an open HTTP server. */
  client?: ClientConfig;
  version: string;
}
