import { crc32, inflateSync } from 'node:zlib';

/**
 * A small PNG decoder for edit inputs and masks (PNG spec, W3C 3rd ed.). It reads
 * 8-bit greyscale, grey+alpha, RGB, RGBA and palette images, with tRNS
 * transparency, non-interlaced, all five row filters, and hands back RGB or RGBA.
 * Anything else (16-bit or 1/2/4-bit samples, Adam7 interlacing) is refused with
 * reason `unsupported` rather than decoded wrongly.
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** 4 when the file carries transparency (alpha channel or tRNS), else 3. */
  channels: 3 | 4;
  pixels: Uint8Array;
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** An alpha channel, or a tRNS chunk before the image data. */
  hasAlpha: boolean;
}

export type PngDecodeFailure = 'not-png' | 'unsupported' | 'invalid' | 'too-large';

export class PngDecodeError extends Error {
  constructor(
    readonly reason: PngDecodeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PngDecodeError';
  }
}

/** What this decoder reads, for error messages. */
export const supportedPngFormats =
  'PNG, 8 bits per sample (greyscale, grey+alpha, RGB, RGBA or palette), not interlaced';

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** §11.2.2 table 11.1: colour type → samples per pixel. */
const samplesPerPixel: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface PngChunk {
  type: string;
  data: Uint8Array;
}

export function* pngChunks(bytes: Uint8Array): Generator<PngChunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = signature.length;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new PngDecodeError('invalid', 'PNG chunk runs past the end of the file.');
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) >>> 0 !== view.getUint32(offset + 8 + length)) {
      throw new PngDecodeError('invalid', 'PNG chunk checksum does not match: the file is damaged.');
    }
    yield { type: String.fromCharCode(...typeAndData.subarray(0, 4)), data: typeAndData.subarray(4) };
    offset = end;
  }
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && signature.every((byte, index) => bytes[index] === byte);
}

function parseHeader(data: Uint8Array): Omit<PngHeader, 'hasAlpha'> {
  if (data.length !== 13) throw new PngDecodeError('invalid', 'PNG IHDR chunk has the wrong length.');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = {
    width: view.getUint32(0),
    height: view.getUint32(4),
    bitDepth: data[8]!,
    colorType: data[9]!,
    interlaced: data[12] === 1,
  };
  if (header.width === 0 || header.height === 0)
    throw new PngDecodeError('invalid', 'PNG has zero width or height.');
  if (samplesPerPixel[header.colorType] === undefined)
    throw new PngDecodeError('invalid', `PNG colour type ${header.colorType} does not exist.`);
  if (data[10] !== 0 || data[11] !== 0 || data[12]! > 1)
    throw new PngDecodeError('invalid', 'PNG uses an unknown compression, filter or interlace method.');
  return header;
}

/** Throws `unsupported` for the PNG variants this decoder does not read. */
export function assertSupportedPng(header: Omit<PngHeader, 'hasAlpha'>): void {
  if (header.bitDepth !== 8)
    throw new PngDecodeError('unsupported', `PNG with ${header.bitDepth}-bit samples is not supported.`);
  if (header.interlaced) throw new PngDecodeError('unsupported', 'Interlaced (Adam7) PNG is not supported.');
}

/** Reads the header and scans chunk types up to the image data, without inflating anything. */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  if (!isPng(bytes)) throw new PngDecodeError('not-png', 'Not a PNG file.');
  let header: Omit<PngHeader, 'hasAlpha'> | undefined;
  let hasTransparencyChunk = false;
  for (const chunk of pngChunks(bytes)) {
    if (!header) {
      if (chunk.type !== 'IHDR')
        throw new PngDecodeError('invalid', 'PNG does not start with an IHDR chunk.');
      header = parseHeader(chunk.data);
    } else if (chunk.type === 'tRNS') hasTransparencyChunk = true;
    else if (chunk.type === 'IDAT' || chunk.type === 'IEND') break;
  }
  if (!header) throw new PngDecodeError('invalid', 'PNG has no IHDR chunk.');
  return { ...header, hasAlpha: header.colorType === 4 || header.colorType === 6 || hasTransparencyChunk };
}

/** Undoes the five row filters (§7.3, §9.2) in place; `raw` is rows of one filter byte then `stride` bytes. */
export function unfilterRows(raw: Uint8Array, stride: number, height: number, bytesPerPixel: number): void {
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1) + 1;
    const previous = start - (stride + 1);
    const filter = raw[start - 1];
    switch (filter) {
      case 0:
        break;
      case 1: // Sub
        for (let index = bytesPerPixel; index < stride; index++)
          raw[start + index] = raw[start + index]! + raw[start + index - bytesPerPixel]!;
        break;
      case 2: // Up
        if (y > 0)
          for (let index = 0; index < stride; index++)
            raw[start + index] = raw[start + index]! + raw[previous + index]!;
        break;
      case 3: // Average
        for (let index = 0; index < stride; index++) {
          const left = index >= bytesPerPixel ? raw[start + index - bytesPerPixel]! : 0;
          const up = y > 0 ? raw[previous + index]! : 0;
          raw[start + index] = raw[start + index]! + ((left + up) >> 1);
        }
        break;
      case 4: // Paeth
        for (let index = 0; index < stride; index++) {
          const left = index >= bytesPerPixel ? raw[start + index - bytesPerPixel]! : 0;
          const up = y > 0 ? raw[previous + index]! : 0;
          const upLeft = y > 0 && index >= bytesPerPixel ? raw[previous + index - bytesPerPixel]! : 0;
          const estimate = left + up - upLeft;
          const distanceLeft = Math.abs(estimate - left);
          const distanceUp = Math.abs(estimate - up);
          const distanceUpLeft = Math.abs(estimate - upLeft);
          const predictor =
            distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft
              ? left
              : distanceUp <= distanceUpLeft
                ? up
                : upLeft;
          raw[start + index] = raw[start + index]! + predictor;
        }
        break;
      default:
        throw new PngDecodeError('invalid', `PNG row ${y} has unknown filter type ${filter}.`);
    }
  }
}

export interface DecodeOptions {
  /** Refuse larger images before inflating, so a small file cannot claim gigabytes. */
  maxPixels: number;
}

export function decodePng(bytes: Uint8Array, options: DecodeOptions): DecodedImage {
  if (!isPng(bytes)) throw new PngDecodeError('not-png', 'Not a PNG file.');
  let header: Omit<PngHeader, 'hasAlpha'> | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const imageData: Uint8Array[] = [];
  let ended = false;
  for (const chunk of pngChunks(bytes)) {
    if (!header) {
      if (chunk.type !== 'IHDR')
        throw new PngDecodeError('invalid', 'PNG does not start with an IHDR chunk.');
      header = parseHeader(chunk.data);
      assertSupportedPng(header);
      if (header.width * header.height > options.maxPixels) {
        throw new PngDecodeError(
          'too-large',
          `PNG is ${header.width}x${header.height}; at most ${options.maxPixels} pixels are accepted.`,
        );
      }
    } else if (chunk.type === 'PLTE') palette = chunk.data;
    else if (chunk.type === 'tRNS') transparency = chunk.data;
    else if (chunk.type === 'IDAT') imageData.push(chunk.data);
    else if (chunk.type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!header) throw new PngDecodeError('invalid', 'PNG has no IHDR chunk.');
  if (!ended) throw new PngDecodeError('invalid', 'PNG is truncated (no IEND chunk).');
  if (imageData.length === 0) throw new PngDecodeError('invalid', 'PNG has no image data.');
  const { width, height, colorType } = header;
  const samples = samplesPerPixel[colorType]!;
  const stride = width * samples;
  const expected = (stride + 1) * height;

  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(imageData), { maxOutputLength: expected });
  } catch (error) {
    throw new PngDecodeError(
      'invalid',
      `PNG image data does not inflate to ${width}x${height} pixels (${(error as Error).message}).`,
    );
  }
  if (raw.length !== expected)
    throw new PngDecodeError(
      'invalid',
      `PNG image data is ${raw.length} bytes; ${width}x${height} needs ${expected}.`,
    );
  unfilterRows(raw, stride, height, samples);
  return toRgbOrRgba(raw, header, stride, palette, transparency);
}

function toRgbOrRgba(
  raw: Uint8Array,
  { width, height, colorType }: Omit<PngHeader, 'hasAlpha'>,
  stride: number,
  palette: Uint8Array | undefined,
  transparency: Uint8Array | undefined,
): DecodedImage {
  const channels: 3 | 4 = colorType === 4 || colorType === 6 || transparency !== undefined ? 4 : 3;
  const pixels = new Uint8Array(width * height * channels);
  if (colorType === 3 && (!palette || palette.length % 3 !== 0))
    throw new PngDecodeError('invalid', 'Palette PNG has no valid PLTE chunk.');
  // §11.3.2.1: a tRNS for greyscale or RGB names one 16-bit colour that is fully transparent.
  const view = transparency
    ? new DataView(transparency.buffer, transparency.byteOffset, transparency.byteLength)
    : undefined;
  const transparentGrey = colorType === 0 && view && view.byteLength >= 2 ? view.getUint16(0) : -1;
  const transparentRgb =
    colorType === 2 && view && view.byteLength >= 6
      ? [view.getUint16(0), view.getUint16(2), view.getUint16(4)]
      : undefined;
  const paletteEntries = palette ? palette.length / 3 : 0;

  for (let y = 0; y < height; y++) {
    const source = y * (stride + 1) + 1;
    let target = y * width * channels;
    for (let x = 0; x < width; x++, target += channels) {
      let red: number;
      let green: number;
      let blue: number;
      let alpha = 255;
      switch (colorType) {
        case 0:
          red = green = blue = raw[source + x]!;
          if (red === transparentGrey) alpha = 0;
          break;
        case 4:
          red = green = blue = raw[source + x * 2]!;
          alpha = raw[source + x * 2 + 1]!;
          break;
        case 2:
          red = raw[source + x * 3]!;
          green = raw[source + x * 3 + 1]!;
          blue = raw[source + x * 3 + 2]!;
          if (
            transparentRgb &&
            red === transparentRgb[0] &&
            green === transparentRgb[1] &&
            blue === transparentRgb[2]
          )
            alpha = 0;
          break;
        case 6:
          red = raw[source + x * 4]!;
          green = raw[source + x * 4 + 1]!;
          blue = raw[source + x * 4 + 2]!;
          alpha = raw[source + x * 4 + 3]!;
          break;
        default: {
          const entry = raw[source + x]!;
          if (entry >= paletteEntries)
            throw new PngDecodeError(
              'invalid',
              `Palette PNG uses entry ${entry}; the palette has ${paletteEntries}.`,
            );
          red = palette![entry * 3]!;
          green = palette![entry * 3 + 1]!;
          blue = palette![entry * 3 + 2]!;
          // §11.3.2.1: entries past the end of tRNS are opaque.
          alpha = transparency?.[entry] ?? 255;
        }
      }
      pixels[target] = red;
      pixels[target + 1] = green;
      pixels[target + 2] = blue;
      if (channels === 4) pixels[target + 3] = alpha;
    }
  }
  return { width, height, channels, pixels };
}
