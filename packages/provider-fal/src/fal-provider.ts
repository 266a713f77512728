import {
  InvalidRequestError,
  ModelNotFoundError,
  UnsupportedCapabilityError,
  realSleep,
  sizeViolation,
  type ImageProvider,
  type ProviderCall,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { defaultFalModel, type FalEndpoint, falEndpointsFor } from './fal-endpoints.js';
import { falInput, falQueueHeaders } from './fal-input.js';
import { type FalOptions, falOptionsSchema } from './fal-options.js';
import { runFalQueue } from './fal-queue.js';
import { falSettingsSchema } from './fal-settings.js';

type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

/**
 * fal.ai (docs/providers/fal.md §9): one normalized call becomes one request through fal's queue
 * to the endpoint the model id names, and back. It never retries, splits batches or
 * downloads the URLs it returns: core does.
 */
export function createFalProvider(settings: ProviderSettings): ImageProvider {
  const parsed = falSettingsSchema.safeParse(settings.options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const falSettings = parsed.data;
  const provider = settings.id;
  const endpoints = falEndpointsFor(falSettings);
  const byId = new Map(endpoints.map((endpoint) => [endpoint.descriptor.id, endpoint]));
  const defaultModel =
    falSettings.defaultModel ?? (byId.has(defaultFalModel) ? defaultFalModel : endpoints[0]!.descriptor.id);
  if (!byId.has(defaultModel))
    throw new TypeError(`${provider} options.defaultModel: "${defaultModel}" is not one of its endpoints.`);
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;

  function check(call: CheckedCall, kind: 'generate' | 'edit'): FalEndpoint {
    const endpoint = byId.get(call.model);
    if (!endpoint) throw new ModelNotFoundError(`${provider} has no endpoint "${call.model}".`, { provider });
    const { capabilities } = endpoint.descriptor;
    if (kind === 'edit' && !capabilities.edit)
      throw new UnsupportedCapabilityError(`${provider}/${call.model} cannot edit images.`, {
        provider,
        param: 'image',
        code: 'EDIT_NOT_SUPPORTED',
      });
    if (kind === 'generate' && !capabilities.generate)
      throw new UnsupportedCapabilityError(
        `${provider}/${call.model} only edits images: give an input image.`,
        {
          provider,
          param: 'image',
          code: 'IMAGE_REQUIRED',
        },
      );
    if (call.n < 1 || call.n > capabilities.maxImagesPerCall)
      throw new InvalidRequestError(
        `n must be 1–${capabilities.maxImagesPerCall} per ${provider}/${call.model} call; it was ${call.n}.`,
        { provider, param: 'n', code: 'INVALID_N' },
      );
    if (call.images.length > capabilities.maxInputImages)
      throw new UnsupportedCapabilityError(
        `${provider}/${call.model} takes at most ${capabilities.maxInputImages} input image(s).`,
        { provider, param: 'image', code: 'TOO_MANY_IMAGES' },
      );
    if (call.mask && !capabilities.mask)
      throw new UnsupportedCapabilityError(`${provider}/${call.model} does not take a mask.`, {
        provider,
        param: 'mask',
        code: 'MASK_NOT_SUPPORTED',
      });
    if (call.size && capabilities.sizes) {
      const violation = sizeViolation(call.size, capabilities.sizes);
      if (violation)
        throw new InvalidRequestError(
          `size ${call.size.width}x${call.size.height} is not supported by ${provider}/${call.model}: ${violation}.`,
          {
            provider,
            param: 'size',
            code: 'INVALID_SIZE',
          },
        );
    }
    return endpoint;
  }

  async function run(call: ProviderCall, kind: 'generate' | 'edit'): Promise<ProviderResult> {
    const endpoint = check(call, kind);
    const options = call.providerOptions as FalOptions;
    const baseURL = (call.credential.baseURL ?? settings.baseURL).replace(/\/+$/, '');
    return runFalQueue({
      provider,
      fetch: settings.fetch,
      baseURL,
      apiKey: call.credential.apiKey,
      endpointId: endpoint.descriptor.id,
      input: falInput(call, endpoint.input),
      mapping: endpoint.input,
      headers: falQueueHeaders(options),
      n: call.n,
      signal: call.signal,
      pollIntervalMs: falSettings.pollIntervalMs,
      deadlineMs: falSettings.requestDeadlineMs,
      sleep,
      now,
      onProgress: call.onProgress,
      onTaskId: call.onTaskId,
      resumeTaskId: call.resumeTaskId,
    });
  }

  return {
    id: provider,
    models: endpoints.map((endpoint) => endpoint.descriptor),
    defaultModel,
    optionsSchema: falOptionsSchema,
    generate: (call) => run(call, 'generate'),
    edit: (call) => run(call, 'edit'),
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      check(call, kind);
      return [];
    },
  };
}
