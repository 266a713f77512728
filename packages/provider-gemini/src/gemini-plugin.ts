import type { ProviderPlugin } from '@uig/core';
import { geminiSettingsSchema } from './gemini-options.js';
import { geminiPrices } from './gemini-prices.js';
import { createGeminiProvider } from './gemini-provider.js';

/** How the apps wire this adapter in (docs/configuration.md: `GEMINI_API_KEY`, `GEMINI_BASE_URL`). */
export const geminiPlugin: ProviderPlugin = {
  type: 'gemini',
  env: { apiKey: 'GEMINI_API_KEY', baseURL: 'GEMINI_BASE_URL' },
  defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
  settingsSchema: geminiSettingsSchema,
  // docs/providers/gemini.md §14.3: text generateContent on the same base and key.
  promptChat: () => ({
    protocol: 'gemini',
    defaultModel: 'gemini-2.5-flash',
    prices: { 'gemini-2.5-flash': geminiPrices['gemini-2.5-flash'] },
  }),
  create: createGeminiProvider,
};
