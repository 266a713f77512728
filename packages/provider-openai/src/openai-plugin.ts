import type { ProviderPlugin } from '@uig/core';
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
  create: createOpenAIProvider,
};
