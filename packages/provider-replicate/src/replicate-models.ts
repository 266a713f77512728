import type { ModelCapabilities, ModelDescriptor } from '@uig/core';
import type {
  ReplicateInputMapping,
  ReplicateModelDeclaration,
  ReplicateSettings,
} from './replicate-settings.js';

/**
 * The Replicate models uig offers: a descriptor for the catalog, where each request field
 * goes in the model's input, and the version for community models. The built-in inputs
 * follow the models' pages; the wire spec captured no input schema (docs/providers/replicate.md
 * "Built-in models", unverified), so the fake accepts them and the docs say so. Replicate
 * prices per model and per second and none was captured (docs/providers/replicate.md §16): no
 * built-in price.
 */

export interface ReplicateModel {
  descriptor: ModelDescriptor;
  input: ReplicateInputMapping;
  /** Community models run by version through `POST /predictions` (docs/providers/replicate.md §10.1). */
  version?: string;
}

const fluxRatios = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'];
const commonRatios = ['1:1', '16:9', '9:16', '4:3', '3:4'];

const base: Omit<ModelCapabilities, 'generate' | 'edit' | 'maxImagesPerCall' | 'maxInputImages' | 'seed'> = {
  mask: false,
  maxImagesPerRequest: 8,
  negativePrompt: false,
  // docs/providers/replicate.md §10.2: output file URLs, removed after an hour; core downloads them at once.
  delivery: 'url',
  maxPromptLength: 10_000,
  longRunning: true,
  promptLanguage: 'en',
};

function model(
  id: string,
  description: string,
  capabilities: Partial<ModelCapabilities>,
  input: ReplicateInputMapping,
): ReplicateModel {
  return {
    descriptor: {
      id,
      description,
      capabilities: {
        ...base,
        generate: true,
        edit: false,
        maxImagesPerCall: 1,
        maxInputImages: 0,
        seed: Boolean(input.seed),
        ...capabilities,
      },
      lifecycle: { status: 'active' },
    },
    input,
  };
}

const builtInReplicateModels: readonly ReplicateModel[] = [
  model(
    'black-forest-labs/flux-schnell',
    'FLUX.1 [schnell] on Replicate: fastest FLUX, up to 4 images per prediction.',
    { maxImagesPerCall: 4, aspectRatios: fluxRatios },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio', numImages: 'num_outputs', seed: 'seed' },
  ),
  model(
    'black-forest-labs/flux-dev',
    'FLUX.1 [dev] on Replicate: up to 4 images per prediction.',
    { maxImagesPerCall: 4, aspectRatios: fluxRatios },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio', numImages: 'num_outputs', seed: 'seed' },
  ),
  model(
    'black-forest-labs/flux-1.1-pro',
    'FLUX 1.1 [pro] on Replicate.',
    { aspectRatios: ['1:1', '16:9', '3:2', '2:3', '4:5', '5:4', '9:16', '3:4', '4:3'] },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio', seed: 'seed' },
  ),
  model(
    'black-forest-labs/flux-kontext-pro',
    'FLUX.1 Kontext [pro] on Replicate: edits one image by instruction.',
    { generate: false, edit: true, maxInputImages: 1 },
    { prompt: 'prompt', image: 'input_image', seed: 'seed' },
  ),
  model(
    'ideogram-ai/ideogram-v3-turbo',
    'Ideogram 3.0 Turbo on Replicate: strong text rendering.',
    { aspectRatios: commonRatios },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio', seed: 'seed' },
  ),
  model(
    'recraft-ai/recraft-v3',
    'Recraft V3 on Replicate: illustration and design styles.',
    { aspectRatios: commonRatios },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio' },
  ),
  model(
    'bytedance/seedream-4',
    'ByteDance Seedream 4 on Replicate.',
    { aspectRatios: commonRatios },
    { prompt: 'prompt', aspectRatio: 'aspect_ratio' },
  ),
];

export const defaultReplicateModel = 'black-forest-labs/flux-schnell';

function declaredModel(declaration: ReplicateModelDeclaration): ReplicateModel {
  const { input } = declaration;
  const takesImages = Boolean(input.image || input.images);
  const pixelSize = Boolean(input.size || input.width);
  const sizes = declaration.sizes;
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
    ...(pixelSize && sizes
      ? {
          sizes: {
            custom: {
              minSide: sizes.minSide,
              maxSide: sizes.maxSide,
              multipleOf: sizes.multipleOf,
              maxPixels: sizes.maxSide * sizes.maxSide,
            },
            default: sizes.default,
          },
        }
      : {}),
    ...(input.aspectRatio && declaration.aspectRatios ? { aspectRatios: declaration.aspectRatios } : {}),
  };
  return {
    descriptor: {
      id: declaration.id,
      description: declaration.description ?? `Replicate model ${declaration.id} (configured).`,
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
    ...(declaration.version ? { version: declaration.version } : {}),
  };
}

/** Built-in models (unless `onlyDeclared`), then declared ones; a declared id replaces a built-in one. */
export function replicateModelsFor(settings: ReplicateSettings): ReplicateModel[] {
  const declared = (settings.models ?? []).map(declaredModel);
  const ids = new Set(declared.map((entry) => entry.descriptor.id));
  const builtIn = settings.onlyDeclared
    ? []
    : builtInReplicateModels.filter((entry) => !ids.has(entry.descriptor.id));
  return [...builtIn, ...declared];
}
