import t from 'tap';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FileImageStore, InvalidUpstreamResponseError, solidPng, StorageUnavailableError } from '@uig/core';

const contentIdOf = (data: Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 32);

t.test('ids are content addresses; the mime type comes from the bytes', async (t) => {
  const store = new FileImageStore(t.testdir());
  const png = solidPng(20, 10);
  const first = await store.put(png);
  const again = await store.put(Buffer.from(png));
  t.match(first.id, /^[a-f0-9]{32}$/);
  t.equal(again.id, first.id);
  t.equal(first.mimeType, 'image/png');
  t.same([first.width, first.height, first.byteLength], [20, 10, png.length]);
  t.same(await readFile(store.filePath(first)), png);
  const other = await store.put(solidPng(20, 10, [1, 2, 3, 255]));
  t.not(other.id, first.id);
});

t.test('no temporary file is left behind, and reads find what was stored', async (t) => {
  const dir = t.testdir();
  const store = new FileImageStore(dir);
  const stored = await store.put(solidPng(8, 8));
  const folder = await readdir(join(dir, 'images', stored.id.slice(0, 2)));
  t.same(folder, [`${stored.id}.png`]);
  // A fresh store (a restarted gateway) finds it on disk.
  const reopened = new FileImageStore(dir);
  const read = await reopened.read(stored.id);
  t.equal(read?.image.mimeType, 'image/png');
  t.same(read?.data, await readFile(store.filePath(stored)));
});

t.test('bytes that are not an image are refused; odd ids find nothing', async (t) => {
  const store = new FileImageStore(t.testdir());
  await t.rejects(store.put(Buffer.from('<html>not an image</html>')), InvalidUpstreamResponseError);
  t.equal(await store.stat('../../etc/passwd'), undefined);
  t.equal(await store.stat('0'.repeat(32)), undefined);
});

const osError = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

t.test('a deleted images folder is recreated: the next writes succeed, none is lost', async (t) => {
  const dir = t.testdir();
  const store = new FileImageStore(dir);
  const first = await store.put(solidPng(8, 8));
  await rm(join(dir, 'images'), { recursive: true, force: true });
  // Same shard folder as before (cached as existing), and the very same bytes (cached as stored).
  const again = await store.put(solidPng(8, 8));
  t.same(await readFile(store.filePath(again)), solidPng(8, 8), 'the known image is written again');
  for (let index = 0; index < 20; index++) {
    const image = await store.put(solidPng(4, 4, [index, 1, 2, 255]));
    t.ok((await stat(store.filePath(image))).isFile());
    if (index % 5 === 0) await rm(join(dir, 'images'), { recursive: true, force: true });
  }
  t.equal(first.id, again.id);
});

t.test(
  'a failed write is tried once more; a second failure is storage_unavailable with the OS code',
  async (t) => {
    const dir = t.testdir();
    let failures = 1;
    const writes: string[] = [];
    const store = new FileImageStore(dir, {
      writeFile: async (path, data) => {
        writes.push(path);
        if (failures-- > 0) throw osError('ENOENT');
        await writeFile(path, data);
      },
    });
    const image = await store.put(solidPng(8, 8));
    t.equal(writes.length, 2, 'retried once');
    t.ok((await stat(store.filePath(image))).isFile());

    failures = 2;
    writes.length = 0;
    const error = await store.put(solidPng(9, 9)).catch((caught: unknown) => caught);
    t.type(error, StorageUnavailableError);
    t.match(error, { code: 'STORAGE_UNAVAILABLE', status: 503, osCode: 'ENOENT', retryable: false });
    t.equal(writes.length, 2);
    t.notOk(
      await readdir(join(dir, 'images', contentIdOf(solidPng(9, 9)).slice(0, 2))).then(
        (names) => names.some((name) => name.endsWith('.tmp')),
        () => false,
      ),
      'no temporary file left',
    );
  },
);

t.test(
  'a full, read-only or forbidden disk is StorageUnavailableError naming the OS code and path',
  async (t) => {
    for (const code of ['ENOSPC', 'EROFS', 'EACCES']) {
      const store = new FileImageStore(t.testdir(), {
        writeFile: async () => {
          throw osError(code);
        },
      });
      const error = (await store
        .put(solidPng(8, 8))
        .catch((caught: unknown) => caught)) as StorageUnavailableError;
      t.type(error, StorageUnavailableError, code);
      t.equal(error.osCode, code);
      t.match(error.path, /images[/\\][a-f0-9]{2}$/);
      t.ok(error.retryAfterMs! > 0);
    }
    // A real one: the images folder is a file (ENOTDIR / EEXIST from the OS).
    const dir = t.testdir({ images: 'not a folder' });
    const error = (await new FileImageStore(dir)
      .put(solidPng(8, 8))
      .catch((caught: unknown) => caught)) as StorageUnavailableError;
    t.type(error, StorageUnavailableError);
    t.match(error.osCode, /^(ENOTDIR|EEXIST)$/);
  },
);

t.test(
  'health(): a write probe at most every interval, failing while the disk fails, recovering by itself',
  async (t) => {
    let now = 1_000_000;
    let full = false;
    let probes = 0;
    const store = new FileImageStore(t.testdir(), {
      now: () => now,
      probeIntervalMs: 5000,
      writeFile: async (path, data) => {
        if (path.includes('.probe.')) probes++;
        if (full) throw osError('ENOSPC');
        await writeFile(path, data);
      },
    });
    t.match(await store.health(), { ok: true });
    t.match(await store.health(), { ok: true });
    t.equal(probes, 1, 'the second check within the interval did not write');
    full = true;
    // A failed request write turns health off at once, without waiting for the interval.
    await t.rejects(store.put(solidPng(8, 8)), StorageUnavailableError);
    t.match(await store.health(), { ok: false, osCode: 'ENOSPC' });
    now += 5000;
    t.match(await store.health(), { ok: false, osCode: 'ENOSPC' });
    full = false;
    t.match(await store.health(), { ok: false }, 'still the cached answer within the interval');
    now += 5000;
    t.match(await store.health(), { ok: true }, 'recovered by itself');
    t.same(
      (await readdir(store.root)).filter((name) => name.endsWith('.tmp')),
      [],
      'the probe leaves no file',
    );
  },
);

t.test(
  'the startup sweep removes temporary files a killed process left, and keeps a live writer’s',
  async (t) => {
    const id = 'ab'.repeat(16);
    const deadPid = 2 ** 22 + 17; // above Linux's pid_max: never alive
    const dir = t.testdir({
      images: {
        ab: {
          [`${id}.png`]: 'kept',
          [`.${id}.9f3a2b1c4d5e0.tmp`]: 'an older release, no pid',
          [`.${id}.${deadPid}.0123456789ab0.tmp`]: 'a dead process',
          [`.${id}.${process.pid}.0123456789ab1.tmp`]:
            'an earlier process with our pid (a container restart)',
          [`.${id}.${process.ppid}.0123456789ab2.tmp`]: 'a live process writing right now',
        },
        [`.probe.${deadPid}.0123456789ab3.tmp`]: 'a probe of a dead process',
      },
    });
    const store = new FileImageStore(dir);
    t.equal(await store.sweepTemporaryFiles(), 4);
    t.same((await readdir(join(dir, 'images', 'ab'))).sort(), [
      `.${id}.${process.ppid}.0123456789ab2.tmp`,
      `${id}.png`,
    ]);
    t.same((await readdir(join(dir, 'images'))).sort(), ['ab']);
    // An hour later even a live process's file is an orphan: no write takes that long.
    const later = new FileImageStore(dir, { now: () => Date.now() + 2 * 60 * 60 * 1000 });
    t.equal(await later.sweepTemporaryFiles(), 1);
    t.same(await readdir(join(dir, 'images', 'ab')), [`${id}.png`]);
    t.equal(
      await new FileImageStore(t.testdir()).sweepTemporaryFiles(),
      0,
      'no images folder yet: nothing to do',
    );
  },
);

t.test('retentionDays on the filesystem: images older than that are removed, newer ones kept', async (t) => {
  let now = Date.parse('2026-11-27T12:00:00Z');
  const store = new FileImageStore(t.testdir(), { now: () => now });
  const old = await store.put(solidPng(8, 8));
  const recent = await store.put(solidPng(9, 9));
  const tenDaysAgo = new Date(now - 10 * 24 * 60 * 60 * 1000);
  await utimes(store.filePath(old), tenDaysAgo, tenDaysAgo);
  t.equal(await store.removeOlderThan(7), 1, 'one image past seven days');
  t.equal(await store.stat(old.id), undefined, 'the old one is gone');
  t.ok(await store.stat(recent.id), 'the recent one stays');
  now += 8 * 24 * 60 * 60 * 1000;
  t.equal(await store.removeOlderThan(7), 1, 'a week later the other one goes too');
});
