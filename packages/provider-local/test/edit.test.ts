import t from 'tap';
import {
  RequestAbortedError,
  UnsupportedCapabilityError,
  encodePng,
  sniffImage,
  type DecodedImage,
} from '@uig/core';
import { makePng, patternSamples } from '@uig/testkit';
import { decode, provider } from './local-provider.js';
import { imageBytes, inputImage, meanDifference, providerCall, rejection } from './provider-call.js';

/** Left half black, right half white: any edit that keeps the input's structure keeps the left darker. */
function halves(width: number, height: number, channels: 3 | 4 = 3, alpha = 255): Uint8Array {
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * channels;
      pixels.fill(x < width / 2 ? 0 : 255, offset, offset + 3);
      if (channels === 4) pixels[offset + 3] = alpha;
    }
  }
  return encodePng({ width, height, channels, pixels });
}

/** Mask that keeps (alpha 255) everything except a rectangle, which is transparent (edit here). */
function rectangleMask(
  width: number,
  height: number,
  area: { left: number; top: number; right: number; bottom: number },
): Uint8Array {
  const pixels = new Uint8Array(width * height * 4).fill(255);
  for (let y = area.top; y < area.bottom; y++)
    for (let x = area.left; x < area.right; x++) pixels[(y * width + x) * 4 + 3] = 0;
  return encodePng({ width, height, channels: 4, pixels });
}

function meanBrightness(image: DecodedImage, fromX: number, toX: number): number {
  let total = 0;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = fromX; x < toX; x++) {
      const offset = (y * image.width + x) * image.channels;
      total += image.pixels[offset]! + image.pixels[offset + 1]! + image.pixels[offset + 2]!;
      count += 3;
    }
  }
  return total / count;
}

const editCall = (overrides: Parameters<typeof providerCall>[0] = {}) =>
  providerCall({ size: undefined, images: [inputImage(halves(160, 120))], seed: 5, ...overrides });

t.test(
  'an edit without a mask keeps the input size and its structure, and changes its colours',
  async (t) => {
    const result = await provider.edit(editCall());
    const [png] = imageBytes(result);
    t.match(sniffImage(png!), { mimeType: 'image/png', width: 160, height: 120 });
    t.same(result.warnings, []);
    const output = decode(png!);
    const input = decode(halves(160, 120));
    t.ok(meanDifference(output.pixels, input.pixels) > 10, 'visibly changed');
    t.ok(
      meanBrightness(output, 0, 80) + 60 < meanBrightness(output, 80, 160),
      'the dark half stays darker than the light half',
    );
  },
);

t.test('an edit honours a requested size', async (t) => {
  const [png] = imageBytes(await provider.edit(editCall({ size: { width: 64, height: 200 } })));
  t.match(sniffImage(png!), { width: 64, height: 200 });
});

t.test('an edit is deterministic and depends on prompt and seed', async (t) => {
  const first = imageBytes(await provider.edit(editCall()))[0]!;
  const again = imageBytes(await provider.edit(editCall()))[0]!;
  t.equal(Buffer.compare(Buffer.from(first), Buffer.from(again)), 0);
  const otherSeed = imageBytes(await provider.edit(editCall({ seed: 6 })))[0]!;
  t.ok(meanDifference(decode(first).pixels, decode(otherSeed).pixels) > 4);
  const batch = imageBytes(await provider.edit(editCall({ n: 3 })));
  t.equal(batch.length, 3);
  t.ok(meanDifference(decode(batch[0]!).pixels, decode(batch[1]!).pixels) > 4, 'images of one call differ');
});

t.test('with a mask, only the transparent area changes; every other pixel is kept exactly', async (t) => {
  for (const channels of [3, 4] as const) {
    const image = halves(160, 120, channels, 200);
    const area = { left: 40, top: 30, right: 120, bottom: 90 };
    const result = await provider.edit(
      editCall({ images: [inputImage(image)], mask: inputImage(rectangleMask(160, 120, area)) }),
    );
    const output = decode(imageBytes(result)[0]!);
    const input = decode(image);
    t.equal(output.channels, channels, 'keeps the input channels (alpha survives)');
    let keptChanged = 0;
    let editedChanged = 0;
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 160; x++) {
        const offset = (y * 160 + x) * channels;
        const changed = input.pixels
          .subarray(offset, offset + channels)
          .some((value, index) => output.pixels[offset + index] !== value);
        const inside = x >= area.left && x < area.right && y >= area.top && y < area.bottom;
        if (inside && changed) editedChanged++;
        if (!inside && changed) keptChanged++;
      }
    }
    t.equal(keptChanged, 0, `${channels} channels: no pixel outside the mask's transparent area changed`);
    t.ok(
      editedChanged > 0.9 * 80 * 60,
      `${channels} channels: ${editedChanged} of ${80 * 60} edited pixels changed`,
    );
  }
});

t.test('a mask of another size is stretched to fit, with a warning', async (t) => {
  const result = await provider.edit(
    editCall({ mask: inputImage(rectangleMask(80, 60, { left: 0, top: 0, right: 40, bottom: 60 })) }),
  );
  t.match(result.warnings, [{ type: 'adjusted', feature: 'mask' }]);
  const output = decode(imageBytes(result)[0]!);
  const input = decode(halves(160, 120));
  // The right half was kept (mask opaque there), the left half edited.
  const rightHalfSame = [...Array(120).keys()].every((y) =>
    Buffer.from(output.pixels.subarray((y * 160 + 80) * 3, (y + 1) * 160 * 3)).equals(
      Buffer.from(input.pixels.subarray((y * 160 + 80) * 3, (y + 1) * 160 * 3)),
    ),
  );
  t.ok(rightHalfSame);
  t.ok(
    meanDifference(output.pixels.subarray(0, 80 * 3), input.pixels.subarray(0, 80 * 3)) > 10,
    'the left half of the first row was edited',
  );
});

t.test('an input larger than the model renders is scaled down, with a warning', async (t) => {
  const big = encodePng({ width: 3000, height: 1000, channels: 3, pixels: patternSamples(3000, 1000, 3) });
  const result = await provider.edit(editCall({ images: [inputImage(big)] }));
  t.match(result.warnings, [{ type: 'adjusted', feature: 'size' }]);
  t.match(sniffImage(imageBytes(result)[0]!), { width: 2048, height: 682 });
});

t.test('palette, greyscale and filtered PNG inputs are read', async (t) => {
  const palette = makePng({
    width: 32,
    height: 32,
    colorType: 3,
    samples: Uint8Array.from({ length: 1024 }, (_, index) => index % 3),
    palette: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]),
    filters: [1, 2, 3, 4],
  });
  const grey = makePng({
    width: 32,
    height: 32,
    colorType: 0,
    samples: patternSamples(32, 32, 1),
    filters: [4],
  });
  for (const png of [palette, grey]) {
    const [output] = imageBytes(await provider.edit(editCall({ images: [inputImage(png)] })));
    t.match(sniffImage(output!), { width: 32, height: 32 });
  }
});

t.test(
  'inputs that are not PNG are refused, naming what is accepted, in check() and in edit()',
  async (t) => {
    // Minimal JPEG: SOI, APP0, SOF0 200x300.
    const jpeg = Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array(14).fill(0),
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x01,
      0x2c,
      0x00,
      0xc8,
      0x03,
      ...new Array(12).fill(0),
    ]);
    const call = editCall({ images: [inputImage(jpeg)] });
    t.throws(() => provider.check(call, 'edit'), {
      code: 'UNSUPPORTED_CAPABILITY',
      param: 'image',
      provider: 'local',
    });
    const error = await rejection(provider.edit(call));
    t.ok(error instanceof UnsupportedCapabilityError);
    t.match(error, { code: 'UNSUPPORTED_CAPABILITY', param: 'image' });
    t.match((error as Error).message, /PNG/, 'the message names the accepted format');

    const sixteenBit = makePng({
      width: 2,
      height: 2,
      colorType: 2,
      samples: new Uint8Array(24),
      bitDepth: 16,
    });
    t.throws(() => provider.check(editCall({ images: [inputImage(sixteenBit)] }), 'edit'), {
      code: 'UNSUPPORTED_CAPABILITY',
    });
    t.match(await rejection(provider.edit(editCall({ images: [inputImage(sixteenBit)] }))), {
      code: 'UNSUPPORTED_CAPABILITY',
    });
    t.throws(() => provider.check(editCall({ mask: inputImage(jpeg) }), 'edit'), {
      code: 'UNSUPPORTED_CAPABILITY',
      param: 'mask',
    });
  },
);

t.test('a valid PNG edit passes check(), and generate needs no check', async (t) => {
  t.same(
    provider.check(
      editCall({ mask: inputImage(rectangleMask(160, 120, { left: 0, top: 0, right: 1, bottom: 1 })) }),
      'edit',
    ),
    [],
  );
  t.same(provider.check(providerCall(), 'generate'), []);
});

t.test('a damaged PNG is an invalid request; a mask without transparency is refused', async (t) => {
  const damaged = makePng({
    width: 8,
    height: 8,
    colorType: 2,
    samples: patternSamples(8, 8, 3),
    corruptChecksum: true,
  });
  t.match(await rejection(provider.edit(editCall({ images: [inputImage(damaged)] }))), {
    code: 'INVALID_IMAGE',
    param: 'image',
  });
  const opaqueMask = encodePng({
    width: 160,
    height: 120,
    channels: 3,
    pixels: new Uint8Array(160 * 120 * 3),
  });
  t.throws(() => provider.check(editCall({ mask: inputImage(opaqueMask) }), 'edit'), {
    code: 'INVALID_MASK',
    param: 'mask',
  });
  t.match(await rejection(provider.edit(editCall({ mask: inputImage(opaqueMask) }))), {
    code: 'INVALID_MASK',
    param: 'mask',
  });
});

t.test('an aborted edit stops', async (t) => {
  const controller = new AbortController();
  controller.abort();
  t.ok(
    (await rejection(provider.edit(editCall({ signal: controller.signal })))) instanceof RequestAbortedError,
  );
  const during = new AbortController();
  const pending = provider.edit(editCall({ signal: during.signal, n: 2 }));
  during.abort();
  t.match(await rejection(pending), { code: 'REQUEST_ABORTED' });
});
