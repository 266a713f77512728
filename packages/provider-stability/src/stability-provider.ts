import type { ImageProvider, ProviderCall, ProviderResult, ProviderSettings, Warning } from '@uig/core';
import { checkStabilityCall, type CheckedCall } from './stability-call-check.js';
import { stabilityExchange } from './stability-client.js';
import { stabilityForm } from './stability-form.js';
import { defaultStabilityModel, stabilityModels } from './stability-models.js';
import { stabilityOptionsSchema } from './stability-options.js';
import { stabilitySettingsSchema } from './stability-settings.js';

/**
 * Stability AI Stable Image v2beta (docs/providers/stability.md §8): one normalized call
 * becomes one synchronous multipart request answered with the image bytes.
 */

export const stabilityDefaultBaseURL = 'https://api.stability.ai/v2beta';

/** docs/providers/stability.md §8.2–§8.5: each model's path under the base. */
const paths = {
  ultra: 'stable-image/generate/ultra',
  core: 'stable-image/generate/core',
  sd3: 'stable-image/generate/sd3',
  inpaint: 'stable-image/edit/inpaint',
} as const;

const trimSlashes = (url: string) => url.replace(/\/+$/, '');

export function createStabilityProvider(settings: ProviderSettings): ImageProvider {
  const parsedSettings = stabilitySettingsSchema.safeParse(settings.options ?? {});
  if (!parsedSettings.success) {
    const issue = parsedSettings.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const provider = settings.id;
  const baseURL = trimSlashes(settings.baseURL || stabilityDefaultBaseURL);

  function run(call: ProviderCall, kind: 'generate' | 'edit'): Promise<ProviderResult> {
    // Its warnings reach the answer through check(), which core calls before every call.
    const checked = checkStabilityCall(call, kind, provider);
    return stabilityExchange({
      provider,
      fetch: settings.fetch,
      url: `${trimSlashes(call.credential.baseURL ?? baseURL)}/${paths[checked.model.endpoint]}`,
      apiKey: call.credential.apiKey,
      form: stabilityForm(call, checked),
      signal: call.signal,
      clientId: parsedSettings.data!.clientId,
    });
  }

  return {
    id: provider,
    models: stabilityModels,
    defaultModel: defaultStabilityModel,
    optionsSchema: stabilityOptionsSchema,
    generate: (call) => run(call, 'generate'),
    edit: (call) => run(call, 'edit'),
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      return checkStabilityCall(call, kind, provider).warnings;
    },
  };
}
