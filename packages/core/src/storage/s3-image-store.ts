import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { ConfigError } from '../config/config.js';
import type { ImageInfo } from '../images/image-info.js';
import { describeImage } from './describe-image.js';
import { type ByteRange, type ImageStore, isImageId, type StoredImage } from './image-store.js';
import { KnownImages } from './known-images.js';
import { storageFailure } from './storage-failure.js';
import { StorageProbe, type StorageHealth } from './storage-probe.js';

/** `storage` of the config file with `type: s3` (docs/configuration.md). */
export interface S3StorageSettings {
  bucket: string;
  /** Key prefix inside the bucket (`uig/`); empty for the bucket's root. */
  prefix: string;
  region: string;
  /** Another S3-compatible service (MinIO, R2, OSS …); absent for AWS. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Both or neither: neither means the AWS SDK's usual credential chain (env, profile, role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `gateway`: answers carry the gateway's signed URLs; `presigned`: S3 presigned GET URLs. */
  urls: 'gateway' | 'presigned';
  presignedTtlSeconds: number;
}

interface S3ImageStoreOptions {
  probeIntervalMs?: number;
  now?: () => number;
}

const extensionOf: Record<ImageInfo['mimeType'], ImageInfo['extension']> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** What the SDK throws for "no such key" on GET and HEAD. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NotFound' || name === 'NoSuchKey' || status === 404;
}

/**
 * The S3-compatible backend (`@aws-sdk/client-s3`): AWS S3, Cloudflare R2, MinIO, Alibaba
 * OSS and others. One object per image at `<prefix><id>`, with its content type, its size
 * in pixels as metadata, and a year-long immutable Cache-Control (an id's bytes never change).
 * A put first asks HEAD whether the object exists, so the same bytes are uploaded once per
 * bucket (ids this process already stored skip even that). The body is the buffer the
 * caller holds: no second copy in memory.
 *
 * The SDK is loaded on first use, so the embedded default never loads it.
 */
export class S3ImageStore implements ImageStore {
  readonly kind = 's3' as const;
  readonly location: string;
  private client: Promise<S3Client> | undefined;
  private readonly known = new KnownImages();
  private readonly probe: StorageProbe;

  constructor(
    private readonly settings: S3StorageSettings,
    options: S3ImageStoreOptions = {},
  ) {
    this.location = `s3://${settings.bucket}/${settings.prefix}`;
    this.probe = new StorageProbe({
      write: () => this.writeProbe(),
      ...(options.probeIntervalMs !== undefined ? { intervalMs: options.probeIntervalMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  private s3(): Promise<S3Client> {
    this.client ??= import('@aws-sdk/client-s3').then(
      ({ S3Client }) =>
        new S3Client({
          region: this.settings.region,
          forcePathStyle: this.settings.forcePathStyle,
          ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
          ...(this.settings.accessKeyId && this.settings.secretAccessKey
            ? {
                credentials: {
                  accessKeyId: this.settings.accessKeyId,
                  secretAccessKey: this.settings.secretAccessKey,
                },
              }
            : {}),
          // Failures surface as 503 storage_unavailable and the client retries; the SDK's own
          // retries would hold a request for seconds against a bucket that is down.
          maxAttempts: 2,
        }),
    );
    return this.client;
  }

  private key(id: string): string {
    return `${this.settings.prefix}${id}`;
  }

  async put(data: Uint8Array, provider?: string): Promise<StoredImage> {
    const image = describeImage(data, provider);
    const { id } = image;
    if (this.known.has(id)) return image;
    try {
      if (!(await this.head(id))) {
        const { PutObjectCommand } = await import('@aws-sdk/client-s3');
        await (await this.s3()).send(
          new PutObjectCommand({
            Bucket: this.settings.bucket,
            Key: this.key(id),
            Body: data,
            ContentType: image.mimeType,
            ContentLength: data.byteLength,
            CacheControl: 'public, max-age=31536000, immutable',
            Metadata: { width: String(image.width), height: String(image.height) },
          }),
        );
      }
    } catch (error) {
      const failure = storageFailure(error, 'write', this.location);
      this.probe.reportFailure(failure);
      throw failure;
    }
    return this.known.remember(image);
  }

  /** The object's metadata, or undefined when there is none. */
  private async head(id: string): Promise<StoredImage | undefined> {
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      const answer = await (await this.s3()).send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(id) }),
      );
      const mimeType = answer.ContentType as ImageInfo['mimeType'];
      const extension = extensionOf[mimeType];
      if (!extension) return undefined;
      return {
        id,
        mimeType,
        extension,
        width: Number(answer.Metadata?.width ?? 0),
        height: Number(answer.Metadata?.height ?? 0),
        byteLength: answer.ContentLength ?? 0,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async stat(id: string): Promise<StoredImage | undefined> {
    if (!isImageId(id)) return undefined;
    const known = this.known.get(id);
    if (known) return known;
    try {
      const image = await this.head(id);
      return image ? this.known.remember(image) : undefined;
    } catch (error) {
      throw storageFailure(error, 'read', this.location);
    }
  }

  async stream(id: string, range?: ByteRange): Promise<{ image: StoredImage; body: Readable } | undefined> {
    if (!isImageId(id)) return undefined;
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      const answer = await (await this.s3()).send(
        new GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.key(id),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      const image = this.known.get(id) ?? (await this.stat(id));
      if (!image || !answer.Body) return undefined;
      return { image, body: answer.Body as Readable };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw storageFailure(error, 'read', this.location);
    }
  }

  async read(id: string): Promise<{ image: StoredImage; data: Buffer } | undefined> {
    const found = await this.stream(id);
    if (!found) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.from(found.body)) chunks.push(chunk as Buffer);
    return { image: found.image, data: Buffer.concat(chunks) };
  }

  async directUrl(id: string): Promise<string | undefined> {
    if (this.settings.urls !== 'presigned') return undefined;
    const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/s3-request-presigner'),
    ]);
    return getSignedUrl(
      await this.s3(),
      new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(id) }),
      { expiresIn: this.settings.presignedTtlSeconds },
    );
  }

  private async writeProbe(): Promise<void> {
    const { PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const client = await this.s3();
    const key = `${this.settings.prefix}.uig-readiness-probe`;
    await client.send(
      new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: 'uig readiness probe\n' }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  health(): Promise<StorageHealth> {
    return this.probe.check();
  }

  /** The bucket must exist and take these credentials: a write and a delete, at startup. */
  async start(): Promise<number> {
    try {
      await this.writeProbe();
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const setting =
        name === 'NoSuchBucket'
          ? 'storage.bucket'
          : name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch' || name === 'AccessDenied'
            ? 'storage.accessKeyId / storage.secretAccessKey'
            : 'storage.endpoint (and storage.region)';
      throw new ConfigError(
        `The S3 image store at ${this.location} cannot be used (${name}: ${(error as Error).message}). Check ${setting}.`,
      );
    }
    return 0;
  }

  async close(): Promise<void> {
    (await this.client)?.destroy();
  }
}
