export { buildApp, type BuildAppOptions, type GatewayServices, type RouteAccess } from './app.js';
export { errorBody, sendError } from './error-envelope.js';
export { listenRefusal, isLoopbackHost } from './listen-policy.js';
export { closeGracefully } from './shutdown.js';
export { loggerOptions } from './logger-options.js';
export { startGateway } from './start-gateway.js';
