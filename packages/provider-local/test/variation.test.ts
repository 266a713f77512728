import t from 'tap';
import { UnsupportedCapabilityError, encodePng, sniffImage, type DecodedImage } from '@uig/core';
import { decode, provider } from './local-provider.js';
import { imageBytes, inputImage, meanDifference, providerCall, rejection } from './provider-call.js';

/** A red square on the left on a blue ground: structure and colour that a variation must keep and change. */
function picture(width: number, height: number, red: [number, number, number] = [220, 30, 30]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels.set(x < width / 2 ? red : [20, 40, 200], offset);
    }
  }
  return encodePng({ width, height, channels: 3, pixels });
}

const variationCall = (overrides: Parameters<typeof providerCall>[0] = {}) =>
  providerCall({ prompt: '', size: undefined, images: [inputImage(picture(160, 120))], ...overrides });

/** Mean of one channel over columns [fromX, toX). */
function channelMean(image: DecodedImage, channel: number, fromX: number, toX: number): number {
  let total = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = fromX; x < toX; x++)
      total += image.pixels[(y * image.width + x) * image.channels + channel]!;
  return total / (image.height * (toX - fromX));
}

t.test('the local models declare variations', async (t) => {
  for (const model of provider.models) t.equal(model.capabilities.variation, true, model.id);
});

t.test('a variation keeps the input size and layout, and is not a copy', async (t) => {
  const result = await provider.variation(variationCall());
  const [png] = imageBytes(result);
  t.match(sniffImage(png!), { mimeType: 'image/png', width: 160, height: 120 });
  const output = decode(png!);
  const input = decode(picture(160, 120));
  t.ok(meanDifference(output.pixels, input.pixels) > 20, 'visibly different from the input');
  // The two halves of the input stay two different halves (derived from the image, not a fresh picture).
  const left = [0, 1, 2].map((channel) => channelMean(output, channel, 8, 72));
  const right = [0, 1, 2].map((channel) => channelMean(output, channel, 88, 152));
  const distance = Math.hypot(...left.map((value, index) => value - right[index]!));
  t.ok(distance > 60, `the halves stay apart (${distance.toFixed(0)})`);
});

t.test('variations are deterministic per image, differ from each other, and follow the image', async (t) => {
  const first = imageBytes(await provider.variation(variationCall({ n: 3 })));
  const again = imageBytes(await provider.variation(variationCall({ n: 3 })));
  t.equal(first.length, 3);
  first.forEach((png, index) => t.ok(Buffer.from(png).equals(Buffer.from(again[index]!)), `image ${index}`));
  t.ok(meanDifference(decode(first[0]!).pixels, decode(first[1]!).pixels) > 8, 'images of one call differ');
  // A split batch equals one call: image i of the request uses seed base + i.
  const second = imageBytes(await provider.variation(variationCall({ n: 1, imageOffset: 1 })));
  t.ok(Buffer.from(second[0]!).equals(Buffer.from(first[1]!)), 'imageOffset continues the seeds');

  const otherImage = imageBytes(
    await provider.variation(variationCall({ images: [inputImage(picture(160, 120, [30, 200, 40]))] })),
  );
  t.ok(
    meanDifference(decode(otherImage[0]!).pixels, decode(first[0]!).pixels) > 8,
    'another image varies otherwise',
  );
  const seeded = await provider.variation(variationCall({ seed: 42 }));
  t.same(seeded.metadata, { seeds: [42] }, 'a given seed is used and reported');
});

t.test('a variation honours a requested size; an oversized input is scaled with a warning', async (t) => {
  const [png] = imageBytes(await provider.variation(variationCall({ size: { width: 64, height: 64 } })));
  t.match(sniffImage(png!), { width: 64, height: 64 });
  const large = await provider.variation(variationCall({ images: [inputImage(picture(2400, 100))] }));
  t.match(sniffImage(imageBytes(large)[0]!), { width: 2048 });
  t.match(large.warnings, [{ type: 'adjusted', feature: 'size' }]);
});

t.test('a variation keeps transparency', async (t) => {
  const pixels = new Uint8Array(32 * 32 * 4).fill(128);
  for (let index = 3; index < pixels.length; index += 4) pixels[index] = index % 8 === 3 ? 0 : 255;
  const image = encodePng({ width: 32, height: 32, channels: 4, pixels });
  const output = decode(
    imageBytes(await provider.variation(variationCall({ images: [inputImage(image)] })))[0]!,
  );
  t.equal(output.channels, 4);
  t.ok(
    [...Array(32 * 32).keys()].some((pixel) => output.pixels[pixel * 4 + 3] === 0),
    'transparent pixels survive',
  );
});

t.test('check() refuses an image the local provider cannot read, before any work', async (t) => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
  const call = variationCall({ images: [{ data: jpeg, mimeType: 'image/jpeg', width: 1, height: 1 }] });
  t.throws(() => provider.check(call, 'variation'), UnsupportedCapabilityError);
  t.type(await rejection(provider.variation(call)), UnsupportedCapabilityError);
});
