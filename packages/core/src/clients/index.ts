export * from './client-authenticator.js';
export * from './client-limiter.js';
export * from './client-limit-rules.js';
export * from './redis-limit-store.js';
export * from './managed-client.js';
export * from './managed-client-store.js';
export * from './managed-clients.js';
