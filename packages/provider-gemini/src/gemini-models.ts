import {
  ModelNotFoundError,
  type SizeTier,
  type ModelCapabilities,
  type ModelDescriptor,
  type ModelLifecycle,
} from '@uig/core';
import { geminiPrices } from './gemini-prices.js';

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

/**
 * Output resolutions (docs/providers/gemini.md §3.3, §15 `imageSize`): each tier's 1:1 image is
 * its nominal side squared, and its other ratios have about as many pixels.
 */
const tier512: SizeTier = { name: '512', side: 512 };
const tier1K: SizeTier = { name: '1K', side: 1024 };
const tier2K: SizeTier = { name: '2K', side: 2048 };
const tier4K: SizeTier = { name: '4K', side: 4096 };

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
  // docs/providers/gemini.md §3.3: 2.5 Flash Image takes no imageSize; it makes about 1 MP (1024x1024 at 1:1).
  sizeTiers: [tier1K],
  seed: false,
  negativePrompt: false,
  delivery: 'base64',
  // Prompts are text tokens in a large context; this only stops absurd inputs.
  maxPromptLength: 10_000,
  promptLanguage: 'en',
};

/** gemini-3 image models take imageSize (docs/providers/gemini.md §3.3); `hd` maps to 2K, 4K is a provider option. */
const gemini3: ModelCapabilities = {
  ...native,
  qualities: ['standard', 'hd'],
  sizeTiers: [tier1K, tier2K, tier4K],
  // Google's guide lists up to 14 reference images for the gemini-3 image models (not in the API reference; unverified).
  maxInputImages: 14,
};

/** docs/providers/gemini.md §15: imageConfig now also takes 1:4, 4:1, 1:8 and 8:1 (3.1 Flash; unverified for others). */
const gemini31AspectRatios = [...geminiAspectRatios, '1:4', '4:1', '1:8', '8:1'] as const;
/** docs/providers/gemini.md §15: 3.1 Flash also takes the 512 tier. */
const gemini31: ModelCapabilities = {
  ...gemini3,
  aspectRatios: gemini31AspectRatios,
  sizeTiers: [tier512, tier1K, tier2K, tier4K],
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
  // docs/providers/gemini.md §3.2: sampleImageSize 1K (default); Fast and Imagen 3 have only that.
  sizeTiers: [tier1K],
  // docs/providers/gemini.md §3.2: the Gemini API refuses seed and negativePrompt (the SDK throws for both) [G1].
  seed: false,
  negativePrompt: false,
  delivery: 'base64',
  // docs/providers/gemini.md §3.2: English, at most 480 tokens; about 4 characters a token.
  maxPromptLength: 2_000,
  promptLanguage: 'en',
};

const imagenSized: ModelCapabilities = {
  ...imagen,
  qualities: ['standard', 'hd'],
  sizeTiers: [tier1K, tier2K],
};

const lifecycleNote = 'Retired: Google shut Imagen down on the Gemini API (docs/providers/gemini.md §15).';

/** docs/providers/gemini.md §15: Imagen's endpoints on the Gemini API were cut 2026-08-17 and answer 404. */
const imagenRetired: ModelLifecycle = {
  status: 'retired',
  shutdownDate: '2026-08-17',
  replacement: 'gemini-3.1-flash-image',
};

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
/** docs/providers/gemini.md §15: 3.1 Flash also takes the 512 tier. */
const gemini31Traits: GeminiModelTraits = { ...gemini3Traits, imageSizes: ['512', '1K', '2K', '4K'] };

const entries: readonly Entry[] = [
  entry(
    {
      id: 'gemini-2.5-flash-image',
      description:
        'Gemini 2.5 Flash Image ("Nano Banana"): generate and edit, up to 3 input images, 10 aspect ratios.',
      capabilities: native,
      price: geminiPrices['gemini-2.5-flash-image'],
    },
    nativeTraits,
  ),
  entry(
    {
      id: 'gemini-3-pro-image-preview',
      description:
        'Gemini 3 Pro Image (preview): generate and edit, 1K/2K/4K output (quality hd = 2K; provider option image_size for 4K).',
      capabilities: gemini3,
    },
    gemini3Traits,
  ),
  entry(
    {
      id: 'gemini-3-pro-image',
      description: 'Gemini 3 Pro Image: generate and edit, 1K/2K/4K output.',
      capabilities: gemini3,
    },
    gemini3Traits,
  ),
  entry(
    {
      id: 'gemini-3.1-flash-image-preview',
      description: 'Gemini 3.1 Flash Image (preview): generate and edit, 512/1K/2K/4K output.',
      capabilities: gemini31,
      price: geminiPrices['gemini-3.1-flash-image'],
    },
    gemini31Traits,
  ),
  entry(
    {
      id: 'gemini-3.1-flash-image',
      description: 'Gemini 3.1 Flash Image: generate and edit, 512/1K/2K/4K output, ratios up to 8:1.',
      capabilities: gemini31,
      price: geminiPrices['gemini-3.1-flash-image'],
    },
    gemini31Traits,
  ),
  // docs/providers/gemini.md §3.0: both shut down upstream; kept for compatible upstreams and old configs.
  entry(
    {
      id: 'gemini-2.5-flash-image-preview',
      description:
        'Gemini 2.5 Flash Image preview. Retired: shut down upstream (docs/providers/gemini.md §3.0).',
      capabilities: native,
      lifecycle: { status: 'retired', shutdownDate: '2026-01-15', replacement: 'gemini-2.5-flash-image' },
    },
    nativeTraits,
  ),
  entry(
    {
      id: 'gemini-2.0-flash-preview-image-generation',
      description:
        'Gemini 2.0 Flash image generation preview: square output only. Retired: shut down upstream (docs/providers/gemini.md §3.0).',
      // It predates imageConfig, so it cannot be asked for a ratio; its images are square.
      capabilities: { ...native, aspectRatios: ['1:1'] },
      lifecycle: { status: 'retired', replacement: 'gemini-2.5-flash-image' },
    },
    { family: 'native', imageSizes: [], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-4.0-generate-001',
      description: `Imagen 4: up to 4 images per call, 1K/2K (quality hd = 2K). ${lifecycleNote}`,
      capabilities: imagenSized,
      lifecycle: imagenRetired,
    },
    { family: 'imagen', imageSizes: ['1K', '2K'], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-4.0-ultra-generate-001',
      description: `Imagen 4 Ultra: up to 4 images per call, 1K/2K. ${lifecycleNote}`,
      capabilities: imagenSized,
      lifecycle: imagenRetired,
    },
    { family: 'imagen', imageSizes: ['1K', '2K'], imageConfig: false },
  ),
  // docs/providers/gemini.md §3.2: sampleImageSize is for Standard and Ultra only, not Fast.
  entry(
    {
      id: 'imagen-4.0-fast-generate-001',
      description: `Imagen 4 Fast: up to 4 images per call, 1K only. ${lifecycleNote}`,
      capabilities: imagen,
      lifecycle: imagenRetired,
    },
    { family: 'imagen', imageSizes: [], imageConfig: false },
  ),
  entry(
    {
      id: 'imagen-3.0-generate-002',
      description: `Imagen 3: up to 4 images per call. ${lifecycleNote}`,
      capabilities: imagen,
      lifecycle: imagenRetired,
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
