import { ModelNotFoundError, type ModelCapabilities, type ModelDescriptor } from '@uig/core';

/**
 * The Gemini API image models and what each can do. Two families with different
 * wire methods: the native Gemini image models (`:generateContent`, docs/providers/gemini.md §3.3) and Imagen
 * (`:predict`, docs/providers/gemini.md §3.2). Both take aspect ratios, not pixel sizes, and answer base64.
 */

type GeminiFamily = 'native' | 'imagen';

/** What the adapter needs besides the public capabilities. */
export interface GeminiModelTraits {
  family: GeminiFamily;
  /** Values `image_size` may take (docs/providers/gemini.md §3.3 imageConfig.imageSize, docs/providers/gemini.md §3.2 sampleImageSize); empty: not a setting. */
  imageSizes: readonly string[];
  /** Native only: sends generationConfig.imageConfig (the 2.0 preview predates it). */
  imageConfig: boolean;
}

/** docs/providers/gemini.md §3.3 imageConfig.aspectRatio. */
export const geminiAspectRatios = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
] as const;
/** docs/providers/gemini.md §3.2 parameters.aspectRatio; others such as 3:2 are rejected. */
export const imagenAspectRatios = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;

const native: ModelCapabilities = {
  generate: true,
  edit: true,
  mask: false,
  // docs/providers/gemini.md §3.3: one candidate, one image; core turns n > 1 into parallel calls.
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  // The API reference gives no limit. Google's guide says 2.5 works best with up to 3
  // inputs; inline requests are capped at ~20 MB in all (docs/providers/gemini.md §3.3, unverified).
  maxInputImages: 3,
  aspectRatios: geminiAspectRatios,
  seed: false,
  negativePrompt: false,
  delivery: 'base64',
  // Prompts are text tokens in a large context; this only stops absurd inputs.
  maxPromptLength: 10_000,
};

/** gemini-3 image models take imageSize (docs/providers/gemini.md §3.3); `hd` maps to 2K, 4K is a provider option. */
const gemini3: ModelCapabilities = {
  ...native,
  qualities: ['standard', 'hd'],
  // Google's guide lists up to 14 reference images for the gemini-3 image models (not in the API reference; unverified).
  maxInputImages: 14,
};

const imagen: ModelCapabilities = {
  generate: true,
  edit: false,
  mask: false,
  // docs/providers/gemini.md §3.2: sampleCount 1–4.
  maxImagesPerCall: 4,
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  aspectRatios: imagenAspectRatios,
  // docs/providers/gemini.md §3.2: the Gemini API refuses seed and negativePrompt (the SDK throws for both) [G1].
  seed: false,
  negativePrompt: false,
  delivery: 'base64',
  // docs/providers/gemini.md §3.2: English, at most 480 tokens; about 4 characters a token.
  maxPromptLength: 2_000,
};

const imagenSized: ModelCapabilities = { ...imagen, qualities: ['standard', 'hd'] };

const lifecycleNote =
  'Deprecated: Google is shutting Imagen down on the Gemini API (docs/providers/gemini.md §3.0).';

interface Entry {
  descriptor: ModelDescriptor;
  traits: GeminiModelTraits;
}

const entry = (descriptor: ModelDescriptor, traits: GeminiModelTraits): Entry => ({ descriptor, traits });
const nativeTraits: GeminiModelTraits = { family: 'native', imageSizes: [], imageConfig: true };
const gemini3Traits: GeminiModelTraits = {
  family: 'native',
  imageSizes: ['1K', '2K', '4K'],
  imageConfig: true,
};

// Prices are Google's list prices per 1K image (approximate, not from the API reference).
const entries: readonly Entry[] = [
  entry(
    {
      id: 'gemini-2.5-flash-image',
      description:
        'Gemini 2.5 Flash Image ("Nano Banana"): generate and edit, up to 3 input images, 10 aspect ratios.',
      capabilities: native,
      costPerImageUsd: 0.039,
    },
    nativeTraits,
  ),
  entry(
    {
      id: 'gemini-3-pro-image-preview',
      description:
        'Gemini 3 Pro Image (preview): generate and edit, 1K/2K/4K output (quality hd = 2K; provider option image_size for 4K).',
      capabilities: gemini3,
      costPerImageUsd: 0.134,
    },
    gemini3Traits,
  ),
  entry(
    {
      id: 'gemini-3-pro-image',
      description: 'Gemini 3 Pro Image: generate and edit, 1K/2K/4K output.',
      capabilities: gemini3,
      costPerImageUsd: 0.134,
    },
    gemini3Traits,
  ),
  entry(
    {
      id: 'gemini-3.1-flash-image-preview',
      description: 'Gemini 3.1 Flash Image (preview): generate and edit, 1K/2K/4K output.',
      capabilities: gemini3,
    },
    gemini3Traits,
  ),
  entry(
    {
      id: 'gemini-3.1-flash-image',
      description: 'Gemini 3.1 Flash Image: generate and edit, 1K/2K/4K output.',
      capabilities: gemini3,
    },
    gemini3Traits,
  ),
  // docs/providers/gemini.md §3.0: both shut down upstream; kept for compatible upstreams and old configs.
  entry(
    {
      id: 'gemini-2.5-flash-image-preview',
      description:
        'Gemini 2.5 Flash Image preview. Deprecated: shut down upstream (docs/providers/gemini.md §3.0).',
      capabilities: native,
      deprecated: true,
    },
    nativeTraits,
  ),
  entry(
    {
      id: 'gemini-2.0-flash-preview-image-generation',
      description:
        'Gemini 2.0 Flash image generation preview: square output only. Deprecated: shut down upstream (docs/providers/gemini.md §3.0).',
      // It predates imageConfig, so it cannot be asked for a ratio; its images are square.
      capabilities: { ...native, aspectRatios: ['1:1'] },
      deprecated: true,
    },
    { family: 'native', imageSizes: [], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-4.0-generate-001',
      description: `Imagen 4: up to 4 images per call, 1K/2K (quality hd = 2K). ${lifecycleNote}`,
      capabilities: imagenSized,
      costPerImageUsd: 0.04,
      deprecated: true,
    },
    { family: 'imagen', imageSizes: ['1K', '2K'], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-4.0-ultra-generate-001',
      description: `Imagen 4 Ultra: up to 4 images per call, 1K/2K. ${lifecycleNote}`,
      capabilities: imagenSized,
      costPerImageUsd: 0.06,
      deprecated: true,
    },
    { family: 'imagen', imageSizes: ['1K', '2K'], imageConfig: false },
  ),
  // docs/providers/gemini.md §3.2: sampleImageSize is for Standard and Ultra only, not Fast.
  entry(
    {
      id: 'imagen-4.0-fast-generate-001',
      description: `Imagen 4 Fast: up to 4 images per call, 1K only. ${lifecycleNote}`,
      capabilities: imagen,
      costPerImageUsd: 0.02,
      deprecated: true,
    },
    { family: 'imagen', imageSizes: [], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-3.0-generate-002',
      description: `Imagen 3: up to 4 images per call. ${lifecycleNote}`,
      capabilities: imagen,
      costPerImageUsd: 0.03,
      deprecated: true,
    },
    { family: 'imagen', imageSizes: [], imageConfig: false },
  ),
];

export const geminiModels: readonly ModelDescriptor[] = entries.map((item) => item.descriptor);

export const defaultGeminiModel = 'gemini-2.5-flash-image';

export function geminiModelTraits(model: string, provider: string): GeminiModelTraits {
  const found = entries.find((item) => item.descriptor.id === model);
  if (!found) throw new ModelNotFoundError(`${provider} has no model "${model}".`, { provider });
  return found.traits;
}
