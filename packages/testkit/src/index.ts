export * from './fake-upstream.js';
export * from './test-images.js';
