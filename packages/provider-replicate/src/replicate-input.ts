import { InvalidRequestError, type InputImage, type ProviderCall } from '@uig/core';
import type { ReplicateOptions } from './replicate-options.js';
import type { ReplicateInputMapping } from './replicate-settings.js';

/**
 * The model input for one call, by the model's mapping. Only the fields we have a value
 * for; the model applies its defaults to the rest. Input images go as data URLs up to
 * 256 KB (docs/providers/replicate.md §10.1), larger ones as the gateway's public URL.
 */

/** docs/providers/replicate.md §10.1: data URLs only for files up to 256 KB. */
const maxDataUrlBytes = 256 * 1024;

async function fileInput(
  call: ProviderCall,
  image: InputImage,
  param: 'image' | 'mask',
  provider: string,
): Promise<string> {
  if (image.data.byteLength <= maxDataUrlBytes)
    return `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`;
  if (!call.publicUrlFor)
    throw new InvalidRequestError(
      `${param}: ${image.data.byteLength} bytes is over the 256 KB ${provider} takes inline; set UIG_PUBLIC_URL so it can fetch the image, or send a smaller one.`,
      { provider, param, code: 'IMAGE_TOO_LARGE' },
    );
  return call.publicUrlFor(image);
}

export async function replicateInput(
  call: ProviderCall,
  input: ReplicateInputMapping,
  provider: string,
): Promise<Record<string, unknown>> {
  const options = call.providerOptions as ReplicateOptions;
  const body: Record<string, unknown> = { ...input.fixed, ...options.input, [input.prompt]: call.prompt };
  if (input.aspectRatio && call.aspectRatio) body[input.aspectRatio] = call.aspectRatio;
  if (call.size) {
    if (input.size) body[input.size] = `${call.size.width}x${call.size.height}`;
    if (input.width && input.height) {
      body[input.width] = call.size.width;
      body[input.height] = call.size.height;
    }
  }
  if (input.numImages) body[input.numImages] = call.n;
  if (input.seed && call.seed !== undefined) body[input.seed] = call.seed;
  if (input.negativePrompt && call.negativePrompt !== undefined)
    body[input.negativePrompt] = call.negativePrompt;
  if (input.image && call.images[0])
    body[input.image] = await fileInput(call, call.images[0], 'image', provider);
  if (input.images && call.images.length > 0)
    body[input.images] = await Promise.all(
      call.images.map((image) => fileInput(call, image, 'image', provider)),
    );
  if (input.mask && call.mask) body[input.mask] = await fileInput(call, call.mask, 'mask', provider);
  return body;
}
