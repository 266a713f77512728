import type { ProviderPlugin } from '@uig/core';
import { cogviewSettingsSchema } from './cogview-options.js';
import { cogviewPrices } from './cogview-prices.js';
import { createCogviewProvider } from './cogview-provider.js';

/** How the apps wire CogView in (docs/configuration.md: `ZHIPU_API_KEY`, `ZHIPU_BASE_URL`). */
export const cogviewPlugin: ProviderPlugin = {
  type: 'cogview',
  env: { apiKey: 'ZHIPU_API_KEY', baseURL: 'ZHIPU_BASE_URL' },
  // docs/providers/cogview.md §1.1: the CN base, also the Python SDK's default; the intl one is https://api.z.ai/api/paas/v4.
  defaultBaseURL: 'https://open.bigmodel.cn/api/paas/v4',
  settingsSchema: cogviewSettingsSchema,
  // docs/providers/cogview.md §14.1: OpenAI-shaped chat on the same base; `sensitive` and
  // `network_error` finish reasons are failures. glm-4-flash is the free tier.
  promptChat: () => ({
    protocol: 'openai-chat',
    defaultModel: 'glm-4-flash',
    failedFinishReasons: ['sensitive', 'network_error'],
    prices: { 'glm-4-flash': cogviewPrices['glm-4-flash'] },
  }),
  create: createCogviewProvider,
};
