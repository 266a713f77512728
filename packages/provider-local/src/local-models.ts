import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';
import { localPrices } from './local-prices.js';
import type { PlaceholderStyle } from './placeholder-painter.js';

/**
 * The local models. Their names and descriptions say plainly that they draw
 * placeholders: nobody should mistake this for a generative model.
 */

/**
 * Any size from 64 to 2048 per side up to 4 MP (2048x2048), no multiple imposed:
 * a placeholder can match whatever layout it stands in for. The list is the sizes
 * the vendor models use most, offered as suggestions.
 */
export const localSizeRules: SizeRules = {
  allowed: [
    '256x256',
    '512x512',
    '1024x1024',
    '1536x1024',
    '1024x1536',
    '1792x1024',
    '1024x1792',
    '1280x720',
    '720x1280',
    '2048x2048',
  ],
  custom: { minSide: 64, maxSide: 2048, multipleOf: 1, maxPixels: 2048 * 2048 },
  default: '1024x1024',
};

const capabilities: ModelCapabilities = {
  generate: true,
  edit: true,
  mask: true,
  maxImagesPerCall: 4,
  maxImagesPerRequest: 10,
  // An edit is derived from one picture; more would be silently ignored, so core refuses them.
  maxInputImages: 1,
  sizes: localSizeRules,
  seed: true,
  // The renderer has no use for a negative prompt; false makes core warn instead of dropping it silently.
  negativePrompt: false,
  delivery: 'bytes',
  maxPromptLength: 32_000,
  // It draws placeholders from the prompt's text, whatever its language.
  promptLanguage: 'any',
  // Variations derived from the input image (image-variation.ts), as OpenAI's /images/variations.
  variation: true,
};

export const localModels: readonly ModelDescriptor[] = [
  {
    id: 'placeholder',
    description:
      'Offline procedural placeholder, not a generative model: soft gradients and glows coloured by a hash of the prompt, deterministic per prompt and seed. Free, instant, needs no key.',
    capabilities,
    price: localPrices.placeholder,
  },
  {
    id: 'placeholder-blocks',
    description:
      'Offline procedural placeholder, not a generative model: geometric panels coloured by a hash of the prompt, deterministic per prompt and seed. Free, instant, needs no key.',
    capabilities,
    price: localPrices.placeholder,
  },
];

export const defaultLocalModel = 'placeholder';

/** Which look each model draws. Kept apart from the descriptors, which are public. */
export const localModelStyles: Readonly<Record<string, PlaceholderStyle>> = {
  placeholder: 'gradient',
  'placeholder-blocks': 'blocks',
};
