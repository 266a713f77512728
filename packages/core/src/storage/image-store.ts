import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ImageInfo } from '../images/image-info.js';
import type { StorageHealth } from './storage-probe.js';

/**
 * Where every image uig hands out is kept (docs/architecture.md, Storage). Ids are content
 * addresses (the first 128 bits of the SHA-256, hex), so the same bytes are one image and an
 * id's bytes never change. Two backends: the filesystem under the data folder (the embedded
 * default) and S3-compatible object storage (several instances share one bucket).
 *
 * Every backend reports failures as `StorageUnavailableError` (storage-failure.ts), so a
 * storage outage is a 503 with Retry-After whatever the backend.
 */
export interface StoredImage {
  id: string;
  mimeType: ImageInfo['mimeType'];
  extension: ImageInfo['extension'];
  width: number;
  height: number;
  byteLength: number;
}

/** A byte range of an image, both ends inclusive (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ImageStore {
  /** `file` or `s3`, for logs and readiness. */
  readonly kind: 'file' | 's3';
  /** Where the images are (a folder, or `s3://bucket/prefix`), for logs; never a credential. */
  readonly location: string;
  /** Stores bytes that must be an image (PNG, JPEG, WebP or GIF); the same bytes again are not written again. */
  put(data: Uint8Array, provider?: string): Promise<StoredImage>;
  /** Metadata of a stored image, or undefined. */
  stat(id: string): Promise<StoredImage | undefined>;
  read(id: string): Promise<{ image: StoredImage; data: Buffer } | undefined>;
  /** The bytes as a stream, whole or a range (`range` already checked against `byteLength`). */
  stream(id: string, range?: ByteRange): Promise<{ image: StoredImage; body: Readable } | undefined>;
  /**
   * A URL that serves the image without the gateway (S3 presigned GET), when the store is set
   * to hand those out; undefined means the gateway's own signed URL is used.
   */
  directUrl(id: string): Promise<string | undefined>;
  /** Whether the store can write (a small real write at most every few seconds), for /readyz. */
  health(): Promise<StorageHealth>;
  /**
   * Startup: the filesystem sweeps temporary files a killed process left (returns how many);
   * S3 checks the bucket answers and takes the credentials (throws a message naming the setting).
   */
  start(): Promise<number>;
  close(): Promise<void>;
}

const idPattern = /^[a-f0-9]{32}$/;

// Ids computed while the bytes were produced (the vendor body's base64 decoded and hashed
// in one pass, vendor-json.ts), by the memory they live in: hashing 1 MB again costs ~0.6 ms.
const knownIds = new WeakMap<ArrayBufferLike, { offset: number; length: number; id: string }>();

/** Records the content id of bytes just hashed; only bytes alone in their ArrayBuffer (never a pooled slice). */
export function rememberContentId(data: Uint8Array, sha256Hex: string): void {
  if (data.byteLength < 4096 || data.byteOffset !== 0 || data.buffer.byteLength !== data.byteLength) return;
  knownIds.set(data.buffer, { offset: data.byteOffset, length: data.byteLength, id: sha256Hex.slice(0, 32) });
}

/** The id the bytes are stored under: the first 128 bits of their SHA-256, hex. */
export function contentId(data: Uint8Array): string {
  const known = knownIds.get(data.buffer);
  if (known && known.offset === data.byteOffset && known.length === data.byteLength) return known.id;
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

export function isImageId(value: string): boolean {
  return idPattern.test(value);
}
