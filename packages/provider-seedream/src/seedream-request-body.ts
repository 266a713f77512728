import type { ProviderCall } from '@uig/core';
import type { SeedreamCheck } from './seedream-call-check.js';

/** The docs/providers/seedream.md §11.3 body for one call. */

const dataUri = (data: Uint8Array, mimeType: string) =>
  `data:${mimeType};base64,${Buffer.from(data).toString('base64')}`;

export function seedreamRequestBody(
  call: ProviderCall,
  checked: SeedreamCheck,
  vendorModelId: string,
): Record<string, unknown> {
  const { options } = checked;
  const body: Record<string, unknown> = {
    model: vendorModelId,
    prompt: call.prompt,
    response_format: 'url',
    // §11.3: the vendor marks images unless told not to; uig's default is no mark.
    watermark: options.watermark ?? false,
  };
  if (options.size_tier) body.size = options.size_tier;
  else if (call.size) body.size = `${call.size.width}x${call.size.height}`;
  // §11.3: one reference is a string, several an array; data URIs need no public URL.
  const images = call.images.map((image) => dataUri(image.data, image.mimeType));
  if (images.length === 1) body.image = images[0];
  else if (images.length > 1) body.image = images;
  if (options.sequential_image_generation)
    body.sequential_image_generation = options.sequential_image_generation;
  if (options.max_images != null)
    body.sequential_image_generation_options = { max_images: options.max_images };
  if (options.optimize_prompt) body.optimize_prompt_options = { mode: options.optimize_prompt };
  if (options.output_format) body.output_format = options.output_format;
  if (options.stream) body.stream = true;
  return body;
}
