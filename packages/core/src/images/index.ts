export * from './image-service.js';
export * from './image-info.js';
export * from './png-decoder.js';
export * from './png-encoder.js';
export * from './input-image-resolver.js';
export * from './download.js';
export * from './url-guard.js';
export * from './vendor-task-journal.js';
