import type { ProviderPlugin } from '@uig/core';
import { cogviewSettingsSchema } from './cogview-options.js';
import { createCogviewProvider } from './cogview-provider.js';

/** How the apps wire CogView in (docs/configuration.md: `ZHIPU_API_KEY`, `ZHIPU_BASE_URL`). */
export const cogviewPlugin: ProviderPlugin = {
  type: 'cogview',
  env: { apiKey: 'ZHIPU_API_KEY', baseURL: 'ZHIPU_BASE_URL' },
  // docs/providers/cogview.md §1.1: the CN base, also the Python SDK's default; the intl one is https://api.z.ai/api/paas/v4.
  defaultBaseURL: 'https://open.bigmodel.cn/api/paas/v4',
  settingsSchema: cogviewSettingsSchema,
  create: createCogviewProvider,
};
