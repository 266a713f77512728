import type { ModelCapabilities, ProviderCall, ProviderPlugin } from '@uig/core';
import { createCompatiblePresetProvider, type CompatiblePreset } from './compatible-preset-provider.js';
import { openaiPrices } from './openai-prices.js';

/**
 * `type: xai`, `type: together`, `type: recraft` (docs/providers/compatible-presets.md §12): each
 * enabled by its env key like the built-in vendors, with its base URL and catalog.
 */

const common = {
  mask: false,
  seed: false,
  negativePrompt: false,
  delivery: 'base64',
  maxPromptLength: 4000,
  promptLanguage: 'en',
} as const;

const dataUri = (call: ProviderCall, index: number) =>
  `data:${call.images[index]!.mimeType};base64,${Buffer.from(call.images[index]!.data).toString('base64')}`;

/** §12.1: xAI takes `aspect_ratio` (and `resolution`), never `size`; edits are JSON. */
const xaiCapabilities: ModelCapabilities = {
  ...common,
  generate: true,
  edit: true,
  maxImagesPerCall: 10,
  maxImagesPerRequest: 10,
  maxInputImages: 3,
  aspectRatios: ['1:1', '16:9', '9:16', '3:2'],
};
const xaiBody = (call: ProviderCall) => ({
  model: call.model,
  prompt: call.prompt,
  n: call.n,
  response_format: 'b64_json',
  ...(call.aspectRatio ? { aspect_ratio: call.aspectRatio } : {}),
});
const xai: CompatiblePreset = {
  type: 'xai',
  models: [
    {
      id: 'grok-imagine-image',
      description: 'xAI Grok Imagine image.',
      capabilities: xaiCapabilities,
      price: openaiPrices['grok-imagine-image'],
    },
    {
      id: 'grok-imagine-image-pro',
      description: 'xAI Grok Imagine image, pro.',
      capabilities: xaiCapabilities,
    },
    {
      id: 'grok-imagine-image-quality',
      description: 'xAI Grok Imagine image, quality (third-party docs).',
      capabilities: xaiCapabilities,
      price: openaiPrices['grok-imagine-image-quality'],
    },
  ],
  defaultModel: 'grok-imagine-image',
  generationBody: xaiBody,
  editBody: (call) => ({
    ...xaiBody(call),
    ...(call.images.length === 1
      ? { image: { url: dataUri(call, 0), type: 'image_url' } }
      : { images: call.images.map((_, index) => ({ url: dataUri(call, index), type: 'image_url' })) }),
  }),
};

/** §12.2: Together takes `width`/`height`, and `response_format: "base64"`. Size bounds (unverified). */
const together: CompatiblePreset = {
  type: 'together',
  models: [
    {
      id: 'black-forest-labs/FLUX.1-schnell',
      description: 'FLUX.1 [schnell] on Together AI.',
      capabilities: {
        ...common,
        generate: true,
        edit: false,
        seed: true,
        negativePrompt: true,
        maxImagesPerCall: 4,
        maxImagesPerRequest: 4,
        maxInputImages: 0,
        sizes: {
          allowed: ['1024x1024'],
          custom: { minSide: 256, maxSide: 1792, multipleOf: 16, maxPixels: 1792 * 1792 },
          default: '1024x1024',
        },
      },
    },
  ],
  defaultModel: 'black-forest-labs/FLUX.1-schnell',
  generationBody: (call) => ({
    model: call.model,
    prompt: call.prompt,
    n: call.n,
    ...(call.size ? { width: call.size.width, height: call.size.height } : {}),
    ...(call.seed !== undefined ? { seed: call.seed } : {}),
    ...(call.negativePrompt ? { negative_prompt: call.negativePrompt } : {}),
    response_format: 'base64',
  }),
};

/** §12.3: Recraft, n 1–2, `size` WxH (1024x1024 default), `style`. */
const recraft: CompatiblePreset = {
  type: 'recraft',
  models: [
    {
      id: 'recraftv3',
      description: 'Recraft V3 (style realistic_image by default).',
      capabilities: {
        ...common,
        generate: true,
        edit: false,
        maxImagesPerCall: 2,
        maxImagesPerRequest: 4,
        maxInputImages: 0,
        sizes: { allowed: ['1024x1024'], default: '1024x1024' },
      },
    },
  ],
  defaultModel: 'recraftv3',
  generationBody: (call) => ({
    model: call.model,
    prompt: call.prompt,
    n: call.n,
    ...(call.size ? { size: `${call.size.width}x${call.size.height}` } : {}),
    response_format: 'b64_json',
  }),
};

const plugin = (preset: CompatiblePreset, env: string, defaultBaseURL: string): ProviderPlugin => ({
  type: preset.type,
  env: { apiKey: `${env}_API_KEY`, baseURL: `${env}_BASE_URL` },
  defaultBaseURL,
  create: (settings) => createCompatiblePresetProvider(preset, settings),
});

export const xaiPlugin = plugin(xai, 'XAI', 'https://api.x.ai/v1');
export const togetherPlugin = plugin(together, 'TOGETHER', 'https://api.together.xyz/v1');
export const recraftPlugin = plugin(recraft, 'RECRAFT', 'https://external.api.recraft.ai/v1');
