export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { providerPlugins } from './provider-plugins.js';
export { UrlSigner, type SignatureVerdict } from './url-signer.js';
export { signerForHost } from './public-url.js';
export { GatewayMetrics } from './metrics.js';
export { modelLifecycle, modelPrice, type ListedLifecycle, type ListedPrice } from './model-listing.js';
export { exitOnStartupFailure, listenError, type ListenTarget } from './startup-failure.js';
