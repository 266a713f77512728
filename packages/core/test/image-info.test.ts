import t from 'tap';
import { encodePng, solidPng, sniffImage } from '@uig/core';

t.test('a PNG made by encodePng sniffs as PNG with its size', async (t) => {
  const png = solidPng(37, 21);
  t.same(sniffImage(png), { mimeType: 'image/png', extension: 'png', width: 37, height: 21 });
});

t.test('encodePng refuses a pixel buffer of the wrong length', async (t) => {
  t.throws(() => encodePng({ width: 2, height: 2, channels: 3, pixels: new Uint8Array(5) }), RangeError);
});

t.test('JPEG, WebP and GIF headers give their size', async (t) => {
  // Minimal JPEG: SOI, APP0 (length 16), SOF0 with height 300 and width 200.
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
  t.same(sniffImage(jpeg), { mimeType: 'image/jpeg', extension: 'jpg', width: 200, height: 300 });
  const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x0a, 0x00, 0x05, 0x00, 0, 0]);
  t.same(sniffImage(gif), { mimeType: 'image/gif', extension: 'gif', width: 10, height: 5 });
  const webp = new Uint8Array(30);
  webp.set([0x52, 0x49, 0x46, 0x46], 0);
  webp.set([0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58], 8);
  webp.set([0x3f, 0x00, 0x00, 0x1f, 0x00, 0x00], 24); // 64 x 32
  t.same(sniffImage(webp), { mimeType: 'image/webp', extension: 'webp', width: 64, height: 32 });
});

t.test('text is not an image', async (t) => {
  t.equal(sniffImage(Buffer.from('hello, this is not an image at all')), undefined);
  t.equal(sniffImage(new Uint8Array(0)), undefined);
});
