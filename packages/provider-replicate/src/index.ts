export { createReplicateProvider } from './replicate-provider.js';
export { replicatePlugin } from './replicate-plugin.js';
