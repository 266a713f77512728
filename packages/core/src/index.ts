// The core, grouped the way a request travels (docs/architecture.md): configuration, the
// request and its checks, providers and models, client keys and limits, upstream calls,
// images, storage and accounting.
export * from './errors.js';
export * from './config/index.js';
export * from './requests/index.js';
export * from './providers/index.js';
export * from './clients/index.js';
export * from './upstream/index.js';
export * from './images/index.js';
export * from './storage/index.js';
export * from './accounting/index.js';
export * from './database/index.js';
export * from './jobs/index.js';
export * from './prompts/index.js';
