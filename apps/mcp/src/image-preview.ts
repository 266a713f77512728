import { encodePng, decodePng, type DecodedImage } from '@uig/core';

/**
 * The image block of a tool result. Clients cap what they accept (Claude Desktop
 * refuses image blocks of 1 MiB of base64 and more), and every pixel a model looks
 * at costs context, so by default a large image becomes a downscaled PNG preview;
 * the full file stays on disk and behind the resource_link.
 */
export const maxImageBlockBase64 = 1024 * 1024 - 1;
/** Long side above which a default (not full_size) block is downscaled; Claude's vision resizes beyond it anyway. */
const previewLongSide = 1568;

export interface ImageBlockSource {
  data: Buffer;
  mimeType: string;
  width: number;
  height: number;
  /** The vendor's base64 of `data`, reused instead of encoding again. */
  base64?: string;
}

interface ImageBlock {
  base64: string;
  mimeType: string;
  width: number;
  height: number;
  /** `full`: the image itself; `preview`: a downscaled PNG. */
  kind: 'full' | 'preview';
}

export interface ImageBlockChoice {
  block?: ImageBlock;
  /** Why the block is a preview or missing, for the text the model reads. */
  note?: string;
}

const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

export function chooseImageBlock(
  image: ImageBlockSource,
  fullSize: boolean,
  budget = maxImageBlockBase64,
): ImageBlockChoice {
  const fits = base64Length(image.data.length) <= budget;
  const longSide = Math.max(image.width, image.height);
  if (fits && (fullSize || longSide <= previewLongSide)) {
    return {
      block: {
        base64: image.base64 ?? image.data.toString('base64'),
        mimeType: image.mimeType,
        width: image.width,
        height: image.height,
        kind: 'full',
      },
    };
  }
  const reason = fits
    ? `${image.width}x${image.height} is larger than ${previewLongSide} px`
    : `the full image (${image.data.length} bytes) does not fit in a 1 MiB image block`;
  const decoded = image.mimeType === 'image/png' ? decodeForPreview(image.data) : undefined;
  if (!decoded) {
    if (fits)
      return {
        block: {
          base64: image.base64 ?? image.data.toString('base64'),
          mimeType: image.mimeType,
          width: image.width,
          height: image.height,
          kind: 'full',
        },
      };
    return {
      note: `No inline image: ${reason} and a ${image.mimeType} cannot be downscaled here. Read the resource_link or open the saved file.`,
    };
  }
  const preview = downscaleToFit(decoded, Math.min(longSide, fullSize ? longSide : 1024), budget);
  if (!preview) return { note: `No inline image: ${reason}. Read the resource_link or open the saved file.` };
  const asked = fullSize ? ' (full_size was asked, but it does not fit)' : '';
  return {
    block: preview,
    note: `The inline image is a ${preview.width}x${preview.height} preview${asked}; the saved file is full size.`,
  };
}

/** Box-filtered downscale, then PNG; shrinks again until the base64 fits the budget. */
function downscaleToFit(image: DecodedImage, startLongSide: number, budget: number): ImageBlock | undefined {
  let longSide = Math.min(startLongSide, Math.max(image.width, image.height));
  for (let attempt = 0; attempt < 6 && longSide >= 16; attempt++) {
    const ratio = longSide / Math.max(image.width, image.height);
    const width = Math.max(1, Math.round(image.width * ratio));
    const height = Math.max(1, Math.round(image.height * ratio));
    const png = encodePng({
      width,
      height,
      channels: image.channels,
      pixels: resize(image, width, height),
      level: 6,
    });
    const length = base64Length(png.length);
    if (length <= budget)
      return { base64: png.toString('base64'), mimeType: 'image/png', width, height, kind: 'preview' };
    // Encoded size grows with the pixel count: shrink the side by the square root, with margin.
    longSide = Math.floor(longSide * Math.min(0.9, Math.sqrt(budget / length) * 0.95));
  }
  return undefined;
}

function resize(image: DecodedImage, width: number, height: number): Uint8Array {
  const channels = image.channels;
  const out = new Uint8Array(width * height * channels);
  const xRatio = image.width / width;
  const yRatio = image.height / height;
  const sums = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    const top = Math.floor(y * yRatio);
    const bottom = Math.max(top + 1, Math.floor((y + 1) * yRatio));
    for (let x = 0; x < width; x++) {
      const left = Math.floor(x * xRatio);
      const right = Math.max(left + 1, Math.floor((x + 1) * xRatio));
      sums.fill(0);
      for (let sourceY = top; sourceY < bottom; sourceY++) {
        let index = (sourceY * image.width + left) * channels;
        for (let sourceX = left; sourceX < right; sourceX++, index += channels) {
          for (let channel = 0; channel < channels; channel++)
            sums[channel]! += image.pixels[index + channel]!;
        }
      }
      const count = (bottom - top) * (right - left);
      const target = (y * width + x) * channels;
      for (let channel = 0; channel < channels; channel++)
        out[target + channel] = Math.round(sums[channel]! / count);
    }
  }
  return out;
}

/** Core's decoder reads 8-bit, non-interlaced PNGs (what vendors send); others get no preview. */
function decodeForPreview(data: Uint8Array): DecodedImage | undefined {
  try {
    return decodePng(data, { maxPixels: 40_000_000 });
  } catch {
    return undefined;
  }
}
