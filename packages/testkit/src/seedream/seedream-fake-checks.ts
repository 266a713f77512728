import { seedreamFakeModels } from './seedream-fake-catalog.js';

/**
 * The docs/providers/seedream.md §11.3 body rules; a problem is the text of a 400
 * InvalidParameter. Returns the pixel size the fake answers with.
 */

type Body = Record<string, unknown>;

/** §11.3: 2K presets (relay tables disagree; these are the fake's). */
const tierSizes: Record<string, string> = {
  '1K': '1024x1024',
  '2K': '2048x2048',
  '3K': '3072x3072',
  '4K': '4096x4096',
};

export function seedreamModelId(model: unknown): string | undefined {
  if (typeof model !== 'string') return undefined;
  const bare = model.replace(/^doubao-/, '');
  return (seedreamFakeModels as readonly string[]).includes(bare) ? bare : undefined;
}

function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string') return 'image must be a URL or a data URI string';
  if (/^https?:\/\//.test(image)) return undefined;
  const match = /^data:image\/(png|jpeg|jpg|webp|bmp|tiff|gif);base64,(.+)$/i.exec(image);
  if (!match) return 'image must be a URL or a data URI (data:image/<format>;base64,...)';
  if (Buffer.from(match[2]!, 'base64').length > 10 * 1024 * 1024) return 'image must be at most 10 MB';
  return undefined;
}

export function seedreamBodyProblem(
  body: Body,
  model: string,
): { problem: string } | { size: string; images: number } {
  if (typeof body.prompt !== 'string' || body.prompt === '') return { problem: 'prompt is required' };
  const images = body.image === undefined ? [] : Array.isArray(body.image) ? body.image : [body.image];
  if (images.length > 14) return { problem: 'image supports at most 14 reference images' };
  for (const image of images) {
    const problem = imageProblem(image);
    if (problem) return { problem };
  }
  let size = '2048x2048';
  if (body.size !== undefined) {
    const text = String(body.size);
    const tier = tierSizes[text];
    if (tier) {
      if (model === 'seedream-4-5-251128' && (text === '1K' || text === '3K'))
        return { problem: `size ${text} is not supported by this model` };
      size = tier;
    } else {
      const match = /^(\d+)x(\d+)$/.exec(text);
      if (!match) return { problem: 'size must be 1K, 2K, 4K or WIDTHxHEIGHT' };
      const width = Number(match[1]);
      const height = Number(match[2]);
      const pixels = width * height;
      if (pixels < 921_600 || pixels > 16_777_216)
        return { problem: 'size total pixels must be within [1280x720, 4096x4096]' };
      if (Math.max(width, height) / Math.min(width, height) > 16)
        return { problem: 'size aspect ratio must be within [1/16, 16]' };
      size = text;
    }
  }
  const mode = body.sequential_image_generation;
  if (mode !== undefined && mode !== 'auto' && mode !== 'disabled')
    return { problem: 'sequential_image_generation must be auto or disabled' };
  const options = body.sequential_image_generation_options as { max_images?: unknown } | undefined;
  if (options !== undefined) {
    const max = options.max_images;
    if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 15)
      return { problem: 'sequential_image_generation_options.max_images must be in [1, 15]' };
    if (images.length + (max as number) > 15)
      return { problem: 'the number of reference images plus max_images must be at most 15' };
  }
  if (
    body.response_format !== undefined &&
    body.response_format !== 'url' &&
    body.response_format !== 'b64_json'
  )
    return { problem: 'response_format must be url or b64_json' };
  if (body.watermark !== undefined && typeof body.watermark !== 'boolean')
    return { problem: 'watermark must be a boolean' };
  if (body.output_format !== undefined && !model.startsWith('seedream-5-0'))
    return { problem: 'output_format is only supported by seedream 5.0 models' };
  return { size, images: images.length };
}
