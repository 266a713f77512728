import type { ModelCapabilities, ModelDescriptor } from '@uig/core';
import { stabilityPrices } from './stability-prices.js';

/**
 * The Stability AI Stable Image models (docs/providers/stability.md §8.2–§8.5). Every call
 * is synchronous and returns one image as bytes; core splits a larger n.
 */

/** Which endpoint a model uses (docs/providers/stability.md §8.2–§8.5). */
export type StabilityEndpoint = 'ultra' | 'core' | 'sd3' | 'inpaint';

/** docs/providers/stability.md §8.2: the aspect ratios of every generate endpoint. */
const stabilityAspectRatios = ['21:9', '16:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21'] as const;

const base = {
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  seed: true,
  negativePrompt: true,
  // docs/providers/stability.md §8.6: `accept: image/*` answers the image bytes.
  delivery: 'bytes',
  // docs/providers/stability.md §8.2: prompts of 1–10000 characters.
  maxPromptLength: 10_000,
  // docs/providers/stability.md §8.7: 422 invalid_language, "English is the only supported language".
  promptLanguage: 'en',
} as const satisfies Partial<ModelCapabilities>;

/** Text to image, and image to image (`image` + `strength`) where the endpoint takes an image. */
const generator = (imageToImage: boolean): ModelCapabilities => ({
  ...base,
  generate: true,
  edit: imageToImage,
  mask: false,
  maxInputImages: imageToImage ? 1 : 0,
  aspectRatios: stabilityAspectRatios,
});

export interface StabilityModel extends ModelDescriptor {
  endpoint: StabilityEndpoint;
}

const active = { status: 'active' } as const;

const sd3 = (id: keyof typeof stabilityPrices, description: string): StabilityModel => ({
  id,
  endpoint: 'sd3',
  description,
  capabilities: generator(true),
  price: stabilityPrices[id],
  lifecycle: active,
});

export const stabilityModels: readonly StabilityModel[] = [
  {
    id: 'ultra',
    endpoint: 'ultra',
    description: 'Stable Image Ultra: the most photorealistic, ~1 MP; image to image with strength.',
    capabilities: generator(true),
    price: stabilityPrices.ultra,
    lifecycle: active,
  },
  {
    id: 'core',
    endpoint: 'core',
    description: 'Stable Image Core: fast and cheap, 1.5 MP, text to image only.',
    capabilities: generator(false),
    price: stabilityPrices.core,
    lifecycle: active,
  },
  sd3('sd3.5-large', 'Stable Diffusion 3.5 Large (8B): text to image and image to image.'),
  sd3('sd3.5-large-turbo', 'Stable Diffusion 3.5 Large Turbo: Large in fewer steps.'),
  sd3('sd3.5-medium', 'Stable Diffusion 3.5 Medium (2.5B).'),
  // docs/providers/stability.md §8.4: priced in the description, missing from the enum (unverified that it is accepted).
  sd3('sd3.5-flash', 'Stable Diffusion 3.5 Flash: the fastest SD 3.5 (listed in the price text only).'),
  {
    id: 'inpaint',
    endpoint: 'inpaint',
    description: 'Stable Image inpaint: repaints where the mask is white (or the image transparent).',
    capabilities: { ...base, generate: false, edit: true, mask: true, maxInputImages: 1 },
    price: stabilityPrices.inpaint,
    lifecycle: active,
  },
];

export const defaultStabilityModel = 'core';

export function findStabilityModel(id: string): StabilityModel | undefined {
  return stabilityModels.find((model) => model.id === id);
}
