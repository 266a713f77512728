import type { ProviderPlugin } from '@uig/core';
import { createFalProvider } from './fal-provider.js';
import { falSettingsSchema } from './fal-settings.js';

/** How the apps wire fal in (docs/configuration.md: `FAL_KEY`, `FAL_BASE_URL`). */
export const falPlugin: ProviderPlugin = {
  type: 'fal',
  env: { apiKey: 'FAL_KEY', baseURL: 'FAL_BASE_URL' },
  // docs/providers/fal.md §9.1: the queue host (backup https://queue.falrun.com).
  defaultBaseURL: 'https://queue.fal.run',
  settingsSchema: falSettingsSchema,
  create: createFalProvider,
};
