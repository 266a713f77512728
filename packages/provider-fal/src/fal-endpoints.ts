import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';
import type { FalEndpointDeclaration, FalInputMapping, FalSettings } from './fal-settings.js';
import { falPrices } from './fal-prices.js';

/**
 * The fal endpoints uig offers: a model descriptor for the catalog plus where each
 * request field goes in the endpoint's input (docs/providers/fal.md §9.3). Built-in ones
 * below; the config file adds more (fal-settings.ts).
 */

export interface FalEndpoint {
  descriptor: ModelDescriptor;
  input: FalInputMapping;
}

/**
 * docs/providers/fal.md §9.3: `image_size` takes `{"width","height"}`; the vendor's bounds
 * are (unverified), so these are uig's: 256–2048 px per side, multiples of 16, at most
 * 4 MP. uig always sends a size; 1024x1024 when the request names none.
 */
const falFluxSizeRules: SizeRules = {
  custom: { minSide: 256, maxSide: 2048, multipleOf: 16, maxPixels: 2048 * 2048 },
  default: '1024x1024',
};

const fluxInput: FalInputMapping = {
  prompt: 'prompt',
  size: { field: 'image_size', format: 'object' },
  numImages: 'num_images',
  seed: 'seed',
};

const base: Omit<ModelCapabilities, 'generate' | 'edit' | 'maxImagesPerCall' | 'maxInputImages'> = {
  mask: false,
  maxImagesPerRequest: 8,
  seed: true,
  negativePrompt: false,
  // docs/providers/fal.md §9.3: CDN URLs (or data URIs with sync_mode); core downloads them.
  delivery: 'url',
  maxPromptLength: 10_000,
  longRunning: true,
  promptLanguage: 'en',
};

const builtInFalEndpoints: readonly FalEndpoint[] = [
  {
    descriptor: {
      id: 'fal-ai/flux/dev',
      description: 'FLUX.1 [dev] on fal: 12B text-to-image, up to 4 images per call.',
      // docs/providers/fal.md §9.3: num_images 1–4.
      capabilities: {
        ...base,
        generate: true,
        edit: false,
        maxImagesPerCall: 4,
        maxInputImages: 0,
        sizes: falFluxSizeRules,
      },
      // docs/providers/fal.md §16: $0.025 per megapixel, rounded up to whole megapixels.
      price: falPrices['fal-ai/flux/dev'],
      lifecycle: { status: 'active' },
    },
    input: fluxInput,
  },
  {
    descriptor: {
      id: 'fal-ai/flux/schnell',
      description: 'FLUX.1 [schnell] on fal: fastest FLUX, 1–4 steps, up to 4 images per call.',
      capabilities: {
        ...base,
        generate: true,
        edit: false,
        maxImagesPerCall: 4,
        maxInputImages: 0,
        sizes: falFluxSizeRules,
      },
      // docs/providers/fal.md §16: $0.003 per megapixel (third-party listing, unverified).
      price: falPrices['fal-ai/flux/schnell'],
      lifecycle: { status: 'active' },
    },
    input: fluxInput,
  },
  {
    descriptor: {
      id: 'fal-ai/flux-2-pro',
      description: 'FLUX.2 [pro] on fal: text-to-image, one image per call.',
      // How many images one call may ask for is (unverified): one per call, core splits n.
      capabilities: {
        ...base,
        generate: true,
        edit: false,
        maxImagesPerCall: 1,
        maxInputImages: 0,
        sizes: falFluxSizeRules,
      },
      // docs/providers/fal.md §16: $0.03 the first megapixel, $0.015 each further one (unverified).
      price: falPrices['fal-ai/flux-2-pro'],
      lifecycle: { status: 'active' },
    },
    input: { prompt: 'prompt', size: { field: 'image_size', format: 'object' }, seed: 'seed' },
  },
  {
    descriptor: {
      id: 'fal-ai/flux-pro/kontext',
      description:
        'FLUX.1 Kontext [pro] on fal: edits one image by instruction; the output follows the input.',
      capabilities: { ...base, generate: false, edit: true, maxImagesPerCall: 1, maxInputImages: 1 },
      // docs/providers/fal.md §16: $0.04 per image (third-party listing, unverified).
      price: falPrices['fal-ai/flux-pro/kontext'],
      lifecycle: { status: 'active' },
    },
    input: { prompt: 'prompt', image: 'image_url', seed: 'seed' },
  },
  {
    descriptor: {
      id: 'fal-ai/flux-2/edit',
      description: 'FLUX.2 [dev] edit on fal: edits with up to 4 reference images.',
      // docs/providers/fal.md §9.3 `image_urls[]`; the vendor's cap on references is (unverified), 4 is uig's.
      capabilities: { ...base, generate: false, edit: true, maxImagesPerCall: 1, maxInputImages: 4 },
      lifecycle: { status: 'active' },
    },
    input: { prompt: 'prompt', images: 'image_urls', seed: 'seed' },
  },
];

export const defaultFalModel = 'fal-ai/flux/dev';

function sizeRules(declared: NonNullable<FalEndpointDeclaration['sizes']>): SizeRules {
  const { allowed, minSide, maxSide, multipleOf, maxPixels } = declared;
  const hasBounds = maxSide !== undefined;
  return {
    ...(allowed ? { allowed } : {}),
    ...(hasBounds
      ? {
          custom: {
            minSide: minSide ?? 1,
            maxSide,
            multipleOf,
            maxPixels: maxPixels ?? maxSide * maxSide,
          },
        }
      : {}),
    default: declared.default,
  };
}

/** An endpoint from the config file: capabilities follow from what its input mapping can carry. */
function declaredFalEndpoint(declaration: FalEndpointDeclaration): FalEndpoint {
  const { input } = declaration;
  const takesImages = Boolean(input.image || input.images);
  const capabilities: ModelCapabilities = {
    ...base,
    generate: declaration.generate ?? !takesImages,
    edit: takesImages,
    mask: Boolean(input.mask),
    maxImagesPerCall: declaration.maxImagesPerCall,
    maxImagesPerRequest: Math.max(8, declaration.maxImagesPerCall),
    maxInputImages: input.images ? (declaration.maxInputImages ?? 4) : input.image ? 1 : 0,
    seed: Boolean(input.seed),
    negativePrompt: Boolean(input.negativePrompt),
    maxPromptLength: declaration.maxPromptLength,
    promptLanguage: declaration.promptLanguage,
    ...(input.size ? { sizes: declaration.sizes ? sizeRules(declaration.sizes) : falFluxSizeRules } : {}),
    ...(input.aspectRatio && declaration.aspectRatios ? { aspectRatios: declaration.aspectRatios } : {}),
  };
  return {
    descriptor: {
      id: declaration.id,
      description: declaration.description ?? `fal endpoint ${declaration.id} (configured).`,
      capabilities,
      ...(declaration.price
        ? {
            price: {
              readOn: declaration.price.readOn,
              source: declaration.price.source,
              perImage: [{ usd: declaration.price.usd }],
            },
          }
        : {}),
      lifecycle: { status: 'active' },
    },
    input,
  };
}

/** The endpoints a provider offers under these settings: built-in ones (unless `onlyDeclared`), then declared ones. */
export function falEndpointsFor(settings: FalSettings): FalEndpoint[] {
  const declared = (settings.endpoints ?? []).map(declaredFalEndpoint);
  const declaredIds = new Set(declared.map((endpoint) => endpoint.descriptor.id));
  const builtIn = settings.onlyDeclared
    ? []
    : builtInFalEndpoints.filter((endpoint) => !declaredIds.has(endpoint.descriptor.id));
  return [...builtIn, ...declared];
}
