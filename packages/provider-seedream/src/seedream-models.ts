import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';

/**
 * The Seedream models (docs/providers/seedream.md §11.2–§11.3). Generation and image to
 * image (up to 14 reference images) share one endpoint; results are URLs valid 24 h
 * (§11.4) that core downloads. The API has no `n`: one image per call, or an image set
 * with `sequential_image_generation` (provider option).
 */

/**
 * docs/providers/seedream.md §11.3: any `WxH` with 1280x720 to 4096x4096 pixels in all and an
 * aspect ratio within 1:16–16:1 (relay docs, unverified); the sides' own bounds are ours.
 */
const seedreamSizeRules: SizeRules = {
  custom: {
    minSide: 64,
    maxSide: 16_384,
    multipleOf: 1,
    minPixels: 921_600,
    maxPixels: 16_777_216,
    maxAspectRatio: 16,
  },
  // §11.3: the default is 2048x2048 / 2K (unverified); uig always sends a size.
  default: '2048x2048',
};

const capabilities: ModelCapabilities = {
  generate: true,
  edit: true,
  mask: false,
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  // §11.3: up to 14 reference images for 4.x and 5.x.
  maxInputImages: 14,
  sizes: seedreamSizeRules,
  // §11.3: `seed` and `guidance_scale` belong to the 3.0 models; their effect on 4.x is unverified.
  seed: false,
  negativePrompt: false,
  delivery: 'url',
  // §11.3: "≤ ~600 English words recommended"; 4,000 characters is ours.
  maxPromptLength: 4_000,
  streaming: true,
  promptLanguage: 'en',
};

/** Whether a model takes `output_format` (§11.3: 5.0 only; 4.x always answers JPEG). */
export interface SeedreamModel extends ModelDescriptor {
  outputFormat: boolean;
  /** §11.3: `optimize_prompt_options.mode: fast` is for 4.0 only. */
  fastPromptOptimisation: boolean;
}

const active = { status: 'active' } as const;

// Prices: none captured for Seedream 4.x/5.x (docs/providers/seedream.md §16): `price` stays absent.
export const seedreamModels: readonly SeedreamModel[] = [
  {
    id: 'seedream-4-0-250828',
    description:
      'ByteDance Seedream 4.0: text to image and multi-reference image editing, 1K–4K, image sets.',
    capabilities,
    lifecycle: active,
    outputFormat: false,
    fastPromptOptimisation: true,
  },
  {
    id: 'seedream-4-5-251128',
    description: 'ByteDance Seedream 4.5: sharper text and faces; 2K and 4K.',
    capabilities,
    lifecycle: active,
    outputFormat: false,
    fastPromptOptimisation: false,
  },
  {
    id: 'seedream-5-0-260128',
    description: 'ByteDance Seedream 5.0: PNG or JPEG output, up to 14 reference images.',
    capabilities,
    lifecycle: active,
    outputFormat: true,
    fastPromptOptimisation: false,
  },
  {
    id: 'seedream-5-0-lite-260128',
    description: 'ByteDance Seedream 5.0 lite: the faster, cheaper 5.0.',
    capabilities,
    lifecycle: active,
    outputFormat: true,
    fastPromptOptimisation: false,
  },
];

export const defaultSeedreamModel = 'seedream-4-0-250828';

export function findSeedreamModel(id: string): SeedreamModel | undefined {
  return seedreamModels.find((model) => model.id === id);
}
