import t from 'tap';
import { randomBytes } from 'node:crypto';
import { decodePng, encodePng, PngStreamEncoder } from '@uig/core';

t.test('rows fed band by band give the same file as encodePng', async (t) => {
  const width = 300;
  const height = 257;
  // Half noise, half smooth: both kinds of rows deflate has to handle.
  const pixels = Buffer.concat([randomBytes(width * 3 * 128), Buffer.alloc(width * 3 * (height - 128), 90)]);
  const encoder = new PngStreamEncoder({ width, height, channels: 3 });
  for (const toRow of [1, 1, 50, 49, 130, 200]) encoder.feed(pixels, toRow);
  const streamed = await encoder.finish(pixels);
  const whole = encodePng({ width, height, channels: 3, pixels });
  t.ok(streamed.equals(whole), 'byte for byte');
  const decoded = decodePng(streamed, { maxPixels: width * height });
  t.equal(decoded.width, width);
  t.ok(Buffer.from(decoded.pixels).equals(pixels), 'the pixels come back');
});
