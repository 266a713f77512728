import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';
import { bflPrices } from './bfl-prices.js';

/**
 * The BFL FLUX models and what each can do (docs/providers/bfl.md §7.2). Every call is a
 * task that we poll (longRunning), one image per task (docs/providers/bfl.md §7.7); the
 * result is a delivery URL valid 10 minutes (docs/providers/bfl.md §7.5) that core
 * downloads as soon as the call returns.
 */

/** Which request body a model takes (docs/providers/bfl.md §7.2 names the schemas). */
export type BflModelFamily = 'flux2' | 'flux2-flex' | 'kontext' | 'pro-1.1' | 'ultra' | 'fill';

/**
 * docs/providers/bfl.md §7.2 FLUX.2: min 64 px, multiples of 16, at most 4 MP. The vendor
 * names no longest side; 4096 px is our bound (a 4096x1024 image is 4 MP).
 */
const flux2SizeRules: SizeRules = {
  custom: { minSide: 64, maxSide: 4096, multipleOf: 16, maxPixels: 4_194_304 },
  default: '1024x1024',
};

/** docs/providers/bfl.md §7.2 `flux-pro-1.1`: multiples of 32, 256–1440 px; the vendor's default is 1024x768. */
const fluxPro11SizeRules: SizeRules = {
  custom: { minSide: 256, maxSide: 1440, multipleOf: 32, maxPixels: 1440 * 1440 },
  default: '1024x768',
};

/** docs/providers/bfl.md §7.2 Kontext and Ultra: any ratio between 21:9 and 9:21; these are the common ones. */
const bflAspectRatios = ['21:9', '16:9', '3:2', '4:3', '1:1', '3:4', '2:3', '9:16', '9:21'] as const;

const base = {
  // docs/providers/bfl.md §7.7: one image per request.
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  seed: true,
  negativePrompt: false,
  delivery: 'url',
  longRunning: true,
  promptLanguage: 'en',
} as const satisfies Partial<ModelCapabilities>;

/** docs/providers/bfl.md §7.2: "up to 32K tokens" for FLUX.2; the other schemas name no limit, 10,000 characters is ours. */
const flux2 = (maxInputImages: number): ModelCapabilities => ({
  ...base,
  generate: true,
  edit: true,
  mask: false,
  maxInputImages,
  sizes: flux2SizeRules,
  maxPromptLength: 32_000,
});

const kontext: ModelCapabilities = {
  ...base,
  generate: true,
  edit: true,
  mask: false,
  // docs/providers/bfl.md §7.2: `input_image` plus `input_image_2`…`_4` ("experimental multiref").
  maxInputImages: 4,
  aspectRatios: bflAspectRatios,
  maxPromptLength: 10_000,
};

export interface BflModel extends ModelDescriptor {
  family: BflModelFamily;
}

const active = { status: 'active' } as const;

export const bflModels: readonly BflModel[] = [
  {
    id: 'flux-2-pro',
    family: 'flux2',
    description: 'Black Forest Labs FLUX.2 [pro]: text to image and edits with up to 8 reference images.',
    capabilities: flux2(8),
    price: bflPrices['flux-2-pro'],
    lifecycle: active,
  },
  {
    id: 'flux-2-max',
    family: 'flux2',
    description: 'Black Forest Labs FLUX.2 [max]: the highest quality FLUX.2, up to 8 reference images.',
    capabilities: flux2(8),
    price: bflPrices['flux-2-max'],
    lifecycle: active,
  },
  {
    id: 'flux-2-flex',
    family: 'flux2-flex',
    description: 'Black Forest Labs FLUX.2 [flex]: adjustable steps and guidance, good at text in images.',
    capabilities: flux2(8),
    price: bflPrices['flux-2-flex'],
    lifecycle: active,
  },
  {
    id: 'flux-2-klein-4b',
    family: 'flux2',
    description: 'Black Forest Labs FLUX.2 [klein] 4B: fast and cheap, up to 4 reference images.',
    capabilities: flux2(4),
    price: bflPrices['flux-2-klein-4b'],
    lifecycle: active,
  },
  {
    id: 'flux-2-klein-9b',
    family: 'flux2',
    description: 'Black Forest Labs FLUX.2 [klein] 9B: fast, up to 4 reference images.',
    capabilities: flux2(4),
    price: bflPrices['flux-2-klein-9b'],
    lifecycle: active,
  },
  {
    id: 'flux-kontext-pro',
    family: 'kontext',
    description:
      'Black Forest Labs FLUX.1 Kontext [pro]: instruction edits of a reference image, or text to image.',
    capabilities: kontext,
    price: bflPrices['flux-kontext-pro'],
    lifecycle: active,
  },
  {
    id: 'flux-kontext-max',
    family: 'kontext',
    description:
      'Black Forest Labs FLUX.1 Kontext [max]: Kontext with better prompt following and typography.',
    capabilities: kontext,
    price: bflPrices['flux-kontext-max'],
    lifecycle: active,
  },
  {
    id: 'flux-pro-1.1',
    family: 'pro-1.1',
    description: 'Black Forest Labs FLUX 1.1 [pro]: text to image, 256–1440 px.',
    capabilities: {
      ...base,
      generate: true,
      edit: false,
      mask: false,
      maxInputImages: 0,
      sizes: fluxPro11SizeRules,
      maxPromptLength: 10_000,
    },
    price: bflPrices['flux-pro-1.1'],
    lifecycle: active,
  },
  {
    id: 'flux-pro-1.1-ultra',
    family: 'ultra',
    description:
      'Black Forest Labs FLUX 1.1 [pro] ultra: up to 4 MP by aspect ratio; `raw` for a less processed look.',
    capabilities: {
      ...base,
      generate: true,
      edit: false,
      mask: false,
      maxInputImages: 0,
      aspectRatios: bflAspectRatios,
      maxPromptLength: 10_000,
    },
    price: bflPrices['flux-pro-1.1-ultra'],
    lifecycle: active,
  },
  {
    id: 'flux-pro-1.0-fill',
    family: 'fill',
    description:
      'Black Forest Labs FLUX.1 Fill [pro]: inpaints where the mask is white (or the image transparent).',
    capabilities: {
      ...base,
      generate: false,
      edit: true,
      mask: true,
      maxInputImages: 1,
      maxPromptLength: 10_000,
    },
    price: bflPrices['flux-pro-1.0-fill'],
    lifecycle: active,
  },
];

export const defaultBflModel = 'flux-2-pro';

export function findBflModel(id: string): BflModel | undefined {
  return bflModels.find((model) => model.id === id);
}
