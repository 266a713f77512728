import { crc32 } from 'node:zlib';
import t from 'tap';
import { PngDecodeError, decodePng, encodePng, readPngHeader } from '@uig/core';
// testkit depends on core, so core's own tests reach the fixture by path.
import { makePng, noiseSamples, patternSamples } from '../../testkit/src/png-fixture.js';

const limits = { maxPixels: 1_000_000 };

function decodeFailure(bytes: Uint8Array, options = limits): PngDecodeError {
  try {
    decodePng(bytes, options);
  } catch (error) {
    if (error instanceof PngDecodeError) return error;
    throw error;
  }
  throw new Error('decodePng accepted a file it should refuse');
}

t.test('round-trips encodePng output, RGB and RGBA', async (t) => {
  for (const channels of [3, 4] as const) {
    const pixels = patternSamples(37, 23, channels);
    const decoded = decodePng(encodePng({ width: 37, height: 23, channels, pixels, level: 6 }), limits);
    t.equal(decoded.width, 37);
    t.equal(decoded.height, 23);
    t.equal(decoded.channels, channels);
    t.same(Buffer.from(decoded.pixels), Buffer.from(pixels), `${channels} channels`);
  }
});

t.test('undoes every row filter, alone and mixed, for each pixel width', async (t) => {
  const cases = [
    { colorType: 2, samples: 3 },
    { colorType: 6, samples: 4 },
    { colorType: 0, samples: 1 },
    { colorType: 4, samples: 2 },
  ] as const;
  const filterSets = [[1], [2], [3], [4], [0, 1, 2, 3, 4]];
  for (const { colorType, samples } of cases) {
    for (const [name, raw] of [
      ['pattern', patternSamples(19, 11, samples)],
      ['3-level noise', noiseSamples(19, 11, samples, colorType + 1, 3)],
      ['5-level noise', noiseSamples(19, 11, samples, colorType + 2, 5)],
      ['full noise', noiseSamples(19, 11, samples, colorType + 3, 256)],
    ] as const) {
      for (const filters of filterSets) {
        const decoded = decodePng(
          makePng({ width: 19, height: 11, colorType, samples: raw, filters }),
          limits,
        );
        const expected = new Uint8Array(19 * 11 * decoded.channels);
        for (let pixel = 0; pixel < 19 * 11; pixel++) {
          const grey = samples <= 2;
          const source = raw.subarray(pixel * samples, (pixel + 1) * samples);
          const rgb = grey ? [source[0]!, source[0]!, source[0]!] : [source[0]!, source[1]!, source[2]!];
          const alpha = samples === 2 ? source[1]! : samples === 4 ? source[3]! : undefined;
          expected.set(alpha === undefined ? rgb : [...rgb, alpha], pixel * decoded.channels);
        }
        t.same(
          Buffer.from(decoded.pixels),
          Buffer.from(expected),
          `${name}, colour type ${colorType}, filters ${filters.join(',')}`,
        );
      }
    }
  }
});

t.test('expands palettes and tRNS transparency', async (t) => {
  const palette = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]);
  const indexed = Uint8Array.from([0, 1, 2, 1]);
  const opaque = decodePng(
    makePng({ width: 2, height: 2, colorType: 3, samples: indexed, palette, filters: [4] }),
    limits,
  );
  t.equal(opaque.channels, 3);
  t.same([...opaque.pixels], [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0]);

  // tRNS shorter than the palette: the missing entries are opaque.
  const withAlpha = decodePng(
    makePng({
      width: 2,
      height: 2,
      colorType: 3,
      samples: indexed,
      palette,
      transparency: Uint8Array.from([0, 128]),
    }),
    limits,
  );
  t.equal(withAlpha.channels, 4);
  t.same([...withAlpha.pixels], [255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 0, 255, 0, 128]);

  const rgbKey = decodePng(
    makePng({
      width: 2,
      height: 1,
      colorType: 2,
      samples: Uint8Array.from([10, 20, 30, 40, 50, 60]),
      transparency: Uint8Array.from([0, 10, 0, 20, 0, 30]),
    }),
    limits,
  );
  t.same([...rgbKey.pixels], [10, 20, 30, 0, 40, 50, 60, 255]);

  const greyKey = decodePng(
    makePng({
      width: 2,
      height: 1,
      colorType: 0,
      samples: Uint8Array.from([7, 8]),
      transparency: Uint8Array.from([0, 8]),
    }),
    limits,
  );
  t.same([...greyKey.pixels], [7, 7, 7, 255, 8, 8, 8, 0]);
});

t.test('refuses what it does not read, as unsupported', async (t) => {
  const sixteenBit = makePng({
    width: 2,
    height: 2,
    colorType: 2,
    samples: new Uint8Array(24),
    bitDepth: 16,
  });
  t.equal(decodeFailure(sixteenBit).reason, 'unsupported');
  const interlaced = makePng({
    width: 2,
    height: 2,
    colorType: 2,
    samples: new Uint8Array(12),
    interlace: 1,
  });
  t.equal(decodeFailure(interlaced).reason, 'unsupported');
  t.equal(decodeFailure(Buffer.from('GIF89a not a png at all')).reason, 'not-png');
});

t.test('refuses damaged files as invalid', async (t) => {
  const samples = patternSamples(4, 4, 3);
  t.equal(
    decodeFailure(makePng({ width: 4, height: 4, colorType: 2, samples, corruptChecksum: true })).reason,
    'invalid',
  );
  t.equal(
    decodeFailure(makePng({ width: 4, height: 4, colorType: 2, samples, truncate: true })).reason,
    'invalid',
  );
  // Claims 4x5 but carries the data of 4x4.
  const short = makePng({ width: 4, height: 4, colorType: 2, samples });
  const taller = Buffer.from(short);
  taller.writeUInt32BE(5, 20);
  taller.writeUInt32BE(crc32(taller.subarray(12, 29)), 29);
  t.equal(decodeFailure(taller).reason, 'invalid');
  const badFilter = makePng({ width: 4, height: 4, colorType: 2, samples, filters: [5] });
  t.equal(decodeFailure(badFilter).reason, 'invalid');
  const paletteOverflow = makePng({
    width: 2,
    height: 1,
    colorType: 3,
    samples: Uint8Array.from([0, 3]),
    palette: Uint8Array.from([1, 2, 3]),
  });
  t.equal(decodeFailure(paletteOverflow).reason, 'invalid');
});

t.test('refuses images above maxPixels before inflating them', async (t) => {
  const png = makePng({ width: 40, height: 40, colorType: 2, samples: new Uint8Array(40 * 40 * 3) });
  t.equal(decodeFailure(png, { maxPixels: 1599 }).reason, 'too-large');
  t.equal(decodePng(png, { maxPixels: 1600 }).width, 40);
});

t.test('readPngHeader reports size, format and transparency without decoding', async (t) => {
  const rgba = readPngHeader(encodePng({ width: 5, height: 3, channels: 4, pixels: new Uint8Array(60) }));
  t.match(rgba, { width: 5, height: 3, bitDepth: 8, colorType: 6, interlaced: false, hasAlpha: true });
  t.equal(
    readPngHeader(encodePng({ width: 5, height: 3, channels: 3, pixels: new Uint8Array(45) })).hasAlpha,
    false,
  );
  const keyed = makePng({
    width: 1,
    height: 1,
    colorType: 2,
    samples: new Uint8Array(3),
    transparency: new Uint8Array(6),
  });
  t.equal(readPngHeader(keyed).hasAlpha, true);
});
