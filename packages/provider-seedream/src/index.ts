export { createSeedreamProvider } from './seedream-provider.js';
export { seedreamPlugin } from './seedream-plugin.js';
