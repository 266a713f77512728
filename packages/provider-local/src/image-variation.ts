import type { DecodedImage } from '@uig/core';
import { SeededRandom } from './seeded-random.js';

/**
 * One variation of an image, the offline stand-in for OpenAI's `/images/variations`: the
 * input's composition, moved a little, in other colours, with a fifth of a placeholder
 * layer mixed in. Everything comes from `seed`, so the same image and seed give the same
 * bytes, and consecutive seeds give visibly different variations.
 *
 * - shift: the picture moves by up to 4% of each side (edges repeat), so no pixel is
 *   simply copied;
 * - hue: colours turn by 60 to 300 degrees around the grey axis (luminance kept), so a
 *   variation never comes back in the input's own colours;
 * - layer: 20% of `layer` (the placeholder the model draws for this seed), so black,
 *   white and grey inputs, which a hue turn leaves alone, change too.
 * Alpha moves with the picture and is otherwise kept.
 */
export function varyImage(source: DecodedImage, layer: Uint8ClampedArray, seed: number): Uint8Array {
  const { width, height, channels, pixels } = source;
  const random = new SeededRandom(seed ^ 0x7a51a710);
  const shiftX = Math.round(random.between(-0.04, 0.04) * width);
  const shiftY = Math.round(random.between(-0.04, 0.04) * height);
  const matrix = hueRotation(random.between(60, 300));
  const output = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    const fromY = Math.min(height - 1, Math.max(0, y - shiftY));
    for (let x = 0; x < width; x++) {
      const fromX = Math.min(width - 1, Math.max(0, x - shiftX));
      const from = (fromY * width + fromX) * channels;
      const to = (y * width + x) * channels;
      const layerOffset = (y * width + x) * 3;
      const red = pixels[from]!;
      const green = pixels[from + 1]!;
      const blue = pixels[from + 2]!;
      for (let channel = 0; channel < 3; channel++) {
        const row = channel * 3;
        const turned = matrix[row]! * red + matrix[row + 1]! * green + matrix[row + 2]! * blue;
        output[to + channel] = Math.round(0.8 * clamp(turned) + 0.2 * layer[layerOffset + channel]!);
      }
      if (channels === 4) output[to + 3] = pixels[from + 3]!;
    }
  }
  return output;
}

const clamp = (value: number) => Math.min(255, Math.max(0, value));

/** The RGB matrix that turns hues by `degrees` around the grey axis (luminance-preserving form). */
function hueRotation(degrees: number): number[] {
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [
    0.213 + cos * 0.787 - sin * 0.213,
    0.715 - cos * 0.715 - sin * 0.715,
    0.072 - cos * 0.072 + sin * 0.928,
    0.213 - cos * 0.213 + sin * 0.143,
    0.715 + cos * 0.285 + sin * 0.14,
    0.072 - cos * 0.072 - sin * 0.283,
    0.213 - cos * 0.213 - sin * 0.787,
    0.715 - cos * 0.715 + sin * 0.715,
    0.072 + cos * 0.928 + sin * 0.072,
  ];
}
