import { encodePng, solidPng } from '@uig/core';

/** A small valid PNG (8x8): what fakes return unless told otherwise. */
export function tinyPng(): Buffer {
  return solidPng(8, 8, [200, 80, 40, 255]);
}

/**
 * A PNG of about `targetBytes`: noise does not compress, so the size follows the
 * pixel count. 1.1 MiB of PNG is about 1.5 MB of base64, like a real 1024² image.
 */
export function noisePng(targetBytes: number, seed = 1): Buffer {
  const side = Math.max(1, Math.ceil(Math.sqrt(targetBytes / 3)));
  const pixels = new Uint8Array(side * side * 3);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = state & 0xff;
  }
  return encodePng({ width: side, height: side, channels: 3, pixels, level: 0 });
}
