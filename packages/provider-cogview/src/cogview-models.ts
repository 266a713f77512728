import type { ModelCapabilities, ModelDescriptor, SizeRules } from '@uig/core';
import { cogviewPrices } from './cogview-prices.js';

/**
 * The CogView models and what each can do (docs/providers/cogview.md §1.3, docs/providers/cogview.md §1.4). All of them
 * generate only, one image per call; core splits a larger n into several calls.
 */

/** docs/providers/cogview.md §1.3: recommended sizes, and custom sizes 512–2048 px per side, multiples of 16, ≤ 2^21 px. */
export const cogviewSizeRules: SizeRules = {
  allowed: ['1024x1024', '768x1344', '864x1152', '1344x768', '1152x864', '1440x720', '720x1440'],
  custom: { minSide: 512, maxSide: 2048, multipleOf: 16, maxPixels: 2 ** 21 },
  default: '1024x1024',
};

/** docs/providers/cogview.md §1.3: glm-image has its own list, and custom sizes 1024–2048 px, multiples of 32, ≤ 2^22 px. */
export const glmImageSizeRules: SizeRules = {
  allowed: ['1280x1280', '1568x1056', '1056x1568', '1472x1088', '1088x1472', '1728x960', '960x1728'],
  custom: { minSide: 1024, maxSide: 2048, multipleOf: 32, maxPixels: 2 ** 22 },
  default: '1280x1280',
};

/**
 * The vendor documents no prompt limit (docs/providers/cogview.md §1.3, unverified). The open CogView4 weights
 * take 1024 tokens, and a Chinese character is about one token, so 1000 characters
 * always fits; the vendor rejects anything longer itself if it must.
 */
const maxPromptLength = 1000;

const common: Omit<ModelCapabilities, 'sizes' | 'qualities'> = {
  generate: true,
  edit: false,
  mask: false,
  // docs/providers/cogview.md §1.4: `data` always holds exactly one image, whatever n is.
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  seed: false,
  negativePrompt: false,
  // docs/providers/cogview.md §1.4: a temporary URL, valid 30 days; core downloads it.
  delivery: 'url',
  maxPromptLength,
  // CogView is trained for Chinese prompts (docs/prompt-optimization.md).
  promptLanguage: 'zh',
};

const cogview = (id: string, description: string, extra: Partial<ModelDescriptor> = {}): ModelDescriptor => ({
  id,
  description,
  // docs/providers/cogview.md §1.3: `standard` (~5–10 s) is the default; `hd` (~20 s) gives more detail.
  capabilities: { ...common, sizes: cogviewSizeRules, qualities: ['standard', 'hd'] },
  ...extra,
});

export const cogviewModels: readonly ModelDescriptor[] = [
  cogview(
    'cogview-4-250304',
    'Zhipu CogView-4 (2025-03-04 snapshot): Chinese and English prompts, text in images.',
  ),
  cogview('cogview-4', 'Zhipu CogView-4: Chinese and English prompts, text in images.'),
  cogview('cogview-3-flash', 'Zhipu CogView-3-Flash: free, fast.', {
    price: cogviewPrices['cogview-3-flash'],
  }),
  // docs/providers/cogview.md §1.3: only the older doc lists it, the current enum does not; no date announced.
  cogview('cogview-3-plus', "Zhipu CogView-3-Plus (older; no longer in the vendor's model list).", {
    lifecycle: { status: 'deprecated', replacement: 'cogview-4-250304' },
  }),
  {
    id: 'glm-image',
    description:
      "Zhipu GLM-Image, Zhipu's flagship image model: async task, hd only, up to 2048 px per side, strong text rendering; slower than CogView.",
    // docs/providers/cogview.md §1.3: glm-image defaults to and only supports `hd`; docs/providers/cogview.md §1.5: async task that we poll.
    capabilities: { ...common, sizes: glmImageSizeRules, qualities: ['hd'], longRunning: true },
    price: cogviewPrices['glm-image'],
  },
];

export const defaultCogviewModel = 'cogview-4-250304';

/** docs/providers/cogview.md §1.5: only glm-image goes through the async endpoint. */
export const asyncModels: ReadonlySet<string> = new Set(['glm-image']);

export function findCogviewModel(id: string): ModelDescriptor | undefined {
  return cogviewModels.find((model) => model.id === id);
}
