export * from './provider.js';
export * from './model-registry.js';
export * from './model-glob.js';
export * from './model-lifecycle.js';
