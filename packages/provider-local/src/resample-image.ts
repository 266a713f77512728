import type { DecodedImage } from '@uig/core';

/**
 * Resampling to a new size, keeping the channel count: bilinear for pictures (an
 * edit at another size than its input), nearest for masks, so a stretched mask
 * still says plainly "keep" or "edit" for each pixel instead of inventing partial
 * alpha along its edges. Same size is returned as is, so unmasked pixels of a
 * same-size edit stay byte-exact.
 */
export function resampleImage(
  image: DecodedImage,
  width: number,
  height: number,
  method: 'bilinear' | 'nearest' = 'bilinear',
): DecodedImage {
  if (image.width === width && image.height === height) return image;
  if (method === 'nearest') return resampleNearest(image, width, height);
  const { channels, pixels } = image;
  const output = new Uint8Array(width * height * channels);
  const scaleX = image.width / width;
  const scaleY = image.height / height;
  const lastX = image.width - 1;
  const lastY = image.height - 1;
  // Column sample positions are the same for every row: compute them once.
  const leftOffsets = new Int32Array(width);
  const rightOffsets = new Int32Array(width);
  const rightWeights = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sourceX = Math.min(lastX, Math.max(0, (x + 0.5) * scaleX - 0.5));
    const left = Math.floor(sourceX);
    leftOffsets[x] = left * channels;
    rightOffsets[x] = Math.min(lastX, left + 1) * channels;
    rightWeights[x] = sourceX - left;
  }
  for (let y = 0; y < height; y++) {
    const sourceY = Math.min(lastY, Math.max(0, (y + 0.5) * scaleY - 0.5));
    const top = Math.floor(sourceY);
    const bottomWeight = sourceY - top;
    const topRow = top * image.width * channels;
    const bottomRow = Math.min(lastY, top + 1) * image.width * channels;
    let target = y * width * channels;
    for (let x = 0; x < width; x++) {
      const left = leftOffsets[x]!;
      const right = rightOffsets[x]!;
      const rightWeight = rightWeights[x]!;
      for (let channel = 0; channel < channels; channel++, target++) {
        const upper =
          pixels[topRow + left + channel]! +
          (pixels[topRow + right + channel]! - pixels[topRow + left + channel]!) * rightWeight;
        const lower =
          pixels[bottomRow + left + channel]! +
          (pixels[bottomRow + right + channel]! - pixels[bottomRow + left + channel]!) * rightWeight;
        output[target] = Math.round(upper + (lower - upper) * bottomWeight);
      }
    }
  }
  return { width, height, channels, pixels: output };
}

function resampleNearest(image: DecodedImage, width: number, height: number): DecodedImage {
  const { channels, pixels } = image;
  const output = new Uint8Array(width * height * channels);
  const sourceOffsets = new Int32Array(width);
  for (let x = 0; x < width; x++)
    sourceOffsets[x] = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width)) * channels;
  for (let y = 0; y < height; y++) {
    const sourceRow =
      Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height)) * image.width * channels;
    for (let x = 0; x < width; x++) {
      const source = sourceRow + sourceOffsets[x]!;
      const target = (y * width + x) * channels;
      for (let channel = 0; channel < channels; channel++)
        output[target + channel] = pixels[source + channel]!;
    }
  }
  return { width, height, channels, pixels: output };
}
