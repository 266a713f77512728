import t from 'tap';
import { crc32 } from 'node:zlib';
import { imageDefect, solidPng } from '@uig/core';
// testkit depends on core, so core's own tests reach the fixtures by path.
import { tinyJpeg } from '../../testkit/src/tiny-jpeg.js';
import { noisePng } from '../../testkit/src/test-images.js';

/** A lossless WebP container of `payload` bytes (the VP8L header gives 16x8). */
function webp(payloadBytes = 22): Buffer {
  const payload = Buffer.alloc(payloadBytes);
  payload.set([0x2f, 0x0f, 0xc0, 0x01, 0x00]); // VP8L signature, 16x8
  const chunk = Buffer.concat([Buffer.from('VP8L'), u32le(payload.length), payload]);
  return Buffer.concat([Buffer.from('RIFF'), u32le(4 + chunk.length), Buffer.from('WEBP'), chunk]);
}
const u32le = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
};
const gif = () =>
  Buffer.from([
    ...Buffer.from('GIF89a'),
    1,
    0,
    1,
    0,
    0,
    0,
    0,
    0x2c,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    2,
    2,
    0x44,
    0x01,
    0,
    0x3b,
  ]);

t.test('whole images pass', async (t) => {
  for (const [name, bytes] of [
    ['png', solidPng(20, 10)],
    ['large png', noisePng(200_000)],
    ['jpeg', tinyJpeg()],
    ['webp', webp()],
    ['gif', gif()],
  ] as const)
    t.equal(imageDefect(bytes), undefined, name);
  t.equal(
    imageDefect(Buffer.concat([solidPng(4, 4), Buffer.from('trailing')])),
    undefined,
    'bytes after IEND',
  );
});

t.test('every truncation of a PNG, JPEG, WebP or GIF is caught', async (t) => {
  for (const [name, bytes] of [
    ['png', solidPng(20, 10)],
    ['jpeg', tinyJpeg()],
    ['webp', webp()],
    ['gif', gif()],
  ] as const) {
    const missed: number[] = [];
    for (let length = 1; length < bytes.length; length++)
      if (imageDefect(bytes.subarray(0, length)) === undefined) missed.push(length);
    t.same(missed, [], `${name}: no cut of ${bytes.length} bytes passes`);
  }
  const half = noisePng(100_000);
  t.match(imageDefect(half.subarray(0, half.length >> 1)), /PNG/);
});

t.test('a damaged PNG (a flipped bit, a bad CRC, no IDAT) and a padded WebP are caught', async (t) => {
  const png = Buffer.from(solidPng(20, 10));
  const flipped = Buffer.from(png);
  flipped[40]! ^= 0x10;
  t.match(imageDefect(flipped), /damaged/);
  // IHDR then IEND, both with correct CRCs: no image data.
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, body, crc]);
  };
  const noData = Buffer.concat([png.subarray(0, 33), chunk('IEND', Buffer.alloc(0))]);
  t.match(imageDefect(noData), /IDAT/);
  t.match(imageDefect(Buffer.concat([webp(), Buffer.alloc(6)])), /longer/);
  t.match(imageDefect(Buffer.from('<html>')), /not a PNG/);
});
