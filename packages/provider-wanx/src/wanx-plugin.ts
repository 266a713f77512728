import type { ProviderPlugin } from '@uig/core';
import { createWanxProvider } from './wanx-provider.js';
import { wanxDefaultBaseURL, wanxRegionBaseURL } from './wanx-regions.js';
import { wanxSettingsSchema } from './wanx-settings.js';

/** How the apps wire WanX in (docs/configuration.md: `DASHSCOPE_API_KEY`, `DASHSCOPE_BASE_URL`). */
export const wanxPlugin: ProviderPlugin = {
  type: 'wanx',
  env: { apiKey: 'DASHSCOPE_API_KEY', baseURL: 'DASHSCOPE_BASE_URL' },
  defaultBaseURL: wanxDefaultBaseURL,
  settingsSchema: wanxSettingsSchema,
  // docs/providers/wanx.md §4.1: `apiKeys: [{ key: env:DASHSCOPE_SG_KEY, region: singapore }]` gets the Singapore host.
  regionBaseURL: wanxRegionBaseURL,
  // docs/providers/wanx.md §14.2: OpenAI-compatible chat at `{host}/compatible-mode/v1` on the same
  // host as the image API. qwen-turbo's price was not captured: its cost shows as unknown.
  promptChat: () => ({
    protocol: 'openai-chat',
    defaultModel: 'qwen-turbo',
    chatBaseURL: (imageBaseURL) =>
      /\/api\/v1\/?$/.test(imageBaseURL)
        ? imageBaseURL.replace(/\/api\/v1\/?$/, '/compatible-mode/v1')
        : `${new URL(imageBaseURL).origin}/compatible-mode/v1`,
  }),
  create: createWanxProvider,
};
