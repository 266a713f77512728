import type { ProviderPlugin } from '@uig/core';
import { createStabilityProvider, stabilityDefaultBaseURL } from './stability-provider.js';
import { stabilitySettingsSchema } from './stability-settings.js';

/** How the apps wire Stability in (docs/configuration.md: `STABILITY_API_KEY`, `STABILITY_BASE_URL`). */
export const stabilityPlugin: ProviderPlugin = {
  type: 'stability',
  env: { apiKey: 'STABILITY_API_KEY', baseURL: 'STABILITY_BASE_URL' },
  defaultBaseURL: stabilityDefaultBaseURL,
  settingsSchema: stabilitySettingsSchema,
  create: createStabilityProvider,
};
