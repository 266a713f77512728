export * from './config.js';
export { defaultDataDir, type DataDirContext } from './default-data-dir.js';
export { ensureWritableFolder } from './writable-folder.js';
export * from './storage-config.js';
