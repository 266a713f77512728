import type { StorageConfig } from '../config/storage-config.js';
import { FileImageStore, type FileImageStoreOptions } from './file-image-store.js';
import type { ImageStore } from './image-store.js';
import { S3ImageStore } from './s3-image-store.js';

/** The image store the configuration names: the data folder (default) or an S3 bucket. */
export function createImageStore(
  storage: StorageConfig,
  dataDir: string,
  options: FileImageStoreOptions = {},
): ImageStore {
  if (storage.type === 's3') {
    const { type: _type, retentionDays: _retention, ...settings } = storage;
    return new S3ImageStore(settings, {
      ...(options.probeIntervalMs !== undefined ? { probeIntervalMs: options.probeIntervalMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  return new FileImageStore(dataDir, options);
}
