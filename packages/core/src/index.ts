export * from './errors.js';
export * from './provider.js';
export * from './png-encoder.js';
export * from './image-info.js';
export * from './retry-after.js';
export * from './upstream-request.js';
