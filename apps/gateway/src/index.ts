export { buildApp, type BuildAppOptions, type GatewayServices } from './app.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { providerPlugins } from './providers.js';
export { UrlSigner } from './url-signer.js';
export { errorBody, sendError } from './error-envelope.js';
