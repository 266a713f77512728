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
import { defaultReplicateModel, type ReplicateModel, replicateModelsFor } from './replicate-models.js';
import { replicateInput } from './replicate-input.js';
import { type ReplicateOptions, replicateOptionsSchema } from './replicate-options.js';
import { runPrediction } from './replicate-prediction.js';
import { replicateSettingsSchema } from './replicate-settings.js';

type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

/**
 * Replicate (docs/providers/replicate.md §10): one normalized call becomes one prediction of the
 * model the id names, and back. It never retries, splits batches or downloads the URLs
 * it returns: core does.
 */
export function createReplicateProvider(settings: ProviderSettings): ImageProvider {
  const parsed = replicateSettingsSchema.safeParse(settings.options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const replicateSettings = parsed.data;
  const provider = settings.id;
  const models = replicateModelsFor(replicateSettings);
  const byId = new Map(models.map((model) => [model.descriptor.id, model]));
  const defaultModel =
    replicateSettings.defaultModel ??
    (byId.has(defaultReplicateModel) ? defaultReplicateModel : models[0]!.descriptor.id);
  if (!byId.has(defaultModel))
    throw new TypeError(`${provider} options.defaultModel: "${defaultModel}" is not one of its models.`);
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;

  function check(call: CheckedCall, kind: 'generate' | 'edit'): ReplicateModel {
    const model = byId.get(call.model);
    if (!model) throw new ModelNotFoundError(`${provider} has no model "${call.model}".`, { provider });
    const { capabilities } = model.descriptor;
    const name = `${provider}/${call.model}`;
    if (kind === 'edit' && !capabilities.edit)
      throw new UnsupportedCapabilityError(`${name} cannot edit images.`, {
        provider,
        param: 'image',
        code: 'EDIT_NOT_SUPPORTED',
      });
    if (kind === 'generate' && !capabilities.generate)
      throw new UnsupportedCapabilityError(`${name} only edits images: give an input image.`, {
        provider,
        param: 'image',
        code: 'IMAGE_REQUIRED',
      });
    if (call.n < 1 || call.n > capabilities.maxImagesPerCall)
      throw new InvalidRequestError(
        `n must be 1–${capabilities.maxImagesPerCall} per ${name} prediction; it was ${call.n}.`,
        {
          provider,
          param: 'n',
          code: 'INVALID_N',
        },
      );
    if (call.images.length > capabilities.maxInputImages)
      throw new UnsupportedCapabilityError(
        `${name} takes at most ${capabilities.maxInputImages} input image(s).`,
        {
          provider,
          param: 'image',
          code: 'TOO_MANY_IMAGES',
        },
      );
    if (call.mask && !capabilities.mask)
      throw new UnsupportedCapabilityError(`${name} does not take a mask.`, {
        provider,
        param: 'mask',
        code: 'MASK_NOT_SUPPORTED',
      });
    if (call.size && capabilities.sizes) {
      const violation = sizeViolation(call.size, capabilities.sizes);
      if (violation)
        throw new InvalidRequestError(
          `size ${call.size.width}x${call.size.height} is not supported by ${name}: ${violation}.`,
          {
            provider,
            param: 'size',
            code: 'INVALID_SIZE',
          },
        );
    }
    const reserved = Object.values(model.input).filter((value): value is string => typeof value === 'string');
    const overridden = Object.keys((call.providerOptions as ReplicateOptions).input ?? {}).find((field) =>
      reserved.includes(field),
    );
    if (overridden)
      throw new InvalidRequestError(
        `provider_options.${provider}.input.${overridden} is set by uig from the request; use the request field instead.`,
        {
          provider,
          param: `provider_options.${provider}.input.${overridden}`,
          code: 'INVALID_PROVIDER_OPTION',
        },
      );
    return model;
  }

  async function run(call: ProviderCall, kind: 'generate' | 'edit'): Promise<ProviderResult> {
    const model = check(call, kind);
    const options = call.providerOptions as ReplicateOptions;
    return runPrediction({
      provider,
      fetch: settings.fetch,
      baseURL: (call.credential.baseURL ?? settings.baseURL).replace(/\/+$/, ''),
      apiKey: call.credential.apiKey,
      modelId: model.descriptor.id,
      version: model.version,
      input: await replicateInput(call, model.input, provider),
      mapping: model.input,
      waitSeconds: replicateSettings.waitSeconds,
      cancelAfter: options.cancel_after ?? undefined,
      n: call.n,
      signal: call.signal,
      pollIntervalMs: replicateSettings.pollIntervalMs,
      deadlineMs: replicateSettings.predictionDeadlineMs,
      sleep,
      now,
      onProgress: call.onProgress,
      onTaskId: call.onTaskId,
      resumeTaskId: call.resumeTaskId,
    });
  }

  return {
    id: provider,
    models: models.map((model) => model.descriptor),
    defaultModel,
    optionsSchema: replicateOptionsSchema,
    generate: (call) => run(call, 'generate'),
    edit: (call) => run(call, 'edit'),
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      check(call, kind);
      return [];
    },
  };
}
