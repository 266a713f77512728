import type { ProviderPlugin } from '@uig/core';
import { createSeedreamProvider } from './seedream-provider.js';
import { seedreamDefaultBaseURL, seedreamRegionBaseURL } from './seedream-regions.js';
import { seedreamSettingsSchema } from './seedream-settings.js';

/** How the apps wire Seedream in (docs/configuration.md: `ARK_API_KEY`, `ARK_BASE_URL`). */
export const seedreamPlugin: ProviderPlugin = {
  type: 'seedream',
  env: { apiKey: 'ARK_API_KEY', baseURL: 'ARK_BASE_URL' },
  defaultBaseURL: seedreamDefaultBaseURL,
  settingsSchema: seedreamSettingsSchema,
  // docs/providers/seedream.md §11.1: `apiKeys: [{ key: env:BYTEPLUS_KEY, region: intl }]`.
  regionBaseURL: seedreamRegionBaseURL,
  create: createSeedreamProvider,
};
