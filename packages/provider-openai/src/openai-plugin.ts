import type { ProviderPlugin } from '@uig/core';
import { openaiPrices } from './openai-prices.js';
import { createOpenAIProvider } from './openai-image-provider.js';
import { openaiSettingsSchema } from './openai-settings.js';

/**
 * OpenAI for the provider registry. The same plugin serves every extra provider the
 * config file declares with `type: openai` (Azure OpenAI, LocalAI, vLLM, gateways),
 * each under its own name, key and base URL.
 */
export const openaiPlugin: ProviderPlugin = {
  type: 'openai',
  env: { apiKey: 'OPENAI_API_KEY', baseURL: 'OPENAI_BASE_URL' },
  defaultBaseURL: 'https://api.openai.com/v1',
  settingsSchema: openaiSettingsSchema,
  // docs/providers/openai.md §14.4. An OpenAI-compatible server with its own model list has no
  // default chat model (gpt-4.1-mini may not exist there); promptOptimization.model can name one.
  promptChat: (options) => ({
    protocol: 'openai-chat',
    maxTokensField: 'max_completion_tokens',
    ...(options.models === undefined ? { defaultModel: 'gpt-4.1-mini' } : {}),
    prices: { 'gpt-4.1-mini': openaiPrices['gpt-4.1-mini'] },
  }),
  create: createOpenAIProvider,
};
