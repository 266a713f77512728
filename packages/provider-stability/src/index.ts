export { createStabilityProvider } from './stability-provider.js';
export { stabilityPlugin } from './stability-plugin.js';
