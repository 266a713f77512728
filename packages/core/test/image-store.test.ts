import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageStore, InvalidUpstreamResponseError, solidPng } from '@uig/core';

t.test('ids are content addresses; the mime type comes from the bytes', async (t) => {
  const store = new ImageStore(t.testdir());
  const png = solidPng(20, 10);
  const first = await store.put(png);
  const again = await store.put(Buffer.from(png));
  t.match(first.id, /^[a-f0-9]{32}$/);
  t.equal(again.id, first.id);
  t.equal(first.mimeType, 'image/png');
  t.same([first.width, first.height, first.byteLength], [20, 10, png.length]);
  t.same(await readFile(first.path), png);
  const other = await store.put(solidPng(20, 10, [1, 2, 3, 255]));
  t.not(other.id, first.id);
});

t.test('no temporary file is left behind, and reads find what was stored', async (t) => {
  const dir = t.testdir();
  const store = new ImageStore(dir);
  const stored = await store.put(solidPng(8, 8));
  const folder = await readdir(join(dir, 'images', stored.id.slice(0, 2)));
  t.same(folder, [`${stored.id}.png`]);
  // A fresh store (a restarted gateway) finds it on disk.
  const reopened = new ImageStore(dir);
  const read = await reopened.read(stored.id);
  t.equal(read?.image.mimeType, 'image/png');
  t.same(read?.data, await readFile(stored.path));
});

t.test('bytes that are not an image are refused; odd ids find nothing', async (t) => {
  const store = new ImageStore(t.testdir());
  await t.rejects(store.put(Buffer.from('<html>not an image</html>')), InvalidUpstreamResponseError);
  t.equal(await store.stat('../../etc/passwd'), undefined);
  t.equal(await store.stat('0'.repeat(32)), undefined);
});
