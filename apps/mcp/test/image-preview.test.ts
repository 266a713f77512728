import t from 'tap';
import { decodePng, encodePng, sniffImage, solidPng } from '@uig/core';
import { noisePng } from '@uig/testkit';
import { chooseImageBlock, maxImageBlockBase64 } from '../src/image-preview.js';

t.test('a small image is returned whole; a large PNG becomes a preview under 1 MiB', async (t) => {
  const small = solidPng(64, 48);
  const whole = chooseImageBlock({ data: small, mimeType: 'image/png', width: 64, height: 48 }, false);
  t.equal(whole.block?.kind, 'full');
  t.same(Buffer.from(whole.block!.base64, 'base64'), small);

  const large = noisePng(1.2 * 1024 * 1024);
  const info = sniffImage(large)!;
  for (const fullSize of [false, true]) {
    const choice = chooseImageBlock(
      { data: large, mimeType: 'image/png', width: info.width, height: info.height },
      fullSize,
    );
    t.equal(choice.block?.kind, 'preview', `full_size ${fullSize}`);
    t.ok(choice.block!.base64.length < maxImageBlockBase64 + 1, 'bare base64 under 1 MiB');
    const preview = sniffImage(Buffer.from(choice.block!.base64, 'base64'))!;
    t.equal(preview.mimeType, 'image/png');
    t.ok(preview.width < info.width);
    t.match(choice.note, /preview/);
  }
});

t.test('full_size returns a large-pixel image whole when its bytes fit', async (t) => {
  const wide = solidPng(2400, 600);
  t.equal(
    chooseImageBlock({ data: wide, mimeType: 'image/png', width: 2400, height: 600 }, false).block?.kind,
    'preview',
  );
  t.equal(
    chooseImageBlock({ data: wide, mimeType: 'image/png', width: 2400, height: 600 }, true).block?.kind,
    'full',
  );
});

t.test('a JPEG too large to inline gives no image block and says why', async (t) => {
  const fakeJpeg = Buffer.alloc(2 * 1024 * 1024, 1);
  const choice = chooseImageBlock(
    { data: fakeJpeg, mimeType: 'image/jpeg', width: 4000, height: 3000 },
    false,
  );
  t.equal(choice.block, undefined);
  t.match(choice.note, /resource_link/);
});

t.test('a preview averages the pixels it shrinks, RGB and RGBA alike', async (t) => {
  for (const channels of [3, 4] as const) {
    // Left half black, right half white, 2000 px wide: the preview keeps that split.
    const width = 2000;
    const height = 100;
    const pixels = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++)
      for (let x = width / 2; x < width; x++)
        pixels.fill(255, (y * width + x) * channels, (y * width + x + 1) * channels);
    if (channels === 4) for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
    const png = encodePng({ width, height, channels, pixels });
    const choice = chooseImageBlock({ data: png, mimeType: 'image/png', width, height }, false);
    t.equal(choice.block?.kind, 'preview');
    const preview = decodePng(Buffer.from(choice.block!.base64, 'base64'), { maxPixels: 1 << 22 });
    t.equal(preview.channels, channels);
    const at = (x: number) =>
      preview.pixels[(Math.floor(preview.height / 2) * preview.width + x) * channels]!;
    t.equal(at(0), 0, `left stays black (${channels} channels)`);
    t.equal(at(preview.width - 1), 255, `right stays white (${channels} channels)`);
  }
});
