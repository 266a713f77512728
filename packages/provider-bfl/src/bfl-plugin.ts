import type { ProviderPlugin } from '@uig/core';
import { createBflProvider } from './bfl-provider.js';
import { bflDefaultBaseURL, bflRegionBaseURL } from './bfl-regions.js';
import { bflSettingsSchema } from './bfl-settings.js';

/** How the apps wire BFL in (docs/configuration.md: `BFL_API_KEY`, `BFL_BASE_URL`). */
export const bflPlugin: ProviderPlugin = {
  type: 'bfl',
  env: { apiKey: 'BFL_API_KEY', baseURL: 'BFL_BASE_URL' },
  defaultBaseURL: bflDefaultBaseURL,
  settingsSchema: bflSettingsSchema,
  // docs/providers/bfl.md §7.1: `apiKeys: [{ key: env:BFL_EU_KEY, region: eu }]` uses the EU host.
  regionBaseURL: bflRegionBaseURL,
  create: createBflProvider,
};
