import type { InputImage, ProviderCall } from '@uig/core';
import type { StabilityCheck } from './stability-call-check.js';

/**
 * The docs/providers/stability.md §8.2–§8.5 multipart form for one call. Every value is a
 * string; the form is multipart even with no file (§8.1), which FormData always is.
 */

const extension: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

const file = (image: InputImage) => new Blob([Buffer.from(image.data)], { type: image.mimeType });

export function stabilityForm(call: ProviderCall, checked: StabilityCheck): FormData {
  const form = new FormData();
  form.set('prompt', call.prompt);
  if (call.negativePrompt) form.set('negative_prompt', call.negativePrompt);
  // docs/providers/stability.md §8.2: seeds 0–4294967294 (0 is random); others are the vendor's 400.
  if (call.seed !== undefined) form.set('seed', String(call.seed));
  if (checked.sendAspectRatio && call.aspectRatio) form.set('aspect_ratio', call.aspectRatio);
  if (checked.model.endpoint === 'sd3') {
    form.set('model', checked.model.id);
    form.set('mode', call.images.length > 0 ? 'image-to-image' : 'text-to-image');
  }
  const [image] = call.images;
  if (image) form.set('image', file(image), `image.${extension[image.mimeType] ?? 'png'}`);
  if (call.mask) form.set('mask', file(call.mask), `mask.${extension[call.mask.mimeType] ?? 'png'}`);
  for (const [name, value] of Object.entries(checked.options)) {
    if (value !== undefined && value !== null) form.set(name, String(value));
  }
  return form;
}
