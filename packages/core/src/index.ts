export * from './errors.js';
export * from './provider.js';
export * from './png-encoder.js';
export * from './image-info.js';
