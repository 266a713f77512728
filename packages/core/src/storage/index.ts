export * from './file-image-store.js';
export * from './image-store.js';
export * from './s3-image-store.js';
export * from './create-image-store.js';
export type { StorageHealth } from './storage-probe.js';
