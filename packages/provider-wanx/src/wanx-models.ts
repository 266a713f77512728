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
  // WanX and Qwen-Image follow Chinese prompts best (docs/prompt-optimization.md).
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
  // WanX and Qwen-Image follow Chinese prompts best (docs/prompt-optimization.md).
  promptLanguage: 'zh',
};

export const wanxImageEditModel = 'wanx2.1-imageedit';

const wanxTaskModels: readonly ModelDescriptor[] = [
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
      'Alibaba WanX 2.1 image editing (Beijing region only): instruction and mask edits, stylization, watermark removal, expansion, super resolution, colorization, doodles.',
    capabilities: imageEdit,
  },
];

/**
 * docs/providers/wanx.md §13.2: Qwen-Image and Wan 2.6 answer synchronously on
 * `multimodal-generation/generation` (no task, no polling); images come back as URLs
 * (24 h, unverified) that core downloads. Sizes are `W*H` like the async models.
 */
const qwenImageSizes: SizeRules = {
  allowed: ['1664x928', '1472x1104', '1328x1328', '1104x1472', '928x1664'],
  default: '1328x1328',
};
const syncCommon = {
  mask: false,
  seed: true,
  negativePrompt: true,
  delivery: 'url',
  maxPromptLength: wanxMaxPromptLength,
  promptLanguage: 'zh',
} as const;
const qwenImage: ModelCapabilities = {
  ...syncCommon,
  generate: true,
  edit: false,
  // docs/providers/wanx.md §13.2: n is fixed at 1; core makes one call per image.
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  sizes: qwenImageSizes,
};
const qwenImage2: ModelCapabilities = {
  ...qwenImage,
  // docs/providers/wanx.md §13.2: n 1–6, any size of 512²–2048² pixels in all (relay docs). The
  // per-side bounds only stop absurd sizes; the vendor states none.
  maxImagesPerCall: 6,
  maxImagesPerRequest: 6,
  sizes: {
    allowed: qwenImageSizes.allowed!,
    custom: { minSide: 256, maxSide: 4096, multipleOf: 1, minPixels: 512 * 512, maxPixels: 2048 * 2048 },
    default: '1328x1328',
  },
};
const qwenImageEdit: ModelCapabilities = {
  ...syncCommon,
  generate: false,
  edit: true,
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  // docs/providers/wanx.md §13.2: 1–3 input images (count unverified).
  maxInputImages: 3,
  // 512–2048 px per side; without a size the result keeps the last input's ratio.
  sizes: {
    custom: { minSide: 512, maxSide: 2048, multipleOf: 1, maxPixels: 2048 * 2048 },
    default: '1024x1024',
  },
};
/** docs/providers/wanx.md §13.2: n 1–4 (vendor default 4), 1280²–1440² pixels in all, ratio 1:4 to 4:1. */
const wan26TextToImage: ModelCapabilities = {
  ...syncCommon,
  generate: true,
  edit: false,
  maxImagesPerCall: 4,
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  sizes: {
    allowed: ['1280x1280'],
    custom: {
      minSide: 640,
      maxSide: 2880,
      multipleOf: 1,
      minPixels: 1280 * 1280,
      maxPixels: 1440 * 1440,
      maxAspectRatio: 4,
    },
    default: '1280x1280',
  },
};
const wan26Image: ModelCapabilities = { ...qwenImageEdit, maxInputImages: 4 };

/** Models on the synchronous protocol (docs/providers/wanx.md §13.2). */
const wanxSyncModels: readonly ModelDescriptor[] = [
  {
    id: 'qwen-image-max',
    description:
      'Alibaba Qwen-Image Max (recommended): text-to-image with strong Chinese and English text rendering.',
    capabilities: qwenImage,
  },
  {
    id: 'qwen-image-plus',
    description: 'Alibaba Qwen-Image Plus (= qwen-image): text-to-image, good text rendering.',
    capabilities: qwenImage,
    // docs/providers/wanx.md §16: ¥0.2 per image (relay-quoted, unverified); not a USD price, so none is set.
  },
  {
    id: 'qwen-image',
    description: 'Alibaba Qwen-Image (the name of qwen-image-plus).',
    capabilities: qwenImage,
  },
  {
    id: 'qwen-image-2.0',
    description: 'Alibaba Qwen-Image 2.0: text-to-image, up to 6 images per call, free sizes up to 2048².',
    capabilities: qwenImage2,
  },
  {
    id: 'qwen-image-2.0-pro',
    description:
      'Alibaba Qwen-Image 2.0 Pro: text-to-image, up to 6 images per call, free sizes up to 2048².',
    capabilities: qwenImage2,
  },
  {
    id: 'qwen-image-edit',
    description: 'Alibaba Qwen-Image Edit: instruction edits of 1–3 images, text in images.',
    capabilities: qwenImageEdit,
  },
  {
    id: 'qwen-image-edit-plus',
    description: 'Alibaba Qwen-Image Edit Plus: instruction edits of 1–3 images.',
    capabilities: qwenImageEdit,
  },
  {
    id: 'wan2.6-t2i',
    description: 'Alibaba Wan 2.6 text-to-image: up to 4 images, 1280²–1440² pixels, ratios 1:4 to 4:1.',
    capabilities: wan26TextToImage,
  },
  {
    id: 'wan2.6-image',
    description: 'Alibaba Wan 2.6 image editing: instruction edits of 1–4 images.',
    capabilities: wan26Image,
  },
];

export const isWanxSyncModel = (id: string) => wanxSyncModels.some((model) => model.id === id);

export const defaultWanxModel = 'wanx2.1-t2i-turbo';

export const wanxModels: readonly ModelDescriptor[] = [...wanxTaskModels, ...wanxSyncModels];

export function findWanxModel(id: string): ModelDescriptor | undefined {
  return wanxModels.find((model) => model.id === id);
}
