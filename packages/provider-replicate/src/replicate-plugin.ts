import type { ProviderPlugin } from '@uig/core';
import { createReplicateProvider } from './replicate-provider.js';
import { replicateSettingsSchema } from './replicate-settings.js';

/** How the apps wire Replicate in (docs/configuration.md: `REPLICATE_API_TOKEN`, `REPLICATE_BASE_URL`). */
export const replicatePlugin: ProviderPlugin = {
  type: 'replicate',
  env: { apiKey: 'REPLICATE_API_TOKEN', baseURL: 'REPLICATE_BASE_URL' },
  // docs/providers/replicate.md §10.1.
  defaultBaseURL: 'https://api.replicate.com/v1',
  settingsSchema: replicateSettingsSchema,
  create: createReplicateProvider,
};
