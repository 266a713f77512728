import {
  ConfigError,
  ensureWritableFolder,
  UigError,
  ClientAuthenticator,
  ManagedClients,
  ManagedClientStore,
  ClientLimiter,
  connectSharedLimitState,
  CredentialPool,
  createJobRunner,
  ImageService,
  LocalJobQueue,
  RedisJobQueue,
  createImageStore,
  createDatabase,
  type Database,
  createPooledFetch,
  InflightBytes,
  BudgetGuard,
  UsageStore,
  FileImageStore,
  type FileImageStoreOptions,
  type ImageStore,
  InputImageResolver,
  ModelRegistry,
  PromptOptimizer,
  UrlGuard,
  UsageLedger,
  RequestTally,
  jobRoute,
  type InputImage,
  type RequestRecord,
  type JobQueue,
  type JobRecord,
  type ServiceObserver,
  type SharedLimitState,
  type Sleep,
  type UigConfig,
} from '@uig/core';
import { GatewayMetrics } from './metrics.js';
import { UrlSigner } from './url-signer.js';

/** How long an answer waits for its usage row before the write goes on in the background. */
const usageWriteWaitMs = 2000;

/**
 * Everything a request needs, built once from the configuration: the providers and
 * their credential pools (with per-credential limiters), the registry, the store, the
 * ledger, the client-key limiter, the input image resolver behind the SSRF guard, the
 * metrics and the service. The REST app and the MCP server share it.
 */
export interface RuntimeOptions {
  /** For adapters and vendor result downloads (tests point it nowhere else: fakes are on loopback). */
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  /** Clock of the client-key limiter (tests). */
  now?: () => number;
  observer?: ServiceObserver;
  /** Told when an upstream credential leaves rotation; never given the key. */
  onCredentialDisabled?: (credentialId: string, reason: string) => void;
  /** Told about Redis connection errors (the shared limiter). */
  onRedisError?: (error: Error) => void;
  /** Replaces the SSRF guard for input image URLs (tests inject a resolver). */
  urlGuard?: UrlGuard;
  /** Image store settings (tests stand in a full disk and a clock for the write probe). */
  imageStore?: FileImageStoreOptions;
  /** How often the embedded job queue looks at claims, cancels and other processes' jobs (tests). */
  jobPollMs?: number;
  /** How often managed client keys are re-read from the database (default: admin.refreshIntervalMs). */
  clientRefreshMs?: number;
  /** How often the usage ledger writes its kept lines again while its disk fails (default 5 s; tests). */
  ledgerRetryMs?: number;
}

/** Where the runtime logs what happens outside a request (credentials leaving rotation, Redis trouble). */
interface RuntimeLogger {
  info?(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface Runtime {
  config: UigConfig;
  registry: ModelRegistry;
  service: ImageService;
  store: ImageStore;
  ledger: UsageLedger;
  /** The SQL store of usage, budgets and managed keys: PostgreSQL at UIG_DATABASE_URL, else PGlite in the data folder. */
  database: Database;
  /** Every image request's record in SQL (the source of truth: gallery, usage API). */
  usage: UsageStore;
  /** Client budgets (`clients[].limits.budgetUsdPerDay` / `budgetUsdPerMonth`). */
  budget: BudgetGuard;
  /**
   * Writes one request's record (docs/operations.md, "The usage ledger"): the ledger line,
   * awaited, and the per-client and per-model metrics. Every door calls it once per
   * image request, before it answers. Never rejects.
   */
  recordRequest(record: RequestRecord): Promise<void>;
  pools: Map<string, CredentialPool>;
  signer: UrlSigner;
  /** Client keys (REST and MCP over HTTP share them). */
  authenticator: ClientAuthenticator;
  /** The admin API's keys in the database; `managedClients.authenticate` is how every route checks a key. */
  managedClients: ManagedClients;
  /** Per-client-key rpm, concurrency and images per day. */
  limiter: ClientLimiter;
  /** Input images (data URI, URL behind the SSRF guard, stored id) to checked bytes. */
  inputImages: InputImageResolver;
  metrics: GatewayMetrics;
  /** Async requests and MCP tasks (in process with records in the data folder, or BullMQ on Redis). */
  jobs: JobQueue;
  /** The Redis connection of shared limits, when UIG_REDIS_URL is set. */
  shared: SharedLimitState | undefined;
  /** server.maxInflightImageBytes: each REST request takes a lease and gives it back once answered. */
  inflightBytes: InflightBytes;
  /** Routes the runtime's own log lines to a logger (buildApp attaches the app's pino logger). */
  attachLogger(logger: RuntimeLogger): void;
  /**
   * Startup housekeeping running in the background: the image store's sweep of the
   * temporary files a killed process left behind (resolves to how many were removed), or
   * the S3 bucket check (rejects, naming the setting, when the bucket cannot be used).
   */
  startup: Promise<number>;
  close(): Promise<void>;
}

function combineObservers(
  first: Required<ServiceObserver>,
  second: ServiceObserver | undefined,
): ServiceObserver {
  if (!second) return first;
  return {
    upstreamCall: (...args) => {
      first.upstreamCall(...args);
      second.upstreamCall?.(...args);
    },
    retry: (...args) => {
      first.retry(...args);
      second.retry?.(...args);
    },
    imagesStored: (...args) => {
      first.imagesStored(...args);
      second.imagesStored?.(...args);
    },
    fallback: (...args) => {
      first.fallback(...args);
      second.fallback?.(...args);
    },
    storageFailed: (...args) => {
      first.storageFailed(...args);
      second.storageFailed?.(...args);
    },
  };
}

export function createRuntime(config: UigConfig, options: RuntimeOptions = {}): Runtime {
  // One keep-alive pool for every vendor call, the openai SDK's included (upstream/pooled-fetch.ts).
  const pooled = options.fetch ? undefined : createPooledFetch();
  const fetch = options.fetch ?? pooled!.fetch;
  const inflightBytes = new InflightBytes(config.maxInflightImageBytes);
  const metrics = new GatewayMetrics();
  let logger: RuntimeLogger | undefined;
  let lastRedisWarning = 0;
  const onRedisError = (error: Error) => {
    options.onRedisError?.(error);
    // ioredis reports every failed reconnect; one line per 30 s is enough.
    if (Date.now() - lastRedisWarning < 30_000) return;
    lastRedisWarning = Date.now();
    logger?.warn({ error: error.message }, 'shared limiter: Redis error');
  };
  const shared = config.redisUrl ? connectSharedLimitState(config.redisUrl, onRedisError) : undefined;
  // The request whose call found out is passed along explicitly (CredentialPool.run's
  // requestId), so the line carries its request_id without an AsyncLocalStorage.
  const onCredentialDisabled = (credentialId: string, reason: string, requestId?: string) => {
    metrics.credentialDisabled(credentialId, reason);
    logger?.warn(
      {
        ...(requestId !== undefined ? { request_id: requestId } : {}),
        provider: credentialId.split('#')[0],
        credential: credentialId,
        reason: reason.toLowerCase(),
      },
      'upstream credential taken out of rotation',
    );
    options.onCredentialDisabled?.(credentialId, reason);
  };
  const pools = new Map<string, CredentialPool>();
  const entries = config.providers.map((providerConfig) => {
    const provider = providerConfig.plugin.create({
      id: providerConfig.id,
      baseURL: providerConfig.baseURL,
      fetch,
      options: providerConfig.options,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    pools.set(
      providerConfig.id,
      new CredentialPool({
        provider: providerConfig.id,
        credentials: providerConfig.credentials.map(({ id, apiKey, baseURL, limits }) => ({
          id,
          apiKey,
          ...(baseURL ? { baseURL } : {}),
          ...(limits ? { limits } : {}),
        })),
        ...(providerConfig.limits ? { limits: providerConfig.limits } : {}),
        onDisabled: onCredentialDisabled,
        ...(shared ? { connection: shared.credentialLimiters } : {}),
      }),
    );
    return { provider, type: providerConfig.type };
  });
  const registry = new ModelRegistry(entries, {
    ...(config.defaultModel ? { defaultModel: config.defaultModel } : {}),
    aliases: config.aliases,
  });
  // Fail at startup, not on the first request, when the default model is wrong.
  try {
    registry.resolve(undefined);
  } catch (error) {
    if (!(error instanceof UigError)) throw error;
    throw new ConfigError(`UIG_DEFAULT_MODEL (models.default in UIG_CONFIG): ${error.message}`);
  }
  // Likewise for a data folder this user cannot write to.
  ensureWritableFolder(config.dataDir, 'UIG_DATA_DIR');
  const store = createImageStore(config.storage, config.dataDir, options.imageStore);
  // The filesystem sweeps what a killed process left; S3 checks the bucket, and a bucket that
  // cannot be used rejects this (the servers await it before listening and stop, naming the setting).
  const startup = store.start().then(
    (removed) => {
      if (removed > 0)
        logger?.warn(
          { removed, folder: store.location },
          'removed temporary image files left behind by an earlier process that stopped mid-write',
        );
      return removed;
    },
    (error: unknown) => {
      if (store.kind === 's3') throw error;
      return 0;
    },
  );
  // Awaited by the servers; marked handled so a runtime nobody awaits (tests) never crashes the process.
  startup.catch(() => undefined);
  // storage.retentionDays on the filesystem: an hourly sweep (S3 uses a bucket lifecycle rule).
  const retentionDays = config.storage.retentionDays;
  const sweepExpired = async () => {
    if (!(store instanceof FileImageStore) || !retentionDays) return;
    const removed = await store.removeOlderThan(retentionDays).catch(() => 0);
    if (removed > 0) logger?.info?.({ removed, retention_days: retentionDays }, 'removed expired images');
  };
  const retentionTimer =
    store instanceof FileImageStore && retentionDays
      ? setInterval(() => void sweepExpired(), 60 * 60 * 1000).unref()
      : undefined;
  if (retentionTimer) void startup.then(sweepExpired, () => undefined);
  const ledger = new UsageLedger(config.dataDir, {
    ...(options.ledgerRetryMs ? { retryMs: options.ledgerRetryMs } : {}),
    onFailure: (health, error) =>
      logger?.error(
        { code: 'LEDGER_UNAVAILABLE', os_code: health.osCode, path: health.path, err: error },
        'usage ledger unavailable: records are kept in memory and written when the disk takes them again',
      ),
    onRecovered: (written) => logger?.info?.({ written, path: ledger.path }, 'usage ledger writable again'),
  });
  const recordRequest = async (record: RequestRecord) => {
    metrics.imageRequest({
      client: record.client,
      provider: record.provider,
      model: record.model,
      images: record.images,
      costUsd: record.estimatedCostUsd,
      ...(record.errorCode !== undefined ? { errorCode: record.errorCode } : {}),
    });
    // Both written before the answer (docs/operations.md): the JSONL line, and the SQL row a
    // client may read back from /v1/usage at once. A database that does not answer within
    // usageWriteWaitMs no longer holds the answer; its write goes on in the background.
    let waited: NodeJS.Timeout | undefined;
    await Promise.all([
      ledger.record(record),
      Promise.race([
        usage.record(record),
        new Promise<void>((resolve) => {
          waited = setTimeout(resolve, usageWriteWaitMs);
        }),
      ]).finally(() => clearTimeout(waited)),
    ]);
  };
  // Connects (or, with PGlite, becomes the data folder's owner) on first use.
  const database = createDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    onOwnerChange: (owner, reason) =>
      logger?.info?.(
        { database: 'pglite', ...(reason ? { reason } : {}) },
        owner
          ? 'usage database: this process serves the data folder database to the others'
          : 'usage database: this process no longer serves the data folder database',
      ),
  });
  const usage = new UsageStore(database, (error, requestId) =>
    logger?.error(
      { request_id: requestId, code: (error as { code?: string }).code, error: error.message },
      'usage store: the request record could not be written to the database (usage.jsonl has it)',
    ),
  );
  const budget = new BudgetGuard(database, {
    ...(options.now ? { now: options.now } : {}),
    onError: (error) =>
      logger?.warn(
        { error: error.message },
        'budget: a settlement could not be written; the reservation expires',
      ),
  });
  const signer = new UrlSigner(config.signingSecret, config.publicUrl, config.signedUrlTtlSeconds);
  const providerTimeoutMs = Object.fromEntries(
    config.providers.flatMap((p) => (p.timeoutMs ? [[p.id, p.timeoutMs]] : [])),
  );
  const publicUrlFor = config.publicUrlConfigured
    ? async (image: InputImage) => signer.sign((image.id ? image : await store.put(image.data)).id!)
    : undefined;
  // Prompt rewriting uses each vendor's chat endpoint with that provider's own keys
  // (docs/prompt-optimization.md); the key is picked from the pool without its image limiter.
  const prompts = new PromptOptimizer({
    providers: config.providers.flatMap((providerConfig) => {
      const spec = providerConfig.plugin.promptChat?.(providerConfig.options);
      const pool = pools.get(providerConfig.id);
      return spec && pool
        ? [{ id: providerConfig.id, spec, baseURL: providerConfig.baseURL, credential: () => pool.acquire() }]
        : [];
    }),
    fetch,
    ...(config.promptOptimization.model ? { model: config.promptOptimization.model } : {}),
    ...(config.promptOptimization.defaultMode ? { defaultMode: config.promptOptimization.defaultMode } : {}),
    timeoutMs: config.promptOptimization.timeoutMs,
  });
  const service = new ImageService({
    registry,
    pools,
    store,
    fetch,
    retry: config.retry,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    fallbacks: config.fallbacks,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    providerTimeoutMs,
    downloadMaxBytes: config.downloadMaxBytes,
    downloadTimeoutMs: config.downloadTimeoutMs,
    ...(publicUrlFor ? { publicUrlFor } : {}),
    observer: combineObservers(
      {
        ...metrics.observer,
        storageFailed: (error, requestId) => {
          metrics.observer.storageFailed(error, requestId);
          logger?.error(
            { request_id: requestId, code: error.code, os_code: error.osCode, path: error.path },
            'image store unavailable: image delivered in the answer but not stored',
          );
        },
      },
      options.observer,
    ),
    prompts,
    inflightBytes,
    budget,
  });
  const limiter = new ClientLimiter({
    ...(options.now ? { now: options.now } : {}),
    ...(shared ? { redis: shared.redis } : {}),
    // After a restart (or an idle key's eviction) the day's count comes back from the ledger.
    usedToday: (client) => ledger.imagesToday(client),
  });
  const guard = options.urlGuard ?? new UrlGuard({ allowPrivate: config.allowPrivateInputUrls });
  const inputImages = new InputImageResolver({
    store,
    fetch: guard.fetch,
    checkUrl: guard.checkUrl,
    maxBytes: config.maxInputImageBytes,
    maxPixels: config.maxInputPixels,
    downloadTimeoutMs: config.downloadTimeoutMs,
  });
  const authenticator = new ClientAuthenticator(config.clients, {
    ...(config.admin.keyHash ? { adminKeyHash: config.admin.keyHash } : {}),
  });
  let lastRefreshWarning = 0;
  const managedClients = new ManagedClients({
    store: new ManagedClientStore(database),
    authenticator,
    refreshIntervalMs: options.clientRefreshMs ?? config.admin.refreshIntervalMs,
    // The keys last read stay in force; one line per minute while the database is away.
    onError: (error) => {
      if (Date.now() - lastRefreshWarning < 60_000) return;
      lastRefreshWarning = Date.now();
      logger?.warn({ error: error.message }, 'managed client keys: cannot read changes from the database');
    },
  });
  // Jobs this process's runner recorded; the queue's end-of-job hook records the others.
  const recordedJobs = new Set<string>();
  const jobs: JobQueue = config.redisUrl
    ? new RedisJobQueue({
        url: config.redisUrl,
        concurrency: config.jobs.concurrency,
        ttlMs: config.jobs.ttlHours * 3_600_000,
        stalledIntervalMs: config.jobs.stalledIntervalMs,
        lockDurationMs: config.jobs.lockDurationMs,
        onFinished: (job) => {
          if (!recordedJobs.delete(job.id)) recordJobEnd(recordRequest, job);
        },
        onError: onRedisError,
      })
    : new LocalJobQueue({
        dataDir: config.dataDir,
        concurrency: config.jobs.concurrency,
        ttlMs: config.jobs.ttlHours * 3_600_000,
        leaseMs: config.jobs.lockDurationMs,
        ...(options.jobPollMs ? { pollMs: options.jobPollMs } : {}),
        onFinished: (job) => {
          if (!recordedJobs.delete(job.id)) recordJobEnd(recordRequest, job);
        },
      });
  jobs
    .start(
      createJobRunner({
        service,
        store,
        limiter,
        // Managed keys included: a job may be resumed by an instance that never saw its request.
        clientNamed: (name) => managedClients.clientNamed(name),
        retryInterrupted: config.jobs.retryInterrupted,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        recordRequest: (record) => {
          recordedJobs.add(record.requestId);
          return recordRequest(record);
        },
      }),
    )
    .catch((error: Error) => logger?.warn({ error: error.message }, 'jobs: the queue did not start'));
  const close = async () => {
    if (retentionTimer) clearInterval(retentionTimer);
    await startup.catch(() => undefined);
    await jobs.close();
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    await limiter.close();
    if (shared) {
      // Bottleneck unsubscribes closed limiters without waiting; let that finish first.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await shared.close();
    }
    await ledger.close();
    await managedClients.close();
    await usage.flush();
    await database.close();
    await store.close();
    await pooled?.close();
  };
  return {
    config,
    registry,
    service,
    store,
    ledger,
    database,
    usage,
    budget,
    recordRequest,
    pools,
    signer,
    authenticator,
    managedClients,
    limiter,
    inputImages,
    metrics,
    jobs,
    shared,
    inflightBytes,
    attachLogger: (attached) => {
      logger = attached;
    },
    startup,
    close,
  };
}

/**
 * The record of a job that ended without its work running here (cancelled while queued,
 * or found cancelled when a worker took it over): the runner records every job it ran.
 */
function recordJobEnd(recordRequest: (record: RequestRecord) => Promise<void>, job: JobRecord): void {
  const finishedAt = job.finishedAt ?? Date.now();
  const tally = new RequestTally({
    requestId: job.id,
    client: job.client,
    route: jobRoute(job),
    started: job.createdAt,
  });
  tally.askedFor({
    kind: job.request.kind,
    model: job.request.model,
    n: job.request.n,
    prompt: job.request.prompt,
  });
  void recordRequest(
    tally.finish({ status: job.error?.status ?? 200, errorCode: job.error?.code.toLowerCase() }, finishedAt),
  );
}
