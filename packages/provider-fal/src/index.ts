export { createFalProvider } from './fal-provider.js';
export { falPlugin } from './fal-plugin.js';
