import type { ProviderPlugin } from '@uig/core';
import { geminiSettingsSchema } from './gemini-options.js';
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
    prices: {
      'gemini-2.5-flash': {
        readOn: '2026-11-27',
        source: 'https://ai.google.dev/gemini-api/docs/pricing (as summarised by deploybase.ai, 2026)',
        perMillionTokens: { textInput: 0.3, textOutput: 2.5 },
      },
    },
  }),
  create: createGeminiProvider,
};
