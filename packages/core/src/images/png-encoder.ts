import { crc32, deflateSync } from 'node:zlib';

/**
 * Encodes raw 8-bit RGB or RGBA pixels as a PNG. Each row gets filter type 0
 * (none); deflate `level` trades size for speed (1 is plenty for procedural art).
 */
export interface PngInput {
  width: number;
  height: number;
  channels: 3 | 4;
  /** width * height * channels bytes, row-major. */
  pixels: Uint8Array;
  level?: number;
}

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng({ width, height, channels, pixels, level = 1 }: PngInput): Buffer {
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(`encodePng: expected ${stride * height} bytes of pixels, got ${pixels.length}`);
  }
  return pngFile(width, height, channels, deflateSync(pngRows(pixels, stride, 0, height), { level }));
}

/** Rows [fromRow, toRow) of `pixels` as PNG scanlines: each row after its filter byte 0 (none). */
export function pngRows(pixels: Uint8Array, stride: number, fromRow: number, toRow: number): Buffer {
  const raw = Buffer.allocUnsafe((stride + 1) * (toRow - fromRow));
  for (let y = fromRow, at = 0; y < toRow; y++, at += stride + 1) {
    raw[at] = 0;
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), at + 1);
  }
  return raw;
}

/** The PNG file around zlib-compressed scanlines. */
export function pngFile(width: number, height: number, channels: 3 | 4, compressed: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', compressed),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A solid-colour PNG: handy for fakes and tests. */
export function solidPng(
  width: number,
  height: number,
  rgba: [number, number, number, number] = [32, 96, 160, 255],
): Buffer {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return encodePng({ width, height, channels: 4, pixels, level: 9 });
}
