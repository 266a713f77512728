import type { OpenAIFakeFamily } from './openai-fake-options.js';

/** The per-family rules of docs/providers/openai.md §2.3–2.5 the OpenAI fake validates against. */

// docs/providers/openai.md §2.3: sizes per family; gpt-image-2 also takes free sizes (checked in freeSizeProblem).
export const sizeLists: Record<OpenAIFakeFamily, readonly string[]> = {
  'gpt-image': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  'gpt-image-2': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
};
export const qualityLists: Record<OpenAIFakeFamily, readonly string[]> = {
  'gpt-image': ['low', 'medium', 'high', 'auto'],
  'gpt-image-2': ['low', 'medium', 'high', 'auto'],
  'dall-e-3': ['standard', 'hd', 'auto'],
  'dall-e-2': ['standard', 'auto'],
};
export const promptLimits: Record<OpenAIFakeFamily, number> = {
  'gpt-image': 32000,
  'gpt-image-2': 32000,
  'dall-e-3': 4000,
  'dall-e-2': 1000,
};
export const generationFields = new Set([
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'style',
  'response_format',
  'background',
  'output_format',
  'output_compression',
  'moderation',
  'stream',
  'partial_images',
  'user',
  'safety_identifier',
]);
// docs/providers/openai.md §2.4: no `moderation`, no `style`; images and mask are files.
export const editFields = new Set([
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'response_format',
  'background',
  'output_format',
  'output_compression',
  'input_fidelity',
  'stream',
  'partial_images',
  'user',
  'safety_identifier',
]);
export const variationFields = new Set(['model', 'n', 'size', 'response_format', 'user']);
export const gptOnlyFields = [
  'background',
  'output_format',
  'output_compression',
  'moderation',
  'stream',
  'partial_images',
  'input_fidelity',
];
export const megabytes = (count: number) => count * 1024 * 1024;

/** docs/providers/openai.md §2.3 gpt-image-2: sides %16, longest ≤ 3840, ratio ≤ 3:1, 655,360–8,294,400 px (third-party docs). */
export function freeSizeProblem(size: string): string | undefined {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return `Invalid size '${size}'`;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width % 16 !== 0 || height % 16 !== 0) return 'Both dimensions must be multiples of 16';
  if (Math.max(width, height) > 3840) return 'The longest edge must be at most 3840 pixels';
  if (Math.max(width, height) / Math.min(width, height) > 3) return 'The aspect ratio must be at most 3:1';
  if (width * height < 655_360 || width * height > 8_294_400)
    return 'The total pixel count must be between 655360 and 8294400';
  return undefined;
}

/** Output image tokens per image by quality and size (published table); other sizes scale 1024² by pixels. */
export const outputTokens: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

export interface Job {
  kind: 'generation' | 'edit' | 'variation';
  family: OpenAIFakeFamily;
  prompt: string;
  n: number;
  size: string;
  quality: string;
  background: string;
  outputFormat: string;
  responseFormat: 'url' | 'b64_json';
  stream: boolean;
  partialImages: number;
  inputImages: number;
}

export type Fields = Record<string, unknown>;
