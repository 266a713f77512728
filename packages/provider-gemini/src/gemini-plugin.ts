import type { ProviderPlugin } from '@uig/core';
import { geminiSettingsSchema } from './gemini-options.js';
import { createGeminiProvider } from './gemini-provider.js';

/** How the apps wire this adapter in (docs/configuration.md: `GEMINI_API_KEY`, `GEMINI_BASE_URL`). */
export const geminiPlugin: ProviderPlugin = {
  type: 'gemini',
  env: { apiKey: 'GEMINI_API_KEY', baseURL: 'GEMINI_BASE_URL' },
  defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
  settingsSchema: geminiSettingsSchema,
  create: createGeminiProvider,
};
