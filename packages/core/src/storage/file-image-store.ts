import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { rename as renameWithCallback, writeFile as writeFileWithCallback } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { sniffImage, type ImageInfo } from '../images/image-info.js';
import { storageFailure } from './storage-failure.js';
import { describeImage } from './describe-image.js';
import { type ByteRange, type ImageStore, isImageId, type StoredImage } from './image-store.js';
import { KnownImages } from './known-images.js';
import { StorageProbe, type StorageHealth } from './storage-probe.js';
import { processAlive } from './process-alive.js';

/**
 * The filesystem backend of the image store (the embedded default): every image is stored under `<dataDir>/images/<aa>/<id>.<ext>`.
 * Ids are content addresses (the first 128 bits of the SHA-256, hex), so storing
 * the same bytes twice is one file; the mime type comes from the bytes. Writes go
 * to a temporary file in the same folder and are renamed into place, so a crash
 * never leaves half an image under a real id.
 *
 * Failures (docs/operations.md): the store never trusts that a folder it made still
 * exists (a cleanup job or an operator may delete `images/`): a failed write recreates
 * its folder and is tried once more; a second failure is a `StorageUnavailableError`
 * (503 `storage_unavailable`) carrying the OS code. Temporary files a killed process
 * left behind are removed by `sweepTemporaryFiles()` at startup, and `health()` is the
 * readiness write probe.
 */

const extensions: ImageInfo['extension'][] = ['png', 'jpg', 'webp', 'gif'];
const mimeByExtension: Record<ImageInfo['extension'], ImageInfo['mimeType']> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

// The callback forms: no FileHandle object and no promise per fs call (the promise API's
// writeFile goes through a FileHandle for open, write and close), about 10 % less CPU per write.
const writeNew = promisify(writeFileWithCallback);
const renameTo = promisify(renameWithCallback);

export interface FileImageStoreOptions {
  /** Writes a new file; tests stand in a full or read-only disk with it. */
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
  /** How often the readiness probe may write (default 5 s). */
  probeIntervalMs?: number;
  now?: () => number;
}

/**
 * Temporary files: `.<id or probe>.<pid>.<store prefix><counter>.tmp`. The pid and the
 * per-store prefix tell the startup sweep whose file it is: several processes may
 * share one data folder (two MCP clients on a desktop), and a live one's file must
 * not be removed under it.
 */
const temporaryPattern = /^\.[a-z0-9]+\.(\d+)\.([a-f0-9]{12})[a-z0-9]+\.tmp$/;
const legacyTemporaryPattern = /^\.[a-f0-9]{32}\.[a-z0-9]+\.tmp$/;
const shardPattern = /^[a-f0-9]{2}$/;
/** No write takes this long: a temporary file this old is an orphan whoever made it. */
const orphanAgeMs = 60 * 60 * 1000;

export class FileImageStore implements ImageStore {
  readonly kind = 'file' as const;
  readonly root: string;
  private readonly known = new KnownImages();
  /**
   * Shard folders made or being made (at most 256): the promise, so a burst of first
   * writes into one folder (2,000 requests answered at once) makes it once, not 2,000 times.
   */
  private readonly folders = new Map<string, Promise<unknown>>();
  private readonly temporaryPrefix = randomBytes(6).toString('hex');
  private temporaryCounter = 0;
  private readonly writeFile: (path: string, data: Uint8Array) => Promise<void>;
  private readonly probe: StorageProbe;
  private readonly now: () => number;

  constructor(dataDir: string, options: FileImageStoreOptions = {}) {
    this.root = join(dataDir, 'images');
    this.writeFile = options.writeFile ?? writeNew;
    this.now = options.now ?? Date.now;
    this.probe = new StorageProbe({
      write: () => this.writeProbe(),
      ...(options.probeIntervalMs !== undefined ? { intervalMs: options.probeIntervalMs } : {}),
      now: this.now,
    });
  }

  private temporaryName(name: string): string {
    return `.${name}.${process.pid}.${this.temporaryPrefix}${(this.temporaryCounter++).toString(36)}.tmp`;
  }

  /** Where an image's file is (tests and operators; the gateway reads through `stream`). */
  filePath(image: Pick<StoredImage, 'id' | 'extension'>): string {
    return this.pathOf(image.id, image.extension);
  }

  private pathOf(id: string, extension: string): string {
    return join(this.root, id.slice(0, 2), `${id}.${extension}`);
  }

  /** Stores bytes that must be an image (PNG, JPEG, WebP or GIF). */
  async put(data: Uint8Array, provider?: string): Promise<StoredImage> {
    const image = describeImage(data, provider);
    const { id } = image;
    const path = this.pathOf(id, image.extension);
    // Stored before: one stat instead of a write, since the folder may have been removed since.
    if (
      this.known.has(id) &&
      (await stat(path).then(
        () => true,
        () => false,
      ))
    )
      return image;
    // No stat first: renaming over an identical file is harmless, and cheaper than asking.
    const folder = join(this.root, id.slice(0, 2));
    try {
      await this.writeInto(folder, id, path, data);
    } catch {
      // The folder may have gone (a cleanup job, an operator): make it again, try once more.
      this.folders.delete(folder);
      try {
        await this.writeInto(folder, id, path, data);
      } catch (error) {
        const failure = storageFailure(error, 'write', folder);
        this.probe.reportFailure(failure);
        throw failure;
      }
    }
    return this.known.remember(image);
  }

  private async writeInto(folder: string, id: string, path: string, data: Uint8Array): Promise<void> {
    let made = this.folders.get(folder);
    if (!made) {
      made = mkdir(folder, { recursive: true });
      this.folders.set(folder, made);
      const mine = made;
      mine.catch(() => {
        if (this.folders.get(folder) === mine) this.folders.delete(folder);
      });
    }
    await made;
    // Unique per write without a call into the CSPRNG per image: a random prefix per
    // store and a counter (two writes of the same id at once get different files).
    const temporary = join(folder, this.temporaryName(id));
    try {
      // Never synchronously, however small: on a disk that stalls (seen here, see
      // docs/benchmarks.md) one open(2) would hold every request.
      await this.writeFile(temporary, data);
      await renameTo(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  private async writeProbe(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const path = join(this.root, this.temporaryName('probe'));
    try {
      await this.writeFile(path, Buffer.from('uig readiness probe\n'));
    } finally {
      await unlink(path).catch(() => undefined);
    }
  }

  /** Whether the store can write (a small real write at most every few seconds), for /readyz. */
  health(): Promise<StorageHealth> {
    return this.probe.check();
  }

  /**
   * Removes the temporary files a killed process left behind (a crash mid-write): any
   * not of a live process, or older than an hour. Returns how many were removed. Run
   * once at startup; a folder it cannot read is skipped (the probe reports that).
   */
  async sweepTemporaryFiles(): Promise<number> {
    const shards = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const folder of ['', ...shards.filter((name) => shardPattern.test(name))]) {
      const path = join(this.root, folder);
      const names = await readdir(path).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.tmp') || !(await this.isOrphan(join(path, name), name))) continue;
        if (
          await unlink(join(path, name)).then(
            () => true,
            () => false,
          )
        )
          removed++;
      }
    }
    return removed;
  }

  /**
   * `storage.retentionDays` for this backend: removes images whose file is older than that
   * (S3 buckets use a lifecycle rule instead, docs/operations.md). Returns how many went.
   */
  async removeOlderThan(days: number): Promise<number> {
    const cutoff = this.now() - days * 24 * 60 * 60 * 1000;
    const shards = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const shard of shards.filter((name) => shardPattern.test(name))) {
      const folder = join(this.root, shard);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (name.startsWith('.')) continue;
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (!info || info.mtimeMs >= cutoff) continue;
        if (
          await unlink(path).then(
            () => true,
            () => false,
          )
        ) {
          this.known.delete(name.slice(0, 32));
          removed++;
        }
      }
    }
    return removed;
  }

  private async isOrphan(path: string, name: string): Promise<boolean> {
    const match = temporaryPattern.exec(name);
    if (!match) return legacyTemporaryPattern.test(name);
    const [, pid, prefix] = match;
    if (prefix === this.temporaryPrefix) return false;
    // Our own pid with another prefix: an earlier process (a container restarts as pid 1).
    if (Number(pid) === process.pid || !processAlive(Number(pid))) return true;
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && this.now() - info.mtimeMs > orphanAgeMs;
  }

  /** Metadata of a stored image, or undefined. */
  async stat(id: string): Promise<StoredImage | undefined> {
    if (!isImageId(id)) return undefined;
    const known = this.known.get(id);
    if (known) return known;
    for (const extension of extensions) {
      const path = this.pathOf(id, extension);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      const sniffed = sniffImage(await readHead(path, 64 * 1024)) ?? sniffImage(await readFile(path));
      if (!sniffed) return undefined;
      return this.known.remember({
        id,
        mimeType: mimeByExtension[extension],
        extension,
        width: sniffed.width,
        height: sniffed.height,
        byteLength: info.size,
      });
    }
    return undefined;
  }

  async read(id: string): Promise<{ image: StoredImage; data: Buffer } | undefined> {
    const image = await this.stat(id);
    if (!image) return undefined;
    const data = await readFile(this.pathOf(image.id, image.extension)).catch(() => undefined);
    return data ? { image, data } : undefined;
  }

  async stream(id: string, range?: ByteRange): Promise<{ image: StoredImage; body: Readable } | undefined> {
    const image = await this.stat(id);
    if (!image) return undefined;
    const path = this.pathOf(image.id, image.extension);
    // Opened before answering, so a file removed since stat() is a 404, not a broken 200.
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) {
      this.known.delete(id);
      return undefined;
    }
    // The stream owns the handle and closes it when done or destroyed.
    return { image, body: handle.createReadStream(range ?? {}) };
  }

  /** Files are served by the gateway only. */
  async directUrl(): Promise<undefined> {
    return undefined;
  }

  get location(): string {
    return this.root;
  }

  start(): Promise<number> {
    return this.sweepTemporaryFiles();
  }

  async close(): Promise<void> {}
}
