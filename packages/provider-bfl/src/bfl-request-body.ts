import type { ProviderCall } from '@uig/core';
import type { BflCheck } from './bfl-call-check.js';

/** The docs/providers/bfl.md §7.2 body for one call. Inputs go as base64 (the schemas take base64 or URL). */

const base64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

/** `input_image`, `input_image_2`, … `input_image_8`. */
const inputImageField = (index: number) => (index === 0 ? 'input_image' : `input_image_${index + 1}`);

export function bflRequestBody(call: ProviderCall, checked: BflCheck): Record<string, unknown> {
  const { family } = checked.model;
  const body: Record<string, unknown> = { prompt: call.prompt };
  if (call.seed !== undefined) body.seed = call.seed;
  if (family === 'flux2' || family === 'flux2-flex' || family === 'pro-1.1') {
    if (call.size) {
      body.width = call.size.width;
      body.height = call.size.height;
    }
  }
  if ((family === 'kontext' || family === 'ultra') && call.aspectRatio) body.aspect_ratio = call.aspectRatio;
  if (family === 'fill') {
    body.image = base64(call.images[0]!.data);
    if (call.mask) body.mask = base64(call.mask.data);
  } else {
    call.images.forEach((image, index) => {
      body[inputImageField(index)] = base64(image.data);
    });
  }
  for (const [name, value] of Object.entries(checked.options)) {
    if (value !== undefined && value !== null) body[name] = value;
  }
  return body;
}
