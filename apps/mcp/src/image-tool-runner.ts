import { randomUUID } from 'node:crypto';
import {
  InvalidRequestError,
  RequestTally,
  submitJob,
  toUigError,
  type ImageRequest,
  type JobRecord,
  type PromptOptimizationMode,
  type ResolvedModel,
  type Warning,
} from '@uig/core';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ProgressReporter } from './progress-reporter.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { followJob, type Presentation } from './job-tool-result.js';
import { errorToolResult } from './tool-result.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** One generate or edit call, as every image tool (new and seed) describes it. */
export interface ImageCall {
  /** The tool's name, for the ledger record's route (`mcp:<tool>`). */
  tool?: string;
  kind: 'generate' | 'edit';
  prompt: string;
  model?: string;
  n?: number;
  size?: string;
  aspectRatio?: string;
  quality?: string;
  seed?: number;
  negativePrompt?: string;
  providerOptions?: Record<string, Record<string, unknown>>;
  images?: { reference: string; param: string }[];
  mask?: { reference: string; param: string };
  fullSize?: boolean;
  promptOptimization?: PromptOptimizationMode;
  /** The tool's own default when neither the client key nor the configuration sets one (seed tools: enhance). */
  defaultPromptOptimization?: PromptOptimizationMode;
  /** Settings that depend on the model chosen (the seed's WanX `function`). */
  prepare?: (resolved: ResolvedModel) => {
    providerOptions?: Record<string, Record<string, unknown>>;
    warnings?: Warning[];
  };
  /** First words of the text block, before each saved path (the seed tools' "Image saved to:"). */
  headline?: string;
  warnings?: Warning[];
  /** Prefix of a failure's text ("Error generating image: " for the seed tools). */
  errorPrefix?: string;
}

/** The tool fields generate_image and edit_image share, in ImageCall's names. */
export interface ImageSettingsInput {
  model?: string | undefined;
  n?: number | undefined;
  size?: string | undefined;
  aspect_ratio?: string | undefined;
  quality?: string | undefined;
  seed?: number | undefined;
  negative_prompt?: string | undefined;
  provider_options?: Record<string, Record<string, unknown>> | undefined;
  full_size?: boolean | undefined;
  prompt_optimization?: PromptOptimizationMode | undefined;
}

export function imageSettings(input: ImageSettingsInput): Omit<ImageCall, 'kind' | 'prompt'> {
  return {
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.n !== undefined ? { n: input.n } : {}),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(input.aspect_ratio !== undefined ? { aspectRatio: input.aspect_ratio } : {}),
    ...(input.quality !== undefined ? { quality: input.quality } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(input.negative_prompt !== undefined ? { negativePrompt: input.negative_prompt } : {}),
    ...(input.provider_options !== undefined ? { providerOptions: input.provider_options } : {}),
    ...(input.prompt_optimization !== undefined ? { promptOptimization: input.prompt_optimization } : {}),
    fullSize: input.full_size ?? false,
  };
}

/** A call turned into a job, with how its result is to be shown. */
export interface SubmittedImageCall {
  job: JobRecord;
  presentation: Presentation;
  provider: string;
}

/**
 * Model and key checks, input images, the request, and the job: the key's rpm and
 * images per day are spent now, its concurrency while the job runs. Throws the refusal
 * (a UigError: model not allowed, rate limited, unreadable image...), leaving `provider`
 * in `failure` for the error text.
 */
export async function submitImageCall(
  deps: McpServerDependencies,
  call: ImageCall,
  signal: AbortSignal,
  failure: { provider?: string } = {},
  reporter?: ProgressReporter,
): Promise<SubmittedImageCall> {
  const route = `mcp:${call.tool ?? 'image'}`;
  // The ledger record (docs/operations.md): written here for a call refused before its
  // job exists; once it does, the job writes it when it ends.
  const tally = new RequestTally({
    requestId: `mcp_${randomUUID().replaceAll('-', '')}`,
    client: deps.client?.name ?? 'anonymous',
    route,
    started: Date.now(),
  });
  tally.askedFor({ kind: call.kind, model: call.model, n: call.n ?? 1, prompt: call.prompt });
  try {
    return await submitChecked(deps, call, signal, failure, reporter, route, tally);
  } catch (error) {
    const uigError = toUigError(error);
    await deps.recordRequest(
      tally.finish(
        signal.aborted
          ? { status: 499, errorCode: 'request_aborted' }
          : { status: uigError.status, errorCode: uigError.code.toLowerCase() },
        Date.now(),
      ),
    );
    throw error;
  }
}

async function submitChecked(
  deps: McpServerDependencies,
  call: ImageCall,
  signal: AbortSignal,
  failure: { provider?: string },
  reporter: ProgressReporter | undefined,
  route: string,
  tally: RequestTally,
): Promise<SubmittedImageCall> {
  // Model and key checks first: a refused model costs no download and no file read.
  const resolved = deps.service.resolveFor(call.model, deps.client);
  tally.resolved(resolved.name);
  const provider = resolved.provider.id;
  failure.provider = provider;
  const prepared = call.prepare?.(resolved) ?? {};
  const n = call.n ?? 1;
  reporter?.start(
    `${call.kind === 'edit' ? 'Editing' : 'Generating'} ${n} image${n === 1 ? '' : 's'} with ${resolved.name}`,
  );
  const images = await Promise.all(
    (call.images ?? []).map(({ reference, param }) => deps.references.resolve(reference, param, signal)),
  );
  const mask = call.mask
    ? await deps.references.resolve(call.mask.reference, call.mask.param, signal)
    : undefined;
  if (call.kind === 'edit' && images.length === 0)
    throw new InvalidRequestError('image is required: give the image to edit.', {
      param: 'image',
      code: 'MISSING_PARAMETER',
    });
  const request: ImageRequest = {
    kind: call.kind,
    prompt: call.prompt,
    n,
    images,
    providerOptions: mergeOptions(call.providerOptions, prepared.providerOptions),
    ...(mask ? { mask } : {}),
    ...(call.model ? { model: call.model } : {}),
    ...(call.size ? { size: call.size } : {}),
    ...(call.aspectRatio ? { aspectRatio: call.aspectRatio } : {}),
    ...(call.quality ? { quality: call.quality } : {}),
    ...(call.seed !== undefined ? { seed: call.seed } : {}),
    ...(call.negativePrompt !== undefined ? { negativePrompt: call.negativePrompt } : {}),
    ...(call.promptOptimization ? { promptOptimization: call.promptOptimization } : {}),
    ...(call.defaultPromptOptimization ? { defaultPromptOptimization: call.defaultPromptOptimization } : {}),
  };
  const presentation: Presentation = {
    fullSize: call.fullSize ?? false,
    ...(call.headline ? { headline: call.headline } : {}),
    warnings: [...(call.warnings ?? []), ...(prepared.warnings ?? [])],
    ...(call.errorPrefix ? { errorPrefix: call.errorPrefix } : {}),
  };
  const job = await submitJob({
    queue: deps.jobs,
    limiter: deps.limiter ?? unlimited,
    store: deps.store,
    client: deps.client,
    request,
    // `route` names the tool in the job's ledger record.
    origin: { door: 'mcp', presentation, route },
  });
  return { job, presentation, provider };
}

/**
 * Runs one image call in the foreground: the job, followed for at most the foreground
 * deadline with progress (docs/mcp.md, "Long generations"), then the result. The
 * request's AbortSignal cancels the job, so a cancelled call stops the vendor call.
 * Never throws: every failure is an isError result.
 */
export async function runImageCall(
  deps: McpServerDependencies,
  call: ImageCall,
  extra: ToolExtra,
): Promise<CallToolResult> {
  let requestId = `mcp_${randomUUID().replaceAll('-', '')}`;
  const client = deps.client;
  const token = extra._meta?.progressToken;
  const reporter =
    token !== undefined
      ? new ProgressReporter(
          token,
          (notification) => extra.sendNotification(notification),
          deps.settings.progressIntervalMs,
        )
      : undefined;
  const failure: { provider?: string } = {};
  const started = Date.now();
  try {
    const { job, presentation } = await submitImageCall(deps, call, extra.signal, failure, reporter);
    requestId = job.id;
    const answer = await followJob(deps, job.id, {
      waitMs: deps.foregroundTimeoutMs,
      signal: extra.signal,
      reporter,
      cancelOnAbort: true,
      presentation,
    });
    deps.logger.log('info', 'image call', {
      request_id: job.id,
      client: client?.name ?? 'anonymous',
      kind: call.kind,
      outcome: answer.isError ? 'failed' : answer.structuredContent?.job ? 'running' : 'done',
      latency_ms: Date.now() - started,
    });
    return answer;
  } catch (error) {
    return refusedCall(deps, error, requestId, call.errorPrefix, failure.provider, extra.signal.aborted);
  } finally {
    reporter?.stop();
  }
}

/** The isError result (and the log line) for a call refused before or while it ran. */
export function refusedCall(
  deps: McpServerDependencies,
  error: unknown,
  requestId: string,
  errorPrefix: string | undefined,
  provider: string | undefined,
  aborted = false,
): CallToolResult {
  const answer = errorToolResult(error, {
    requestId,
    ...(errorPrefix ? { prefix: errorPrefix } : {}),
    ...(provider ? { provider } : {}),
  });
  deps.logger.log(aborted ? 'info' : 'warn', aborted ? 'image call cancelled' : 'image call failed', {
    request_id: requestId,
    code: (error as { code?: string }).code ?? 'INTERNAL_ERROR',
    ...(error instanceof Error && !('code' in error) ? { error: error.stack } : {}),
  });
  return answer;
}

function mergeOptions(
  given: Record<string, Record<string, unknown>> | undefined,
  added: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = { ...given };
  for (const [id, options] of Object.entries(added ?? {})) merged[id] = { ...options, ...merged[id] };
  return merged;
}

/** No client-key limits (stdio, or an open HTTP server). */
const unlimited = { admit: async () => ({ release() {} }) };
