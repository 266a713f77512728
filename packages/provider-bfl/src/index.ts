export { createBflProvider } from './bfl-provider.js';
export { bflPlugin } from './bfl-plugin.js';
