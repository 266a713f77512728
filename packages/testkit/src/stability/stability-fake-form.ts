import { sniffImage } from '@uig/core';
import { parseMultipart } from '../multipart.js';

/**
 * Reads and checks a docs/providers/stability.md §8 multipart form as the vendor does:
 * every value is a string (§8.1); a problem is the §8.7 400 text `field: reason`.
 */

export type StabilityFakeEndpoint = 'ultra' | 'core' | 'sd3' | 'inpaint';

export interface StabilityForm {
  fields: Record<string, string>;
  images: Record<string, { width: number; height: number; data: Buffer }>;
}

const aspectRatios = ['21:9', '16:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21'];
const outputFormats = ['png', 'jpeg', 'webp'];
const stylePresets = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'line-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
  'tile-texture',
];

export function readStabilityForm(body: Buffer, contentType: string): StabilityForm | undefined {
  const parts = parseMultipart(body, contentType);
  if (!parts) return undefined;
  const form: StabilityForm = { fields: {}, images: {} };
  for (const part of parts) {
    if (part.filename !== undefined && part.data.length > 0) {
      const info = sniffImage(part.data);
      form.images[part.name] = { width: info?.width ?? 0, height: info?.height ?? 0, data: part.data };
    } else form.fields[part.name] = part.data.toString('utf8');
  }
  return form;
}

const inRange = (value: string | undefined, low: number, high: number) =>
  value === undefined || (value.trim() !== '' && Number(value) >= low && Number(value) <= high);

/** The §8.7 400 text for the first problem, or undefined. `sd3Models` lists the `model` values taken. */
export function stabilityFormProblem(
  form: StabilityForm,
  endpoint: StabilityFakeEndpoint,
  sd3Models: readonly string[],
): string | undefined {
  const { fields, images } = form;
  const prompt = fields.prompt;
  if (prompt === undefined || prompt.length === 0) return 'prompt: is required';
  if (prompt.length > 10_000) return 'prompt: must be at most 10000 characters';
  if ((fields.negative_prompt ?? '').length > 10_000)
    return 'negative_prompt: must be at most 10000 characters';
  if (!inRange(fields.seed, 0, 4_294_967_294)) return 'seed: must be between 0 and 4294967294';
  if (fields.output_format !== undefined && !outputFormats.includes(fields.output_format))
    return `output_format: must be one of ${outputFormats.join(', ')}`;
  if (fields.style_preset !== undefined && !stylePresets.includes(fields.style_preset))
    return 'style_preset: must be a known preset';
  if (fields.aspect_ratio !== undefined && !aspectRatios.includes(fields.aspect_ratio))
    return `aspect_ratio: must be one of ${aspectRatios.join(', ')}`;
  if (!inRange(fields.strength, 0, 1)) return 'strength: must be between 0 and 1';
  const image = images.image;
  if (image && (image.width < 64 || image.height < 64)) return 'image: every side must be at least 64 pixels';
  if (endpoint === 'core' && image) return 'image: is not accepted by this endpoint';
  if (endpoint === 'ultra' && image && fields.strength === undefined)
    return 'strength: is required when image is provided';
  if (endpoint === 'sd3') {
    if (fields.model !== undefined && !sd3Models.includes(fields.model))
      return `model: must be one of ${sd3Models.join(', ')}`;
    if (!inRange(fields.cfg_scale, 1, 10)) return 'cfg_scale: must be between 1 and 10';
    const mode = fields.mode ?? 'text-to-image';
    if (mode !== 'text-to-image' && mode !== 'image-to-image')
      return 'mode: must be text-to-image or image-to-image';
    if (mode === 'image-to-image') {
      if (!image) return 'image: is required for image-to-image';
      if (fields.strength === undefined) return 'strength: is required for image-to-image';
      if (fields.aspect_ratio !== undefined) return 'aspect_ratio: is not accepted for image-to-image';
    }
  }
  if (endpoint === 'inpaint') {
    if (!image) return 'image: is required';
    const pixels = image.width * image.height;
    if (pixels < 4_096 || pixels > 9_437_184) return 'image: must have between 4,096 and 9,437,184 pixels';
    if (!inRange(fields.grow_mask, 0, 100)) return 'grow_mask: must be between 0 and 100';
  }
  return undefined;
}
