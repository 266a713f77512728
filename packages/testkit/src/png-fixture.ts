import { crc32, deflateSync } from 'node:zlib';

/**
 * Builds PNG files by hand for decoder tests: any colour type, a chosen filter per
 * row (core's encodePng only writes filter 0), palettes, tRNS, and deliberately
 * broken files. The forward filters here follow the PNG spec §9.2 directly.
 */
export interface PngFixture {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  /** Unfiltered samples, row-major, width * samplesPerPixel bytes per row (8-bit). */
  samples: Uint8Array;
  /** Filter type per row, cycled; default all 0. */
  filters?: readonly number[];
  bitDepth?: number;
  interlace?: 0 | 1;
  palette?: Uint8Array;
  transparency?: Uint8Array;
  /** Flip a bit in the IDAT checksum. */
  corruptChecksum?: boolean;
  /** Leave out the IEND chunk. */
  truncate?: boolean;
}

const samplesPerPixel = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function chunk(type: string, data: Uint8Array, corrupt = false): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE((crc32(out.subarray(4, 8 + data.length)) ^ (corrupt ? 1 : 0)) >>> 0, 8 + data.length);
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const distanceLeft = Math.abs(estimate - left);
  const distanceUp = Math.abs(estimate - up);
  const distanceUpLeft = Math.abs(estimate - upLeft);
  if (distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft) return left;
  return distanceUp <= distanceUpLeft ? up : upLeft;
}

export function filterRows(
  samples: Uint8Array,
  stride: number,
  height: number,
  bytesPerPixel: number,
  filters: readonly number[],
): Buffer {
  const out = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length]!;
    out[y * (stride + 1)] = filter;
    for (let index = 0; index < stride; index++) {
      const value = samples[y * stride + index]!;
      const left = index >= bytesPerPixel ? samples[y * stride + index - bytesPerPixel]! : 0;
      const up = y > 0 ? samples[(y - 1) * stride + index]! : 0;
      const upLeft = y > 0 && index >= bytesPerPixel ? samples[(y - 1) * stride + index - bytesPerPixel]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter] ?? 0;
      out[y * (stride + 1) + 1 + index] = (value - predictor) & 0xff;
    }
  }
  return out;
}

export function makePng(fixture: PngFixture): Buffer {
  const bitDepth = fixture.bitDepth ?? 8;
  const samples = samplesPerPixel[fixture.colorType];
  const stride = fixture.width * samples;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(fixture.width, 0);
  header.writeUInt32BE(fixture.height, 4);
  header[8] = bitDepth;
  header[9] = fixture.colorType;
  header[12] = fixture.interlace ?? 0;
  const raw = filterRows(fixture.samples, stride, fixture.height, samples, fixture.filters ?? [0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(fixture.palette ? [chunk('PLTE', fixture.palette)] : []),
    ...(fixture.transparency ? [chunk('tRNS', fixture.transparency)] : []),
    chunk('IDAT', deflateSync(raw), fixture.corruptChecksum),
    ...(fixture.truncate ? [] : [chunk('IEND', new Uint8Array(0))]),
  ]);
}

/** Deterministic, structured samples (gradients plus a checker) so every filter has real work to do. */
export function patternSamples(width: number, height: number, samples: number): Uint8Array {
  const out = new Uint8Array(width * height * samples);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let channel = 0; channel < samples; channel++) {
        const checker = ((x >> 2) + (y >> 2)) % 2 === 0 ? 40 : 0;
        out[(y * width + x) * samples + channel] = (x * 7 + y * 13 + channel * 61 + checker) & 0xff;
      }
    }
  }
  return out;
}

/**
 * Seeded samples from a small set of levels: neighbours are often equal, which is
 * where Paeth's tie-breaking order (left, then up, then up-left) decides the result.
 */
export function noiseSamples(
  width: number,
  height: number,
  samples: number,
  seed: number,
  levels = 3,
): Uint8Array {
  const out = new Uint8Array(width * height * samples);
  let state = seed >>> 0;
  for (let index = 0; index < out.length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[index] = Math.floor(((state >>> 8) / 0x1000000) * levels) * Math.floor(255 / Math.max(1, levels - 1));
  }
  return out;
}
