import type { DecodedImage } from '@uig/core';

/**
 * Lays a prompt-seeded placeholder over the input image. The blend is "overlay"
 * (keeps the input's light and shade, takes the placeholder's colour) with a
 * quarter of the placeholder mixed in straight, so even a pure black or white input
 * visibly changes. The mask follows OpenAI's rule: where its alpha is 0 the image
 * is edited, where it is 255 the input pixel is kept byte for byte, and alpha in
 * between blends proportionally.
 */
let blendTable: Uint8Array | undefined;

/** 64 KiB lookup: blendTable[input << 8 | placeholder]. */
function getBlendTable(): Uint8Array {
  if (blendTable) return blendTable;
  blendTable = new Uint8Array(256 * 256);
  for (let input = 0; input < 256; input++) {
    for (let layer = 0; layer < 256; layer++) {
      const overlay =
        input < 128 ? (2 * input * layer) / 255 : 255 - (2 * (255 - input) * (255 - layer)) / 255;
      blendTable[(input << 8) | layer] = Math.round(0.75 * overlay + 0.25 * layer);
    }
  }
  return blendTable;
}

/**
 * `source` and `mask` must already be at the output size; `layer` is the RGB
 * placeholder at that size. The result has the source's channels; inside the
 * edited area, transparent source pixels become opaque, since the edit paints there.
 */
export function compositeEdit(
  source: DecodedImage,
  layer: Uint8Array | Uint8ClampedArray,
  mask: DecodedImage | undefined,
): Uint8Array {
  const table = getBlendTable();
  const { width, height, channels, pixels } = source;
  const output = new Uint8Array(pixels.length);
  const pixelCount = width * height;
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    const sourceOffset = pixel * channels;
    const layerOffset = pixel * 3;
    // Masks without an alpha channel are refused before we get here; 255 keeps a pixel.
    const keep = mask ? mask.pixels[pixel * 4 + 3]! : 0;
    if (keep === 255) {
      for (let channel = 0; channel < channels; channel++)
        output[sourceOffset + channel] = pixels[sourceOffset + channel]!;
      continue;
    }
    const weight = (255 - keep) / 255;
    for (let channel = 0; channel < 3; channel++) {
      const input = pixels[sourceOffset + channel]!;
      const edited = table[(input << 8) | layer[layerOffset + channel]!]!;
      output[sourceOffset + channel] = Math.round(input + (edited - input) * weight);
    }
    if (channels === 4) {
      const alpha = pixels[sourceOffset + 3]!;
      output[sourceOffset + 3] = Math.round(alpha + (255 - alpha) * weight);
    }
  }
  return output;
}
