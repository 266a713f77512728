import type { ModelCapabilities, ModelDescriptor, ModelLifecycle, ModelPrice, SizeRules } from '@uig/core';
import { openaiPrices } from './openai-prices.js';

/**
 * The OpenAI image models and the rules each follows (docs/providers/openai.md §2.2–2.4). Models
 * fall into four rule families; an OpenAI-compatible server declares which family
 * each of its models follows (openai-settings.ts).
 */

export type OpenAIModelFamily = 'gpt-image' | 'gpt-image-2' | 'dall-e-3' | 'dall-e-2';

/** A model with the rules check() needs beyond the generic capabilities. */
export interface OpenAIModel {
  descriptor: ModelDescriptor;
  family: OpenAIModelFamily;
  /** docs/providers/openai.md §2.4: `input_fidelity` is for GPT-image edits, but not gpt-image-1-mini. */
  inputFidelity: boolean;
  /** Azure: the deployment serving this model (`<baseURL>/deployments/<name>`). */
  deployment?: string;
}

export const isGptImage = (family: OpenAIModelFamily) => family === 'gpt-image' || family === 'gpt-image-2';

/** docs/providers/openai.md §2.3: GPT image takes three sizes (and `auto`, which core never sends: it resolves a size). */
const gptImageSizes: SizeRules = { allowed: ['1024x1024', '1536x1024', '1024x1536'], default: '1024x1024' };

/**
 * docs/providers/openai.md §2.3 gpt-image-2: any WxH with both sides multiples of 16, ratio at most 3:1, at
 * most 3840x2160. The published rule (third-party copies of OpenAI's guide) is:
 * longest edge ≤ 3840, total pixels 655,360–8,294,400 (= 3840x2160). So a square
 * may go to 2880x2880, and 3840x2400 is refused by the pixel cap. The shortest side
 * any valid size can have is 480 (480x1440); the pixel floor, which core's rules
 * cannot say, is checked in check() (gptImage2MinPixels).
 */
const gptImage2Sizes: SizeRules = {
  allowed: [
    '1024x1024',
    '1536x1024',
    '1024x1536',
    '2048x2048',
    '2048x1152',
    '1152x2048',
    '3840x2160',
    '2160x3840',
  ],
  custom: { minSide: 480, maxSide: 3840, multipleOf: 16, maxPixels: 3840 * 2160, maxAspectRatio: 3 },
  default: '1024x1024',
};
export const gptImage2MinPixels = 655_360;

export const familyCapabilities: Record<OpenAIModelFamily, ModelCapabilities> = {
  'gpt-image': {
    generate: true,
    edit: true,
    mask: true,
    // docs/providers/openai.md §2.3: n 1–10 in one call.
    maxImagesPerCall: 10,
    maxImagesPerRequest: 10,
    // docs/providers/openai.md §2.4: up to 16 input images.
    maxInputImages: 16,
    sizes: gptImageSizes,
    seed: false,
    negativePrompt: false,
    // docs/providers/openai.md §2.3: low|medium|high|auto (auto is what core sends as "no quality").
    qualities: ['low', 'medium', 'high'],
    // docs/providers/openai.md §2.3: GPT image always answers b64.
    delivery: 'base64',
    maxPromptLength: 32000,
    promptLanguage: 'en',
    // docs/providers/openai.md §2.7.
    streaming: true,
  },
  'gpt-image-2': {
    generate: true,
    edit: true,
    mask: true,
    maxImagesPerCall: 10,
    maxImagesPerRequest: 10,
    maxInputImages: 16,
    sizes: gptImage2Sizes,
    seed: false,
    negativePrompt: false,
    qualities: ['low', 'medium', 'high'],
    delivery: 'base64',
    maxPromptLength: 32000,
    promptLanguage: 'en',
    streaming: true,
  },
  'dall-e-3': {
    generate: true,
    // docs/providers/openai.md §2.4: edits take dall-e-2 and GPT image only.
    edit: false,
    mask: false,
    // docs/providers/openai.md §2.3: dall-e-3 only n=1; core makes one call per image.
    maxImagesPerCall: 1,
    maxImagesPerRequest: 10,
    maxInputImages: 0,
    sizes: { allowed: ['1024x1024', '1792x1024', '1024x1792'], default: '1024x1024' },
    seed: false,
    negativePrompt: false,
    qualities: ['standard', 'hd'],
    // We ask for b64_json (openai-settings.ts `dalleResponseFormat`).
    delivery: 'base64',
    maxPromptLength: 4000,
    promptLanguage: 'en',
  },
  'dall-e-2': {
    generate: true,
    edit: true,
    mask: true,
    maxImagesPerCall: 10,
    maxImagesPerRequest: 10,
    // docs/providers/openai.md §2.4: one square PNG.
    maxInputImages: 1,
    sizes: { allowed: ['256x256', '512x512', '1024x1024'], default: '1024x1024' },
    seed: false,
    negativePrompt: false,
    qualities: ['standard'],
    delivery: 'base64',
    maxPromptLength: 1000,
    promptLanguage: 'en',
    // docs/providers/openai.md §2.5: /images/variations takes dall-e-2 only.
    variation: true,
  },
};

interface BuiltIn {
  id: string;
  family: OpenAIModelFamily;
  description: string;
  inputFidelity?: boolean;
  price?: ModelPrice;
  lifecycle?: ModelLifecycle;
}

// docs/providers/openai.md §15 (lifecycle): DALL·E 2/3 shut down 2026-05-12; gpt-image-1.5 and
// gpt-image-1-mini shut down 2026-12-01. A price we could not trace to a dated page is left out.
const dalleRetired: ModelLifecycle = {
  status: 'retired',
  shutdownDate: '2026-05-12',
  replacement: 'gpt-image-2',
};
const builtIns: BuiltIn[] = [
  {
    id: 'gpt-image-1',
    family: 'gpt-image',
    description: 'OpenAI GPT Image 1: generation and multi-image edits with masks, transparent backgrounds.',
    price: openaiPrices['gpt-image-1'],
  },
  {
    id: 'gpt-image-1-mini',
    family: 'gpt-image',
    description: 'OpenAI GPT Image 1 Mini: the cheapest GPT-image model (shuts down 2026-12-01).',
    inputFidelity: false,
    lifecycle: { status: 'deprecated', shutdownDate: '2026-12-01', replacement: 'gpt-image-2' },
  },
  {
    id: 'gpt-image-1.5',
    family: 'gpt-image',
    description: 'OpenAI GPT Image 1.5: faster and cheaper than GPT Image 1 (shuts down 2026-12-01).',
    lifecycle: { status: 'deprecated', shutdownDate: '2026-12-01', replacement: 'gpt-image-2' },
  },
  {
    id: 'gpt-image-2',
    family: 'gpt-image-2',
    description: 'OpenAI GPT Image 2: free sizes up to 3840x2160 (sides multiples of 16, ratio up to 3:1).',
    price: openaiPrices['gpt-image-2'],
  },
  {
    id: 'gpt-image-2-2026-04-21',
    family: 'gpt-image-2',
    description: 'OpenAI GPT Image 2, the 2026-04-21 snapshot.',
    price: openaiPrices['gpt-image-2'],
  },
  {
    id: 'chatgpt-image-latest',
    family: 'gpt-image',
    description: 'The image model ChatGPT currently uses (a moving alias).',
  },
  {
    id: 'dall-e-3',
    family: 'dall-e-3',
    description:
      'OpenAI DALL·E 3: one image per call, revised prompts, vivid or natural style (shut down by OpenAI 2026-05-12).',
    lifecycle: dalleRetired,
  },
  {
    id: 'dall-e-2',
    family: 'dall-e-2',
    description: 'OpenAI DALL·E 2: small sizes, square PNG edits (shut down by OpenAI 2026-05-12).',
    lifecycle: dalleRetired,
  },
];

export const defaultOpenAIModel = 'gpt-image-1';

function builtInModel(id: string): BuiltIn | undefined {
  return builtIns.find((model) => model.id === id);
}

export interface ModelDeclaration {
  id: string;
  family?: OpenAIModelFamily | undefined;
  description?: string | undefined;
  deployment?: string | undefined;
  costPerImageUsd?: number | undefined;
  /** Replaces the family's allowed sizes (a compatible server with its own list). */
  sizes?: readonly string[] | undefined;
  delivery?: 'base64' | 'url' | undefined;
}

/** A price from the config file (`costPerImageUsd` of a declared model), dated the day it was loaded. */
function configuredPrice(usd: number): ModelPrice {
  return {
    readOn: new Date().toISOString().slice(0, 10),
    source: 'configuration (providers.<id>.options.models[].costPerImageUsd)',
    perImage: [{ usd }],
  };
}

/**
 * The models a provider offers: the built-in list, or the declared one (a known id
 * keeps its built-in rules unless the declaration names another family).
 */
export function openaiModels(
  declarations: readonly ModelDeclaration[] | undefined,
  dalleDelivery: 'base64' | 'url',
): OpenAIModel[] {
  const entries: readonly ModelDeclaration[] = declarations ?? builtIns.map((model) => ({ id: model.id }));
  return entries.map((declaration) => {
    const known = builtInModel(declaration.id);
    const family = declaration.family ?? known?.family ?? 'gpt-image';
    const base = familyCapabilities[family];
    const sizes = declaration.sizes
      ? { allowed: declaration.sizes, default: declaration.sizes[0]! }
      : base.sizes;
    const delivery = declaration.delivery ?? (isGptImage(family) ? 'base64' : dalleDelivery);
    const sameFamily = known?.family === family;
    const price =
      declaration.costPerImageUsd !== undefined
        ? configuredPrice(declaration.costPerImageUsd)
        : sameFamily
          ? known?.price
          : undefined;
    const descriptor: ModelDescriptor = {
      id: declaration.id,
      description:
        declaration.description ??
        (sameFamily ? known!.description : `${declaration.id} (follows ${family} rules).`),
      capabilities: { ...base, ...(sizes ? { sizes } : {}), delivery },
      ...(price ? { price } : {}),
      // A retirement date is OpenAI's; a compatible server naming the same id is its own matter.
      ...(declarations === undefined && known?.lifecycle ? { lifecycle: known.lifecycle } : {}),
    };
    return {
      descriptor,
      family,
      inputFidelity: isGptImage(family) && (sameFamily ? known?.inputFidelity !== false : true),
      ...(declaration.deployment ? { deployment: declaration.deployment } : {}),
    };
  });
}
