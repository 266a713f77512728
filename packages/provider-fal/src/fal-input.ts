import type { InputImage, ProviderCall } from '@uig/core';
import { type FalOptions, falInputOptions } from './fal-options.js';
import type { FalInputMapping } from './fal-settings.js';

/**
 * The endpoint input for one call, by the endpoint's mapping (docs/providers/fal.md §9.3). Only the
 * fields we have a value for; the vendor applies its defaults to the rest. Input images go
 * as data URIs, which fal takes wherever it takes a URL (docs/providers/fal.md §9.3).
 */

const dataUri = (image: InputImage) =>
  `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`;

export function falInput(call: ProviderCall, input: FalInputMapping): Record<string, unknown> {
  const body: Record<string, unknown> = { ...input.fixed, [input.prompt]: call.prompt };
  if (input.size && call.size) {
    const { width, height } = call.size;
    body[input.size.field] = input.size.format === 'object' ? { width, height } : `${width}x${height}`;
  }
  if (input.aspectRatio && call.aspectRatio) body[input.aspectRatio] = call.aspectRatio;
  if (input.numImages) body[input.numImages] = call.n;
  if (input.seed && call.seed !== undefined) body[input.seed] = call.seed;
  if (input.negativePrompt && call.negativePrompt !== undefined)
    body[input.negativePrompt] = call.negativePrompt;
  if (input.image && call.images[0]) body[input.image] = dataUri(call.images[0]);
  if (input.images && call.images.length > 0) body[input.images] = call.images.map(dataUri);
  if (input.mask && call.mask) body[input.mask] = dataUri(call.mask);
  const options = call.providerOptions as FalOptions;
  for (const name of falInputOptions) {
    const value = options[name];
    if (value != null) body[name] = value;
  }
  return body;
}

/** docs/providers/fal.md §9.2 request headers from the options. */
export function falQueueHeaders(options: FalOptions): Record<string, string> {
  return {
    ...(options.priority ? { 'x-fal-queue-priority': options.priority } : {}),
    ...(options.start_timeout_seconds
      ? { 'x-fal-request-timeout': String(options.start_timeout_seconds) }
      : {}),
  };
}
