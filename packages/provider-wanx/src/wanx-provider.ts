import {
  realSleep,
  type ImageProvider,
  type ProviderCall,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { checkWanxCall, type CheckedCall } from './wanx-call-check.js';
import { ossResolveHeader } from './dashscope-upload.js';
import { wanxInputUrls } from './wanx-input-url.js';
import { multimodalBody, runMultimodal } from './wanx-multimodal.js';
import { defaultWanxModel, isWanxSyncModel, wanxModels } from './wanx-models.js';
import { wanxOptionsSchema } from './wanx-options.js';
import { wanxDefaultBaseURL, wanxRegionBaseURLs } from './wanx-regions.js';
import { wanxImageEditBody, wanxTextToImageBody } from './wanx-request-body.js';
import { wanxSettingsSchema } from './wanx-settings.js';
import { runWanxTask, type WanxPollSchedule } from './wanx-task.js';

/**
 * Alibaba DashScope WanX (docs/providers/wanx.md §4): one normalized call becomes one async task,
 * polled to its end. It never retries, splits batches or downloads the URLs it
 * returns: core does.
 */

const trimSlashes = (url: string) => url.replace(/\/+$/, '');

export function createWanxProvider(settings: ProviderSettings): ImageProvider {
  const parsedSettings = wanxSettingsSchema.safeParse(settings.options ?? {});
  if (!parsedSettings.success) {
    const issue = parsedSettings.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const { region, workspaceId, pollInitialIntervalMs, pollMaxIntervalMs, pollDoublingEvery, taskDeadlineMs } =
    parsedSettings.data;
  const provider = settings.id;
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;
  const schedule: WanxPollSchedule = {
    initialIntervalMs: pollInitialIntervalMs,
    maxIntervalMs: pollMaxIntervalMs,
    doublingEvery: pollDoublingEvery,
    deadlineMs: taskDeadlineMs,
  };
  // The configured base is the Beijing default unless someone set one; then `region` picks the host.
  const configured = trimSlashes(settings.baseURL || wanxDefaultBaseURL);
  const providerBaseURL =
    region && configured === wanxDefaultBaseURL ? wanxRegionBaseURLs[region] : configured;

  /** docs/providers/wanx.md §4.1: keys are per region, so a region-specific credential brings its own host. */
  const baseURLFor = (call: ProviderCall) => trimSlashes(call.credential.baseURL ?? providerBaseURL);

  const run = (
    call: ProviderCall,
    servicePath: string,
    body: Record<string, unknown>,
    createHeaders?: Record<string, string>,
  ): Promise<ProviderResult> =>
    runWanxTask({
      createHeaders,
      provider,
      fetch: settings.fetch,
      baseURL: baseURLFor(call),
      servicePath,
      apiKey: call.credential.apiKey,
      workspaceId,
      body,
      n: call.n,
      signal: call.signal,
      schedule,
      sleep,
      now,
      onProgress: call.onProgress,
      onTaskId: call.onTaskId,
      resumeTaskId: call.resumeTaskId,
    });

  /** docs/providers/wanx.md §13.2: Qwen-Image and Wan 2.6 answer in the same call. */
  async function synchronous(call: ProviderCall): Promise<ProviderResult> {
    const baseURL = baseURLFor(call);
    const inputs = await wanxInputUrls(call, call.images, {
      provider,
      fetch: settings.fetch,
      baseURL,
      model: call.model,
    });
    return runMultimodal({
      provider,
      fetch: settings.fetch,
      baseURL,
      apiKey: call.credential.apiKey,
      workspaceId,
      ...(inputs.ossResolve ? { extraHeaders: { ...ossResolveHeader } } : {}),
      body: multimodalBody(call, inputs.urls),
      n: call.n,
      signal: call.signal,
    });
  }

  async function generate(call: ProviderCall): Promise<ProviderResult> {
    const checked = checkWanxCall(call, 'generate', provider);
    const result = isWanxSyncModel(call.model)
      ? await synchronous(call)
      : await run(call, 'services/aigc/text2image/image-synthesis', wanxTextToImageBody(call));
    result.warnings.unshift(...checked.warnings);
    return result;
  }

  async function edit(call: ProviderCall): Promise<ProviderResult> {
    const checked = checkWanxCall(call, 'edit', provider);
    if (isWanxSyncModel(call.model)) {
      const result = await synchronous(call);
      result.warnings.unshift(...checked.warnings);
      return result;
    }
    const baseURL = baseURLFor(call);
    // A resumed task already holds its inputs: nothing to upload again.
    const inputs = call.resumeTaskId
      ? { urls: [], ossResolve: false }
      : await wanxInputUrls(call, call.mask ? [call.images[0]!, call.mask] : [call.images[0]!], {
          provider,
          fetch: settings.fetch,
          baseURL,
          model: call.model,
        });
    const body = wanxImageEditBody(call, checked.editFunction!, inputs.urls[0] ?? '', inputs.urls[1]);
    const result = await run(
      call,
      'services/aigc/image2image/image-synthesis',
      body,
      inputs.ossResolve ? { ...ossResolveHeader } : undefined,
    );
    result.warnings.unshift(...checked.warnings);
    return result;
  }

  return {
    id: provider,
    models: wanxModels,
    defaultModel: defaultWanxModel,
    optionsSchema: wanxOptionsSchema,
    generate,
    edit,
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      return checkWanxCall(call, kind, provider).warnings;
    },
  };
}
