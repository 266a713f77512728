import {
  realSleep,
  type ImageProvider,
  type ProviderCall,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { checkBflCall, type CheckedCall } from './bfl-call-check.js';
import { bflModels, defaultBflModel } from './bfl-models.js';
import { bflOptionsSchema } from './bfl-options.js';
import { bflDefaultBaseURL, bflRegionBaseURLs } from './bfl-regions.js';
import { bflRequestBody } from './bfl-request-body.js';
import { bflSettingsSchema } from './bfl-settings.js';
import { runBflTask } from './bfl-task.js';

/**
 * Black Forest Labs FLUX (docs/providers/bfl.md §7): one normalized call becomes one task,
 * polled to its end. It never retries, splits batches or downloads the URL it returns:
 * core does.
 */

const trimSlashes = (url: string) => url.replace(/\/+$/, '');

export function createBflProvider(settings: ProviderSettings): ImageProvider {
  const parsedSettings = bflSettingsSchema.safeParse(settings.options ?? {});
  if (!parsedSettings.success) {
    const issue = parsedSettings.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const { region, pollInitialIntervalMs, pollMaxIntervalMs, taskDeadlineMs } = parsedSettings.data;
  const provider = settings.id;
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;
  const configured = trimSlashes(settings.baseURL || bflDefaultBaseURL);
  const providerBaseURL = region && configured === bflDefaultBaseURL ? bflRegionBaseURLs[region] : configured;

  async function run(call: ProviderCall, kind: 'generate' | 'edit'): Promise<ProviderResult> {
    // Its warnings reach the answer through check(), which core calls before every call.
    const checked = checkBflCall(call, kind, provider);
    return runBflTask({
      provider,
      fetch: settings.fetch,
      baseURL: trimSlashes(call.credential.baseURL ?? providerBaseURL),
      model: call.model,
      apiKey: call.credential.apiKey,
      body: bflRequestBody(call, checked),
      signal: call.signal,
      schedule: {
        initialIntervalMs: pollInitialIntervalMs,
        maxIntervalMs: pollMaxIntervalMs,
        deadlineMs: taskDeadlineMs,
      },
      sleep,
      now,
      onProgress: call.onProgress,
      onTaskId: call.onTaskId,
      resumeTaskId: call.resumeTaskId,
    });
  }

  return {
    id: provider,
    models: bflModels,
    defaultModel: defaultBflModel,
    optionsSchema: bflOptionsSchema,
    generate: (call) => run(call, 'generate'),
    edit: (call) => run(call, 'edit'),
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      return checkBflCall(call, kind, provider).warnings;
    },
  };
}
