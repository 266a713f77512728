import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';

/**
 * The WanX models and what each can do (docs/providers/wanx.md §4.2–docs/providers/wanx.md §4.4). Every call is an async
 * task that we poll (longRunning); results come back as URLs valid 24 h (docs/providers/wanx.md §4.6) that
 * core downloads.
 */

/** docs/providers/wanx.md §4.3: `W*H`, each side 512–1440 px, at most 2 MP (2.1 and 2.2; 2.0 is documented the same). */
export const wanxSizeRules: SizeRules = {
  custom: { minSide: 512, maxSide: 1440, multipleOf: 1, maxPixels: 2_097_152 },
  default: '1024x1024',
};

/**
 * docs/providers/wanx.md §4.3: prompts over 800 characters are silently truncated by the vendor, so core
 * refuses them (400 PROMPT_TOO_LONG) rather than let the tail vanish.
 */
export const wanxMaxPromptLength = 800;
/** docs/providers/wanx.md §4.3: negative prompts over 500 characters are truncated too; check() refuses them. */
export const wanxMaxNegativePromptLength = 500;

const textToImage: ModelCapabilities = {
  generate: true,
  edit: false,
  mask: false,
  // docs/providers/wanx.md §4.3: n is 1–4 per task; core splits a larger n.
  maxImagesPerCall: 4,
  // One task per request: docs/providers/wanx.md §4.2 allows only 2 tasks in flight per model and account.
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  sizes: wanxSizeRules,
  seed: true,
  negativePrompt: true,
  delivery: 'url',
  maxPromptLength: wanxMaxPromptLength,
  longRunning: true,
  promptLanguage: 'zh',
};

const imageEdit: ModelCapabilities = {
  generate: false,
  edit: true,
  // docs/providers/wanx.md §4.4: only description_edit_with_mask takes a mask.
  mask: true,
  maxImagesPerCall: 4,
  maxImagesPerRequest: 4,
  maxInputImages: 1,
  // docs/providers/wanx.md §4.4: no size parameter; the output follows the input (expand and super_resolution enlarge it).
  seed: true,
  negativePrompt: false,
  delivery: 'url',
  maxPromptLength: wanxMaxPromptLength,
  longRunning: true,
  promptLanguage: 'zh',
};

export const wanxImageEditModel = 'wanx2.1-imageedit';

export const wanxModels: readonly ModelDescriptor[] = [
  {
    id: 'wanx2.1-t2i-turbo',
    description: 'Alibaba WanX 2.1 text-to-image, turbo: faster. Chinese and English prompts.',
    capabilities: textToImage,
  },
  {
    id: 'wanx2.1-t2i-plus',
    description: 'Alibaba WanX 2.1 text-to-image, plus: more detail.',
    capabilities: textToImage,
  },
  {
    id: 'wanx2.0-t2i-turbo',
    description: 'Alibaba WanX 2.0 text-to-image, turbo.',
    capabilities: textToImage,
  },
  {
    id: 'wan2.2-t2i-flash',
    description: 'Alibaba Wan 2.2 text-to-image, flash: fastest.',
    capabilities: textToImage,
  },
  { id: 'wan2.2-t2i-plus', description: 'Alibaba Wan 2.2 text-to-image, plus.', capabilities: textToImage },
  {
    id: wanxImageEditModel,
    description:
      'Alibaba WanX 2.1 image editing (Beijing region only): instruction and mask edits, stylization, watermark removal, expansion, super resolution, colorization, doodles. Needs UIG_PUBLIC_URL reachable by the vendor.',
    capabilities: imageEdit,
  },
];

export const defaultWanxModel = 'wanx2.1-t2i-turbo';

export function findWanxModel(id: string): ModelDescriptor | undefined {
  return wanxModels.find((model) => model.id === id);
}
