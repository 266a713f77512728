import { estimateCost } from '../accounting/estimate-cost.js';
import { attemptSignal } from '../upstream/attempt-signal.js';
import { bindLease, type BodyLease, type InflightBytes } from '../upstream/inflight-bytes.js';
import { planCall, type CallPlan } from '../requests/capability-check.js';
import type { CredentialPool } from '../upstream/credential-pool.js';
import { download } from './download.js';
import {
  InvalidRequestError,
  InvalidUpstreamResponseError,
  isUigError,
  PermissionDeniedError,
  RequestAbortedError,
  StorageUnavailableError,
  UnsupportedCapabilityError,
  toUigError,
  type UigError,
} from '../errors.js';
import type { ImageRequest } from '../requests/image-request.js';
import { describeImage } from '../storage/describe-image.js';
import type { ImageStore, StoredImage } from '../storage/image-store.js';
import { imageDefect } from './image-defect.js';
import { modelAllowed } from '../providers/model-glob.js';
import { lifecycleWarnings } from '../providers/model-lifecycle.js';
import type { ModelRegistry, ResolvedModel } from '../providers/model-registry.js';
import type {
  InputImage,
  ProgressEvent,
  ProviderCall,
  ProviderImage,
  ProviderResult,
  ProviderUsage,
  Warning,
} from '../providers/provider.js';
import { realSleep, withRetry, type RetryPolicy, type Sleep } from '../upstream/retry.js';
import type { BudgetGuard, BudgetLimits, BudgetReservation } from '../accounting/budget-guard.js';
import type { RequestTally } from '../accounting/request-tally.js';
import type { VendorTaskJournal } from './vendor-task-journal.js';
import {
  PromptOptimizer,
  type PromptOptimization,
  type PromptOptimizationMode,
} from '../prompts/prompt-optimizer.js';

/**
 * Core behaviour on every request (docs/architecture.md): resolve the model → check the
 * client may use it → check capabilities → call the adapter with retries on
 * retryable errors only → fall back to other models if configured → download
 * temporary URLs → store. What it did goes into the request's tally (the door writes
 * the ledger record with the outcome). A request never succeeds with zero images.
 */
export interface ClientIdentity {
  name: string;
  /** Globs over `provider/model`; absent means every model. */
  models?: string[];
  /** This key's default `prompt_optimization` (docs/prompt-optimization.md). */
  promptOptimization?: PromptOptimizationMode;
  /** This key's budgets (docs/accounting.md#budgets). */
  limits?: BudgetLimits;
}

export interface RequestContext {
  requestId: string;
  client?: ClientIdentity;
  signal: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * The answer carries the image bytes (`b64_json`, MCP image blocks), so images the
   * vendor delivered (and the client paid for) are still returned when the store
   * cannot write, each with a `not_stored` warning. Without it a storage failure is a
   * 503 `storage_unavailable`: a URL answer cannot point at an image that was not kept.
   */
  deliversBytes?: boolean;
  /** Jobs: records vendor calls and task ids, and resumes an earlier run's tasks. */
  vendorTasks?: VendorTaskJournal;
  /**
   * This request's share of `server.maxInflightImageBytes`, released by the caller once
   * the answer is written (the REST routes). Without one, `run` takes a lease of its own
   * and releases it when it returns.
   */
  bodyLease?: BodyLease;
  /**
   * Collects the request's ledger record (models tried, vendor calls, cost, images):
   * the door that started the request writes it, with the outcome, before answering.
   */
  tally?: RequestTally;
}

export interface GeneratedImage extends StoredImage {
  /** False when the store could not keep it (a `not_stored` warning says so): no URL works for it. */
  stored: boolean;
  /** A URL serving the image without the gateway (S3 presigned), when the store hands those out. */
  directUrl?: string;
  /** The bytes, kept for `b64_json` answers and MCP image blocks. */
  data: Buffer;
  /** The vendor's own base64, when it sent base64: reused instead of encoding again. */
  base64?: string;
  revisedPrompt?: string;
}

export interface ImageResult {
  requestId: string;
  created: number;
  model: string;
  provider: string;
  images: GeneratedImage[];
  warnings: Warning[];
  /** Includes the prompt rewrite's cost, when it has a known price. */
  usage: {
    images: number;
    estimatedCostUsd: number;
    inputTokens?: number;
    outputTokens?: number;
    /** The vendor's own split of the tokens, summed over the calls (OpenAI `input_tokens_details`). */
    inputTokensDetails?: TokenDetails;
    outputTokensDetails?: TokenDetails;
  };
  /** What prompt optimisation did; absent when it was off. */
  promptOptimization?: PromptOptimization;
  vendorRequestIds: string[];
  /** Vendor metadata per call (CogView content_filter, ...). */
  metadata: Record<string, unknown>[];
}

/** Hooks for metrics; every one optional. */
export interface ServiceObserver {
  upstreamCall?(provider: string, model: string, latencyMs: number, outcome: string): void;
  retry?(provider: string, model: string, code: string): void;
  imagesStored?(count: number): void;
  fallback?(from: string, to: string, code: string): void;
  /** The store could not keep an image that was still delivered (`deliversBytes`). */
  storageFailed?(error: StorageUnavailableError, requestId: string): void;
}

export interface ImageServiceOptions {
  registry: ModelRegistry;
  pools: Map<string, CredentialPool>;
  store: ImageStore;
  /** For downloading vendor result URLs. */
  fetch?: typeof globalThis.fetch;
  retry: RetryPolicy;
  sleep?: Sleep;
  fallbacks?: Record<string, string[]>;
  /** Per-attempt upstream timeout, overridable per provider. */
  upstreamTimeoutMs: number;
  /** Per-attempt timeout for long-running (async task) models. Default 15 min. */
  longRunningTimeoutMs?: number;
  providerTimeoutMs?: Record<string, number>;
  downloadMaxBytes: number;
  downloadTimeoutMs: number;
  publicUrlFor?: (image: InputImage) => Promise<string>;
  observer?: ServiceObserver;
  now?: () => number;
  /** Prompt translation and enhancement; default: one with no chat model (rewrites then warn). */
  prompts?: PromptOptimizer;
  /** The limit on image bytes held at once (server.maxInflightImageBytes); default none. */
  inflightBytes?: InflightBytes;
  /** Client budgets, reserved before the vendor calls and settled after (docs/accounting.md#budgets). */
  budget?: BudgetGuard;
}

/** Errors that say the request itself is wrong: another model will not help. */
const finalCodes = new Set([
  'CONTENT_POLICY_VIOLATION',
  'REQUEST_ABORTED',
  // The vendor already delivered; another model would be paid for and fail the same way.
  'STORAGE_UNAVAILABLE',
  'MODEL_NOT_ALLOWED',
  'INVALID_API_KEY',
  // The client's budget (or the database holding it) refuses any model alike.
  'BUDGET_EXCEEDED',
  'DATABASE_UNAVAILABLE',
]);

function isFinal(error: UigError): boolean {
  return finalCodes.has(error.code) || (error.status === 400 && error.type === 'invalid_request_error');
}

export class ImageService {
  private readonly options: ImageServiceOptions;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly prompts: PromptOptimizer;

  constructor(options: ImageServiceOptions) {
    this.options = options;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.prompts = options.prompts ?? new PromptOptimizer({ providers: [], fetch: globalThis.fetch });
  }

  get registry(): ModelRegistry {
    return this.options.registry;
  }

  /** Resolves the model and checks the client may use it (403 otherwise). */
  resolveFor(name: string | undefined, client: ClientIdentity | undefined, param = 'model'): ResolvedModel {
    const resolved = this.options.registry.resolve(name, param);
    if (client && !modelAllowed(client.models, resolved.name)) {
      throw new PermissionDeniedError(
        `This key may not use ${resolved.name}; it may use ${client.models!.join(', ')}.`,
        { param },
      );
    }
    return resolved;
  }

  /**
   * The model a variation goes to (OpenAI `/images/variations`): the one named, which must
   * declare `variation`; with none named, the default when it can, else the first model
   * this key may use that can (OpenAI's own default is the one model it has that can).
   * Otherwise a 400 naming `model` and the models that can.
   */
  resolveVariation(name: string | undefined, client: ClientIdentity | undefined): ResolvedModel {
    const capable = this.options.registry
      .list()
      .filter(
        (candidate) =>
          candidate.model.capabilities.variation === true &&
          candidate.model.lifecycle?.status !== 'retired' &&
          (!client || modelAllowed(client.models, candidate.name)),
      );
    if (name === undefined) {
      const fallback = this.options.registry.resolve(undefined);
      if (fallback.model.capabilities.variation && capable.some((model) => model.name === fallback.name))
        return fallback;
      if (capable[0]) return capable[0];
    }
    const resolved = this.resolveFor(name, client);
    if (resolved.model.capabilities.variation) return resolved;
    const names = capable.map((model) => model.name);
    throw new UnsupportedCapabilityError(
      names.length > 0
        ? `${resolved.name} cannot make variations; models that can: ${names.join(', ')}.`
        : `${resolved.name} cannot make variations, and no model this key may use can (GET /v1/models lists each model's capabilities).`,
      { param: 'model', code: 'VARIATION_NOT_SUPPORTED' },
    );
  }

  async run(request: ImageRequest, context: RequestContext): Promise<ImageResult> {
    const own = context.bodyLease ? undefined : this.options.inflightBytes?.lease();
    const lease = context.bodyLease ?? own;
    if (lease) bindLease(context.signal, lease);
    try {
      return await this.runChain(request, context, lease);
    } finally {
      own?.release();
    }
  }

  private async runChain(
    request: ImageRequest,
    context: RequestContext,
    lease: BodyLease | undefined,
  ): Promise<ImageResult> {
    const primary =
      request.kind === 'variation'
        ? this.resolveVariation(request.model, context.client)
        : this.resolveFor(request.model, context.client);
    context.tally?.resolved(primary.name);
    this.checkProviderOptionKeys(request);
    const configured = this.options.fallbacks;
    const chain =
      request.fallbackModels ??
      (configured && Object.hasOwn(configured, primary.name) ? configured[primary.name] : undefined) ??
      [];
    const warnings: Warning[] = [];
    let lastError: UigError | undefined;
    for (let index = 0; index <= chain.length; index++) {
      let candidate: ResolvedModel;
      try {
        candidate =
          index === 0 ? primary : this.resolveFor(chain[index - 1], context.client, 'fallback_models');
      } catch (error) {
        // A fallback the key may not use, or that is not configured, is skipped, not fatal.
        warnings.push({
          type: 'other',
          feature: 'fallback_models',
          message: `Fallback ${chain[index - 1]} skipped: ${(error as Error).message}`,
        });
        continue;
      }
      // The model's hold on the client's budget, taken just before its vendor calls.
      const hold: { reservation?: BudgetReservation } = {};
      try {
        // Checks run for the primary before any call; a fallback with other
        // capabilities may refuse what the primary took, and is then skipped.
        const result = await this.attempt(candidate, request, context, lease, hold);
        await hold.reservation?.settle(result.usage.estimatedCostUsd);
        result.warnings.unshift(...warnings);
        return result;
      } catch (caught) {
        await hold.reservation?.settle(0);
        const error = toUigError(caught, candidate.provider.id);
        if (context.signal.aborted)
          throw new RequestAbortedError(undefined, { provider: candidate.provider.id });
        if (index === 0 && isFinal(error)) throw error;
        if (
          index > 0 &&
          (error.code === 'CONTENT_POLICY_VIOLATION' ||
            error.code === 'REQUEST_ABORTED' ||
            error.code === 'STORAGE_UNAVAILABLE')
        )
          throw error;
        lastError = index === 0 || !isFinal(error) ? error : (lastError ?? error);
        const next = chain[index];
        if (next !== undefined) {
          this.options.observer?.fallback?.(candidate.name, next, error.code);
          warnings.push({
            type: 'other',
            feature: 'model',
            message: `${candidate.name} failed (${error.code}); fell back to ${next}.`,
          });
        }
      }
    }
    throw lastError!;
  }

  /** provider_options may only name configured providers: a typo must not be ignored. */
  private checkProviderOptionKeys(request: ImageRequest): void {
    const known = new Set(this.options.registry.providers.map((entry) => entry.provider.id));
    for (const id of Object.keys(request.providerOptions)) {
      if (!known.has(id)) {
        throw new InvalidRequestError(
          `provider_options.${id}: no provider "${id}" is configured; configured: ${[...known].join(', ')}.`,
          { param: `provider_options.${id}`, code: 'UNKNOWN_PROVIDER_OPTIONS' },
        );
      }
    }
  }

  private providerOptions(
    resolved: ResolvedModel,
    request: ImageRequest,
    warnings: Warning[],
  ): Record<string, unknown> {
    const id = resolved.provider.id;
    let options: Record<string, unknown> = Object.hasOwn(request.providerOptions, id)
      ? { ...request.providerOptions[id] }
      : {};
    // OpenAI-type vendors take the end user's id (`user`); it does not change the image.
    if (request.user !== undefined && resolved.providerType === 'openai' && options.user === undefined)
      options.user = request.user;
    if (request.safetyIdentifier !== undefined)
      options = withSafetyIdentifier(options, request.safetyIdentifier, resolved, warnings);
    if (request.openaiOptions) {
      if (resolved.providerType === 'openai') options = { ...request.openaiOptions, ...options };
      else {
        for (const field of Object.keys(request.openaiOptions)) {
          warnings.push({
            type: 'unsupported',
            feature: field,
            message: `${field} is an OpenAI setting that ${resolved.name} does not have; it was not applied.`,
          });
        }
      }
    }
    const parsed = resolved.provider.optionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = [`provider_options`, id, ...issue.path.map(String)].join('.');
      const keys =
        issue.code === 'unrecognized_keys'
          ? `: unknown option(s) ${issue.keys.join(', ')}`
          : `: ${issue.message}`;
      throw new InvalidRequestError(`${path}${keys}. See GET /v1/models for ${id}'s options.`, {
        param: issue.code === 'unrecognized_keys' ? `${path}.${issue.keys[0]}` : path,
        // An unknown nested field is an unknown field, as at the top level (docs/api.md).
        code: issue.code === 'unrecognized_keys' ? 'UNKNOWN_PARAMETER' : 'INVALID_PROVIDER_OPTION',
        provider: id,
      });
    }
    return parsed.data;
  }

  private async attempt(
    resolved: ResolvedModel,
    request: ImageRequest,
    context: RequestContext,
    lease: BodyLease | undefined,
    hold: { reservation?: BudgetReservation } = {},
  ): Promise<ImageResult> {
    const { provider, model } = resolved;
    const tally = context.tally;
    tally?.attempt(provider.id, model.id);
    // Before anything else: a retired model is refused here, with no vendor call.
    const warnings: Warning[] = lifecycleWarnings(resolved, this.now());
    const providerOptions = this.providerOptions(resolved, request, warnings);
    const plan: CallPlan = planCall(request, model, resolved.name);
    warnings.push(...plan.warnings);
    if (this.options.budget && context.client) {
      // Before any vendor call (the prompt rewrite's included): the request's estimate at the
      // list price is reserved, and settled with the actual cost after the calls.
      const estimate = estimateCost(model, {
        images: plan.batches.reduce((total, n) => total + n, 0),
        ...(plan.size ? { size: `${plan.size.width}x${plan.size.height}` } : {}),
        ...(plan.quality ? { quality: plan.quality } : {}),
      });
      hold.reservation = await this.options.budget.reserve(
        context.client.name,
        context.client.limits,
        estimate.usd ?? 0,
      );
    }
    // After the checks (a wrong request costs no rewrite), before the adapter's own check
    // (it judges the prompt it will send). Per attempt: a fallback may want another language.
    // A variation has no prompt to rewrite.
    const optimized = await this.prompts.optimize({
      mode:
        request.kind === 'variation'
          ? 'off'
          : this.prompts.modeFor(
              request.promptOptimization,
              context.client?.promptOptimization,
              request.defaultPromptOptimization,
            ),
      prompt: request.prompt,
      kind: request.kind === 'variation' ? 'edit' : request.kind,
      target: resolved,
      signal: context.signal,
    });
    if (optimized.warning) warnings.push(optimized.warning);
    const rewrite = optimized.usage;
    if (rewrite) tally?.rewritten(rewrite);
    tally?.sent(optimized.prompt);
    const base = {
      model: model.id,
      prompt: optimized.prompt,
      images: request.images,
      providerOptions,
      ...(plan.size ? { size: plan.size } : {}),
      ...(plan.aspectRatio ? { aspectRatio: plan.aspectRatio } : {}),
      ...(plan.sizeTier ? { sizeTier: plan.sizeTier } : {}),
      ...(plan.quality !== undefined ? { quality: plan.quality } : {}),
      ...(request.mask ? { mask: request.mask } : {}),
    };
    if (provider.check) {
      // The adapter sees what was asked (seed, negative prompt) before core drops
      // what the model ignores, so it can refuse what its vendor would reject.
      warnings.push(
        ...provider.check(
          {
            ...base,
            n: plan.batches[0]!,
            ...(request.seed !== undefined ? { seed: request.seed } : {}),
            ...(request.negativePrompt !== undefined ? { negativePrompt: request.negativePrompt } : {}),
          },
          request.kind,
        ),
      );
    }
    const pool = this.options.pools.get(provider.id);
    if (!pool)
      throw new InvalidUpstreamResponseError(`No credentials for ${provider.id}.`, { provider: provider.id });
    // Async-task models (WanX, glm-image) poll to their own deadline and cancel the
    // task when it passes; core's per-attempt timeout must not cut in first.
    const timeoutMs =
      this.options.providerTimeoutMs?.[provider.id] ??
      (model.capabilities.longRunning
        ? (this.options.longRunningTimeoutMs ?? 900_000)
        : this.options.upstreamTimeoutMs);
    const invoke =
      request.kind === 'edit'
        ? provider.edit?.bind(provider)
        : request.kind === 'variation'
          ? provider.variation?.bind(provider)
          : provider.generate.bind(provider);
    if (!invoke)
      throw request.kind === 'variation'
        ? new UnsupportedCapabilityError(`${resolved.name} cannot make variations.`, {
            param: 'model',
            code: 'VARIATION_NOT_SUPPORTED',
          })
        : new InvalidRequestError(`${resolved.name} cannot edit images.`, {
            param: 'image',
            code: 'EDIT_NOT_SUPPORTED',
          });

    // Image i of the request uses seed + i, as WanX does within one task (docs/providers/wanx.md §4.3), so
    // split batches neither repeat each other nor depend on how n was split.
    const offsets = plan.batches.map((_, index) => plan.batches.slice(0, index).reduce((a, b) => a + b, 0));
    // Inline images (bytes, base64) decoded and checked inside the retried call.
    const decoded = new WeakMap<ProviderImage, Buffer>();
    const journal = context.vendorTasks;
    const runBatch = (n: number, index: number) => {
      const key = `${provider.id}/${model.id}#${index}`;
      // Only the first attempt resumes: a retry after the resumed task failed starts a new one.
      let resume = journal?.resumable(key);
      return withRetry(
        () =>
          pool.run(
            async (credential) => {
              const resumeTaskId = resume?.credentialId === credential.id ? resume.taskId : undefined;
              resume = undefined;
              await journal?.starting(key, credential.id, resumeTaskId);
              const { signal, dispose } = attemptSignal(context.signal, timeoutMs);
              if (lease) bindLease(signal, lease);
              const call: ProviderCall = {
                ...base,
                n,
                imageOffset: offsets[index]!,
                ...(plan.seed !== undefined ? { seed: (plan.seed + offsets[index]!) % 2_147_483_648 } : {}),
                ...(plan.negativePrompt !== undefined ? { negativePrompt: plan.negativePrompt } : {}),
                credential,
                signal,
                requestId: context.requestId,
                ...(context.onProgress ? { onProgress: context.onProgress } : {}),
                ...(this.options.publicUrlFor ? { publicUrlFor: this.options.publicUrlFor } : {}),
                ...(journal ? { onTaskId: (taskId: string) => journal.taskCreated(key, taskId) } : {}),
                ...(resumeTaskId ? { resumeTaskId } : {}),
              };
              const callStarted = this.now();
              tally?.vendorCall();
              try {
                const result = await invoke(call);
                this.checkInline(result, provider.id, decoded);
                this.options.observer?.upstreamCall?.(provider.id, model.id, this.now() - callStarted, 'ok');
                return result;
              } catch (caught) {
                const error = toUigError(caught, provider.id);
                this.options.observer?.upstreamCall?.(
                  provider.id,
                  model.id,
                  this.now() - callStarted,
                  error.code,
                );
                throw error;
              } finally {
                dispose();
              }
            },
            context.requestId,
            resume?.credentialId,
          ),
        {
          ...this.options.retry,
          sleep: this.sleep,
          signal: context.signal,
          onRetry: (error) => this.options.observer?.retry?.(provider.id, model.id, error.code),
        },
      );
    };

    const settled = await Promise.allSettled(plan.batches.map((n, index) => runBatch(n, index)));
    const results = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failures = settled.flatMap((outcome) =>
      outcome.status === 'rejected' ? [toUigError(outcome.reason, provider.id)] : [],
    );
    if (results.length === 0) throw failures[0]!;
    if (failures.length > 0) {
      warnings.push({
        type: 'partial_failure',
        feature: 'n',
        message: `${failures.length} of ${plan.batches.length} upstream calls failed (${failures.map((f) => f.code).join(', ')}); returning the images that succeeded.`,
      });
    }

    const inputTokens = sum(results.map((result) => result.usage?.inputTokens));
    const outputTokens = sum(results.map((result) => result.usage?.outputTokens));
    const pricedSize = plan.size ? `${plan.size.width}x${plan.size.height}` : undefined;
    const inputPixels = request.images.map((image) => image.width * image.height);
    const estimatedCostUsd = roundCost(
      (rewrite?.estimatedCostUsd ?? 0) +
        results.reduce(
          (total, result) =>
            total +
            (estimateCost(model, {
              images: result.images.length,
              ...(pricedSize ? { size: pricedSize } : {}),
              ...(plan.sizeTier ? { sizeTier: plan.sizeTier } : {}),
              ...(inputPixels.length > 0 ? { inputPixels } : {}),
              ...(plan.quality ? { quality: plan.quality } : {}),
              ...(result.usage ? { usage: result.usage } : {}),
            }).usd ?? 0),
          0,
        ),
    );
    // Paid for once the vendor answered, whatever happens to the images next.
    tally?.paid(roundCost(estimatedCostUsd - (rewrite?.estimatedCostUsd ?? 0)), {
      inputTokens,
      outputTokens,
    });
    for (const result of results) if (result.vendorRequestId) tally?.vendorRequestId(result.vendorRequestId);
    const images = await this.materialize(results, provider.id, context, warnings, decoded);
    if (images.length === 0)
      throw new InvalidUpstreamResponseError(`${resolved.name} returned no image.`, {
        provider: provider.id,
      });
    this.options.observer?.imagesStored?.(images.length);
    for (const result of results) warnings.push(...result.warnings);

    const inputTokensDetails = sumDetails(results.map((result) => result.usage?.inputTokensDetails));
    const outputTokensDetails = sumDetails(results.map((result) => result.usage?.outputTokensDetails));
    const usage = {
      images: images.length,
      estimatedCostUsd,
      ...(inputTokens !== undefined ? { inputTokens } : {}),
      ...(outputTokens !== undefined ? { outputTokens } : {}),
      ...(inputTokensDetails ? { inputTokensDetails } : {}),
      ...(outputTokensDetails ? { outputTokensDetails } : {}),
    };
    tally?.delivered(images.map((image) => image.id));
    return {
      requestId: context.requestId,
      created: Math.floor(this.now() / 1000),
      model: resolved.name,
      provider: provider.id,
      images,
      warnings,
      usage,
      ...(optimized.optimization ? { promptOptimization: optimized.optimization } : {}),
      vendorRequestIds: results.flatMap((result) => (result.vendorRequestId ? [result.vendorRequestId] : [])),
      metadata: results.flatMap((result) => (result.metadata ? [result.metadata] : [])),
    };
  }

  private async materialize(
    results: ProviderResult[],
    provider: string,
    context: RequestContext,
    warnings: Warning[],
    decoded: WeakMap<ProviderImage, Buffer>,
  ): Promise<GeneratedImage[]> {
    const pending = results.flatMap((result) =>
      result.images.map(async (image) => {
        const { data, base64 } = await this.bytesOf(image, provider, context.signal, decoded);
        const stored = await this.keep(data, provider, context);
        return {
          ...stored,
          data,
          ...(base64 !== undefined ? { base64 } : {}),
          ...(result.revisedPrompt !== undefined ? { revisedPrompt: result.revisedPrompt } : {}),
        } satisfies GeneratedImage;
      }),
    );
    const images = await Promise.all(pending);
    const unstored = images.filter((image) => !image.stored).length;
    if (unstored > 0) {
      warnings.push({
        type: 'not_stored',
        feature: 'storage',
        message: `${unstored} of ${images.length} images could not be stored (the image store is unavailable): they are in this answer only, and their URLs and ids will not work.`,
      });
    }
    return images;
  }

  /** Stores an image; when the store fails and the answer carries the bytes, hands it out unstored. */
  private async keep(
    data: Buffer,
    provider: string,
    context: RequestContext,
  ): Promise<StoredImage & { stored: boolean; directUrl?: string }> {
    try {
      const stored = await this.options.store.put(data, provider);
      const directUrl = await this.options.store.directUrl(stored.id);
      return { ...stored, stored: true, ...(directUrl ? { directUrl } : {}) };
    } catch (error) {
      if (!(error instanceof StorageUnavailableError) || !context.deliversBytes) throw error;
      this.options.observer?.storageFailed?.(error, context.requestId);
      // put() failed after describing the bytes, so they are an image.
      return { ...describeImage(data, provider), stored: false };
    }
  }

  /**
   * Every inline image of a vendor answer is whole (image-defect.ts) before the call
   * counts as a success; a broken one makes the call an invalid upstream response that
   * is retried like any vendor failure.
   */
  private checkInline(
    result: ProviderResult,
    provider: string,
    decoded: WeakMap<ProviderImage, Buffer>,
  ): void {
    for (const image of result.images) {
      if (image.kind === 'url') continue;
      const data =
        image.kind === 'bytes'
          ? Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)
          : Buffer.from(image.data, 'base64');
      brokenVendorImage(data, provider);
      decoded.set(image, data);
    }
  }

  private async bytesOf(
    image: ProviderImage,
    provider: string,
    signal: AbortSignal,
    decoded: WeakMap<ProviderImage, Buffer>,
  ): Promise<{ data: Buffer; base64?: string }> {
    if (image.kind !== 'url') {
      const data = decoded.get(image)!;
      return image.kind === 'base64' ? { data, base64: image.data } : { data };
    }
    try {
      const downloaded = await withRetry(
        async () => {
          const fetched = await download(image.url, {
            fetch: this.options.fetch ?? globalThis.fetch,
            maxBytes: this.options.downloadMaxBytes,
            timeoutMs: this.options.downloadTimeoutMs,
            signal,
            provider,
          });
          // A result URL that served half an image is fetched again, like a failed fetch.
          brokenVendorImage(fetched.data, provider);
          return fetched;
        },
        { ...this.options.retry, sleep: this.sleep, signal },
      );
      return { data: downloaded.data };
    } catch (error) {
      if (isUigError(error)) throw error;
      throw new InvalidUpstreamResponseError(`Could not download the image ${provider} returned.`, {
        provider,
        cause: error,
      });
    }
  }
}

type TokenDetails = NonNullable<ProviderUsage['inputTokensDetails']>;

function sumDetails(values: (TokenDetails | undefined)[]): TokenDetails | undefined {
  const present = values.filter((value): value is TokenDetails => value !== undefined);
  if (present.length === 0) return undefined;
  const textTokens = sum(present.map((value) => value.textTokens));
  const imageTokens = sum(present.map((value) => value.imageTokens));
  return {
    ...(textTokens !== undefined ? { textTokens } : {}),
    ...(imageTokens !== undefined ? { imageTokens } : {}),
  };
}

/**
 * The end user's id for vendors that take one: OpenAI-type `safety_identifier`, CogView
 * `user_id` (6-128 characters, docs/providers/cogview.md). It never changes the image, so a
 * vendor without such a field simply does not get it.
 */
function withSafetyIdentifier(
  options: Record<string, unknown>,
  safetyIdentifier: string,
  resolved: ResolvedModel,
  warnings: Warning[],
): Record<string, unknown> {
  if (resolved.providerType === 'openai' && options.safety_identifier === undefined)
    return { ...options, safety_identifier: safetyIdentifier };
  if (resolved.providerType === 'cogview' && options.user_id === undefined) {
    if (safetyIdentifier.length >= 6 && safetyIdentifier.length <= 128)
      return { ...options, user_id: safetyIdentifier };
    warnings.push({
      type: 'unsupported',
      feature: 'safety_identifier',
      message: `${resolved.name} takes an end-user id of 6 to 128 characters; safety_identifier was not sent.`,
    });
  }
  return options;
}

/** Throws the retryable invalid-upstream-response error for a vendor image that is not whole. */
function brokenVendorImage(data: Buffer, provider: string): void {
  const defect = imageDefect(data);
  if (defect === undefined) return;
  throw new InvalidUpstreamResponseError(`The image ${provider} returned is broken: ${defect}.`, {
    provider,
    retryable: true,
  });
}

function sum(values: (number | undefined)[]): number | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
}

const roundCost = (value: number) => Math.round(value * 1e6) / 1e6;
